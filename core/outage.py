"""What a request answers when the database is down: 503 with a short message, never a 500.

The database settings keep the wait short (connect and pool timeouts, config/settings.py); the API's
exception handler (core/api.py) and the server-error view (`server_error`, handler500 for pages
and anything outside a view) both answer through here.
"""

import sys

from django import db
from django.dispatch import Signal
from django.http import HttpResponse, JsonResponse
from django.views.defaults import server_error as django_server_error

DATABASE_DOWN = "The service is briefly unavailable (its database does not answer). Try again in a moment."
RETRY_AFTER_SECONDS = 5

# Sent when Redis answers again after an outage (config/runtime/cache.py), so caches that may hold
# entries older than a write made meanwhile can forget them.
redis_returned = Signal()


def database_unavailable(exc: BaseException | None) -> bool:
    """True for a failure to reach or keep the database (psycopg's pool timeout is one of these)."""
    return isinstance(exc, db.OperationalError | db.InterfaceError)


def database_down_response(path: str) -> HttpResponse:
    """JSON under /api/, else a plain page that needs nothing from the database to render."""
    if path.startswith("/api/"):
        response = JsonResponse({"detail": DATABASE_DOWN}, status=503)
    else:
        page = f'<!doctype html><title>Spendwise is unavailable</title><p role="status">{DATABASE_DOWN}</p>'
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request, *args, **kwargs):
    """handler500: a database outage is a 503; anything else Django's 500 page."""
    if database_unavailable(sys.exc_info()[1]):
        return database_down_response(request.path)
    return django_server_error(request, *args, **kwargs)
