"""config.runtime.heap: daphne and the Celery worker freeze the heap they built at startup, so that full
collections under load walk only what they allocated since (each process checked in a fresh interpreter)."""

import os
import subprocess
import sys

from django.conf import settings


def run_python(code: str) -> list[str]:
    """What a fresh interpreter running `code` printed, one line each."""
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env, cwd=settings.BASE_DIR
    )
    return result.stdout.split()


def test_daphne_serves_with_every_view_imported_and_the_startup_heap_frozen():
    code = (
        "import gc, sys\n"
        "print(gc.get_freeze_count())\n"
        "import config.asgi\n"
        "print(gc.get_freeze_count(), 'finance.views' in sys.modules, 'insights.views' in sys.modules)\n"
    )
    before, after, finance_views, insights_views = run_python(code)
    assert int(before) == 0
    assert int(after) > 100_000  # Django, DRF and the apps: far more than a bare interpreter holds
    assert (finance_views, insights_views) == ("True", "True")  # loaded at start, not on the first request


def test_the_worker_freezes_its_heap_when_ready():
    code = (
        "import gc\n"
        "from celery.signals import worker_ready\n"
        "from config.celery import app\n"
        "print(gc.get_freeze_count())\n"
        "worker_ready.send(sender=app)\n"
        "print(gc.get_freeze_count())\n"
    )
    before, after = run_python(code)
    assert int(before) == 0
    assert int(after) > 10_000
