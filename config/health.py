"""GET /healthz: checks each real part and names the one that is down (503)."""

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.celery import app as celery_app


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return what was written")


def check_broker() -> None:
    broker_url = celery_app.conf.broker_write_url
    if not broker_url:
        return  # no broker configured: tasks run in-process
    with celery_app.connection_for_write(broker_url) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.5, timeout=2)


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}


@never_cache
@require_GET
def healthz(request):
    body = {"status": "ok"}
    for part, check in CHECKS.items():
        try:
            check()
            body[part] = "ok"
        except Exception as exc:  # a health check reports any failure rather than raising it
            body[part] = f"down: {exc.__class__.__name__}: {exc}"[:200]
            body["status"] = "down"
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)
