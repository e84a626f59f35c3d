"""`Idempotency-Key` for POST endpoints (docs/api.md; the IETF httpapi draft and Stripe's semantics).

Per user and key, in the cache (Redis in production) for 24 hours:
- the same key with the same body replays the first answer (status and body) and does nothing;
- the same key with another body is a 422;
- the same key while the first request is still running is a 409;
- an answer that is not a success (validation errors, conflicts, crashes) is forgotten, so
  the client can fix the request and retry with the same key.

`cache.add` is the claim: only one request can create the in-flight marker, and the marker
expires on its own if the process dies before finishing.
"""

import functools
import hashlib
import json
from datetime import timedelta

from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

HEADER = "Idempotency-Key"
KEPT_FOR = timedelta(hours=24)
# A request still marked in flight after this long has died; its key becomes usable again.
IN_FLIGHT_FOR = timedelta(seconds=60)
MAX_KEY_LENGTH = 255
REPLAYED_HEADER = "Idempotent-Replayed"


def _canonical(value):
    if isinstance(value, QueryDict):
        return {key: [_canonical(item) for item in items] for key, items in value.lists()}
    if isinstance(value, dict):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    if isinstance(value, UploadedFile):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return {"file": value.name, "sha256": digest.hexdigest()}
    return value


def body_fingerprint(request) -> str:
    """A hash of the method, path and body that ignores key order and whitespace."""
    body = json.dumps(_canonical(request.data), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _cache_key(user_id, key: str) -> str:
    return f"idempotency:{user_id}:{hashlib.sha256(key.encode()).hexdigest()}"


def _problem(status_code: int, detail: str) -> Response:
    return Response({"detail": detail}, status=status_code)


def _answer_for_stored(stored: dict, fingerprint: str) -> Response:
    if stored["fingerprint"] != fingerprint:
        return _problem(
            status.HTTP_422_UNPROCESSABLE_ENTITY,
            f"This {HEADER} was already used with a different request body; use a new key.",
        )
    if stored.get("status") is None:
        return _problem(
            status.HTTP_409_CONFLICT, f"A request with this {HEADER} is still being processed; retry shortly."
        )
    response = Response(json.loads(stored["body"]) if stored["body"] else None, status=stored["status"])
    response[REPLAYED_HEADER] = "true"
    return response


def _remember(cache_key: str, fingerprint: str, response: Response) -> None:
    body = JSONRenderer().render(response.data).decode() if response.data is not None else ""
    cache.set(
        cache_key,
        {"fingerprint": fingerprint, "status": response.status_code, "body": body},
        timeout=int(KEPT_FOR.total_seconds()),
    )


def idempotent(view_method):
    """Decorate a DRF view handler `(self, request, *args, **kwargs)` that answers a POST.

    Runs after authentication (DRF calls the handler after `initial()`), so the key is per user.
    """

    @functools.wraps(view_method)
    def handler(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view_method(view, request, *args, **kwargs)
        if not key.strip() or len(key) > MAX_KEY_LENGTH:
            return Response(
                {HEADER: [f"Give a non-empty key of at most {MAX_KEY_LENGTH} characters."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        cache_key = _cache_key(request.user.pk, key)
        fingerprint = body_fingerprint(request)
        claimed = cache.add(cache_key, {"fingerprint": fingerprint, "status": None}, int(IN_FLIGHT_FOR.total_seconds()))
        if not claimed:
            stored = cache.get(cache_key)
            if stored is not None:
                return _answer_for_stored(stored, fingerprint)
            # The first request finished without success in between: claim the key again.
            if not cache.add(
                cache_key, {"fingerprint": fingerprint, "status": None}, int(IN_FLIGHT_FOR.total_seconds())
            ):
                return _problem(status.HTTP_409_CONFLICT, f"A request with this {HEADER} is still being processed.")
        try:
            response = view_method(view, request, *args, **kwargs)
        except BaseException:
            cache.delete(cache_key)
            raise
        if 200 <= response.status_code < 300:
            _remember(cache_key, fingerprint, response)
        else:
            cache.delete(cache_key)
        return response

    return handler
