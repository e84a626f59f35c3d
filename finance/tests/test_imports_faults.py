"""A real Celery worker SIGKILLed in the middle of an import: the job is recovered by its lease, resumed or
ended failed with what was saved, and no row is ever written twice (issue 23, "Broke" 2 and 5)."""

import os
import signal
import time

import pytest

from config.celery import app
from config.testing.live import service_env, services_missing, start_celery_worker
from conftest import make_user
from finance.imports.pipeline import import_job_create, import_jobs_recover
from finance.models import ImportJob, ImportStatus, Transaction
from finance.services.accounts import account_create

pytestmark = pytest.mark.faults

ROWS = 120_000  # written in batches of 50,000: the worker is killed once the first is saved
LEASE = 3


def bank_statement(rows: int) -> bytes:
    """A bank's CSV export: one line per card payment, each its own shop."""
    lines = ["Date,Description,Debit,Credit,Balance"]
    lines += [
        f"03/{number % 28 + 1:02d}/2026,CARD PAYMENT SHOP {number},{number % 90 + 1}.25,," for number in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def wait_for(check, what: str, timeout: float = 240):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    pytest.fail(f"not {what} within {timeout:.0f} s")


def kill(worker) -> None:
    os.killpg(worker.process.pid, signal.SIGKILL)
    worker.process.wait()
    worker.stop()


@pytest.fixture
def worker_env(transactional_db, settings):
    if reason := services_missing(broker=True):
        pytest.skip(reason)
    settings.IMPORT_LEASE_SECONDS = LEASE
    app.conf.task_always_eager = False
    yield service_env() | {"IMPORT_LEASE_SECONDS": str(LEASE)}
    app.conf.task_always_eager = True


def import_killed_once(env: dict) -> tuple[ImportJob, int]:
    """Start an import on a worker and SIGKILL it once a batch is saved; the job and the rows saved then."""
    worker = start_celery_worker(env, concurrency=1)
    try:
        alice = make_user("alice@example.com")
        account = account_create(user=alice, name="Everyday")
        job = import_job_create(user=alice, content=bank_statement(ROWS), filename="statement.csv", account=account)
        wait_for(lambda: ImportJob.objects.filter(pk=job.pk, processed__gt=0).exists(), "one batch saved")
    finally:
        kill(worker)
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING  # what used to stay so forever
    return job, Transaction.objects.filter(user=job.user).count()


def test_an_import_whose_worker_was_killed_resumes_and_writes_every_row_once(worker_env, fault_counts):
    job, saved_when_killed = import_killed_once(worker_env)
    assert 0 < saved_when_killed < ROWS
    worker = start_celery_worker(worker_env, concurrency=1)
    try:
        time.sleep(LEASE + 0.5)
        assert import_jobs_recover() == 1  # what beat runs every minute
        wait_for(lambda: ImportJob.objects.filter(pk=job.pk, status=ImportStatus.DONE).exists(), "done")
    finally:
        worker.stop()
    job.refresh_from_db()
    stored = Transaction.objects.filter(user=job.user)
    distinct = stored.values("external_id").distinct().count()
    fault_counts(
        requests=ROWS, lost=ROWS - distinct, duplicated=stored.count() - distinct,
        note=f"worker SIGKILLed with {saved_when_killed} of {ROWS} rows saved; resumed on attempt {job.attempts}",
    )  # fmt: skip
    assert (stored.count(), distinct, job.attempts) == (ROWS, ROWS, 2)
    assert (job.created + job.duplicates, job.duplicates) == (ROWS, saved_when_killed)


def test_an_import_that_keeps_killing_its_worker_ends_failed_saying_what_was_saved(worker_env, fault_counts, settings):
    settings.IMPORT_MAX_ATTEMPTS = 1  # the poison job's last start: next time its worker is lost, it fails
    job, saved_when_killed = import_killed_once(worker_env)
    time.sleep(LEASE + 0.5)
    assert import_jobs_recover() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "stopped once before it finished" in job.message
    assert f"{saved_when_killed} transactions were saved" in job.message
    assert import_jobs_recover() == 0  # never queued again
    stored = Transaction.objects.filter(user=job.user)
    fault_counts(
        requests=ROWS, duplicated=stored.count() - stored.values("external_id").distinct().count(),
        note=f"worker SIGKILLed, 1 start allowed: failed with {saved_when_killed} rows saved, not redelivered",
    )  # fmt: skip
