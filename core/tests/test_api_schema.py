"""The OpenAPI schema and its Swagger UI: grouped by resource, every error described, no CDN."""

import re

import pytest
from django.contrib.staticfiles import finders

STANDARD = {"429", "503"}


@pytest.fixture
def schema(anon_client):
    answer = anon_client.get("/api/schema/?format=json")
    assert answer.status_code == 200
    return answer.json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_operation_is_grouped_by_its_resource(schema):
    declared = {tag["name"] for tag in schema["tags"]}
    for path, method, operation in operations(schema):
        assert len(operation["tags"]) == 1 and operation["tags"][0] in declared, (path, method)
    by_tag = {}
    for path, _, operation in operations(schema):
        by_tag.setdefault(operation["tags"][0], set()).add(path)
    assert "/api/v1/transactions/undo/" in by_tag["Transactions"]
    assert "/api/v1/operator/recommendations/{id}/approve/" in by_tag["Operators"]
    assert "v1" not in by_tag


def test_every_operation_describes_its_errors_with_a_schema(schema):
    components = schema["components"]["schemas"]
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        expected = set(STANDARD)
        if operation.get("requestBody"):
            expected |= {"400", "415"}
        if "{" in path:
            expected.add("404")
        if path.startswith("/api/v1/operator/"):
            expected.add("403")
        if any(requirement for requirement in operation.get("security", [{}])):
            expected.add("401")
        assert expected <= set(responses), (path, method, expected - set(responses))
        for status, response in responses.items():
            assert response.get("description"), (path, method, status)
            if status.startswith(("4", "5")):
                ref = response["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
                assert ref in components, (path, method, status)
    imports = schema["paths"]["/api/v1/imports/"]["post"]["responses"]
    assert {"413", "415"} <= set(imports)
    created = schema["paths"]["/api/v1/transactions/"]["post"]["responses"]
    assert {"409", "422"} <= set(created)
    assert "Retry-After" in created["429"]["headers"]


def test_request_constraints_are_in_the_schema(schema):
    """What the server checks, a generated client can check first: required fields, formats, enums."""
    request = schema["components"]["schemas"]["TransactionRequest"]
    assert "amount" in request["required"]
    assert request["properties"]["amount"]["format"] == "decimal"
    kinds = request["properties"]["kind"]["$ref"].rsplit("/", 1)[-1]
    assert schema["components"]["schemas"][kinds]["enum"] == ["expense", "income", "transfer"]
    rule = schema["components"]["schemas"]["AlertRuleRequest"]
    assert rule["properties"]["daily_limit"].get("minimum") == 0


def test_swagger_ui_is_served_by_the_project_without_a_cdn(anon_client):
    page = anon_client.get("/api/docs/").content.decode()
    assert not re.search(r"cdn|jsdelivr|unpkg|googleapis", page, re.I)
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    bundle = next(a for a in assets if a.endswith("swagger-ui-bundle.js"))
    assert bundle.startswith("/static/drf_spectacular_sidecar/")
    assert finders.find(bundle.removeprefix("/static/"))
