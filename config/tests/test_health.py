"""GET /healthz checks each configured part for real and names the one that is down.

"Down" is real too: the cache and the broker are pointed at a closed port, and the
database check runs in a fresh process whose DATABASE_URL points at a closed port.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"

pytestmark = pytest.mark.django_db


def test_every_part_ok(anon_client):
    response = anon_client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_only_get_is_allowed(anon_client):
    assert anon_client.post("/healthz").status_code == 405


def test_cache_down(anon_client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CLOSED_PORT_REDIS,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
    response = anon_client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "down"
    assert body["cache"].startswith("down")
    assert (body["database"], body["broker"]) == ("ok", "ok")


@pytest.fixture
def broker_down():
    """Celery's producer side pointed at a closed port (also on a machine with no broker configured)."""
    saved = celery_app.conf.get("broker_write_url")
    celery_app.conf.broker_write_url = CLOSED_PORT_REDIS
    yield
    celery_app.conf.broker_write_url = saved


def test_broker_down(anon_client, broker_down):
    response = anon_client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["broker"].startswith("down")
    assert (body["database"], body["cache"]) == ("ok", "ok")


GET_HEALTHZ = """
import json, django
django.setup()
from django.test import Client
response = Client(HTTP_HOST="localhost").get("/healthz")
print(json.dumps({"status_code": response.status_code, "body": response.json()}))
"""


def test_database_down():
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings")
    env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:1/spendwise"
    result = subprocess.run(
        [sys.executable, "-c", GET_HEALTHZ], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status_code"] == 503
    assert answer["body"]["status"] == "down"
    assert answer["body"]["database"].startswith("down")
    assert answer["body"]["cache"] == "ok"
