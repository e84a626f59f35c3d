"""The OpenAPI schema's finishing pass (a drf-spectacular postprocessing hook).

Operations are grouped by resource (one tag per first path segment under /api/v1/), and
every operation lists the errors the API answers with (core.api.exception_handler's two
shapes), as API.md's conventions say, so a generated client knows them all.
"""

import re

API_PREFIX = re.compile(r"^/api/v\d+/")

# First path segment -> (tag, what the group is for).
TAGS = {
    "auth": ("Sign-in", "Register, sign in with a password or an emailed code, refresh tokens."),
    "me": ("Profile", "The signed-in person: time zone, currency, export, erasure."),
    "accounts": ("Accounts", "Bank accounts, cards, loans and cash, with balances."),
    "categories": ("Categories", "Built-in categories and the person's own."),
    "transactions": ("Transactions", "The ledger: record, change, undo, sync from providers."),
    "imports": ("Imports", "Bank files (CSV, OFX, QIF, CAMT.053, MT940, JSON), their progress, remembered columns."),
    "import-mappings": ("Imports", ""),
    "categorization-rules": ("Categorisation rules", "Rules that choose a category before the model does."),
    "budgets": ("Budgets", "Monthly budgets and how each stands this month."),
    "alert-rules": ("Alert rules", "Thresholds, channels, quiet hours and limits of budget alerts."),
    "notification-channels": ("Notification channels", "Email, SMS, push and webhook destinations."),
    "notifications": ("Notifications", "Alerts and messages sent to the person, with their deliveries."),
    "insights": ("Insights", "Summaries, score, peer benchmarks, profile and anomalies (with consent)."),
    "recommendations": ("Recommendations", "Reviewed suggestions the person may accept or dismiss."),
    "consents": ("Consent", "What the person allows, and every change of it."),
    "operator": ("Operators", "Staff only: the review queue, decisions and the dashboard."),
}

ERROR = "Error"
FIELD_ERRORS = "FieldErrors"
SCHEMAS = {
    ERROR: {
        "type": "object",
        "properties": {"detail": {"type": "string", "description": "What is wrong, in words."}},
        "required": ["detail"],
    },
    FIELD_ERRORS: {
        "type": "object",
        "description": 'Each field that is wrong, with its messages: {"amount": ["Must be positive."]}; '
        'problems with no one field are under "non_field_errors" or "detail".',
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
}
# Status -> (description, schema). Which operations answer which status is decided in `_errors`.
ERRORS = {
    "400": ("The request is invalid; the answer names each field that is wrong.", FIELD_ERRORS),
    "401": ("Credentials missing, expired or wrong.", ERROR),
    "403": ("Signed in, but not allowed: staff only, or a consent this needs is off.", ERROR),
    "404": ("Not found among your objects (another person's objects are not found either).", ERROR),
    "409": ("Conflict: the same Idempotency-Key is still being answered, or nothing is left to undo.", ERROR),
    "410": ("Gone: it has expired (an export's download link); ask for a new one.", ERROR),
    "413": ("The upload is larger than the server accepts.", ERROR),
    "415": ("The body's media type or the file's format is not one this operation reads.", ERROR),
    "422": ("The Idempotency-Key was used before with another body.", ERROR),
    "429": ("Too many requests; retry after the seconds in the Retry-After header.", ERROR),
    "503": ("A part this needs (database, cache, broker) is down; retry shortly.", ERROR),
}
# What a success answer means, where the view says nothing more.
SUCCESS = {
    "200": "Done; the answer holds the result.",
    "201": "Created; the answer holds the new object.",
    "202": "Accepted; the work goes on in the background (poll the object for its progress).",
    "204": "Done; nothing to answer.",
}
WRITES = {"post", "put", "patch"}
CONSENT_OR_STAFF = ("insights", "recommendations", "operator")


def _segment(path: str) -> str:
    return API_PREFIX.sub("", path).split("/", 1)[0]


def _errors(path: str, method: str, operation: dict) -> list[str]:
    """The error statuses an operation can answer with, by the API's conventions."""
    segment, body = _segment(path), operation.get("requestBody")
    signed_in = any(requirement for requirement in operation.get("security", [{}]))
    statuses = {"429", "503"}
    if signed_in or path.endswith("/auth/token/"):
        statuses.add("401")
    if body or method in WRITES or any(p.get("in") == "query" for p in operation.get("parameters", [])):
        statuses.add("400")
    if body:
        statuses.add("415")
        if "multipart/form-data" in body.get("content", {}):
            statuses.add("413")
    if "{" in path:
        statuses.add("404")
    if segment in CONSENT_OR_STAFF or path.endswith("/transactions/sync/"):
        statuses.add("403")
    if path.endswith("/transactions/") and method == "post":
        statuses.update({"409", "422"})
    return sorted(statuses)


def _error_response(status: str) -> dict:
    description, schema = ERRORS[status]
    response = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }
    if status == "429":
        response["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}}
    return response


def schema_finish(result, generator, request, public):
    """Tags every operation with its resource and adds the error answers it lacks."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(SCHEMAS)
    used: dict[str, str] = {}  # tag -> its description, in the order first met
    for path, operations in result.get("paths", {}).items():
        segment = _segment(path)
        tag, about = TAGS.get(segment, (segment.replace("-", " ").capitalize(), ""))
        if about or tag not in used:
            used[tag] = about or used.get(tag, "")
        for method, operation in operations.items():
            operation["tags"] = [tag]
            responses = operation.setdefault("responses", {})
            for status, response in responses.items():
                if not response.get("description"):
                    response["description"] = SUCCESS.get(status, "")
            declared = [status for status in responses if status in ERRORS]
            for status in sorted({*_errors(path, method, operation), *declared}):
                if status in responses and "content" in responses[status]:
                    continue
                responses[status] = {**_error_response(status), **responses.get(status, {})}
                responses[status].setdefault("content", _error_response(status)["content"])
    result["tags"] = [{"name": name, "description": about} for name, about in sorted(used.items())]
    return result
