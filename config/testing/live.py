"""Fixtures that run the real thing in separate processes: a Celery worker and a daphne
server, both pointed at pytest-django's test database and the configured Redis.

    def test_pushed(celery_worker, daphne_server): ...

Both need PostgreSQL and Redis (an SQLite test database cannot be shared across
processes); the worker also needs a broker. Without them the tests are skipped with a
reason naming what to set. Both fixtures bring `transactional_db`, since a row the test
writes must be committed for the other processes to see it. When a test fails, the
processes' log lines written during it are printed with the failure.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote
from urllib.request import urlopen

import pytest
from django.conf import settings
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SERVICES_MISSING = (
    "needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL){broker}: daphne and the Celery worker run "
    "as separate processes sharing the test database and the channel layer, which SQLite and the "
    "in-memory layer cannot do"
)
START_TIMEOUT = 60.0
LOG_TAIL_CHARS = 20_000


def services_missing(*, broker: bool) -> str | None:
    """Why the live fixtures cannot run here, or None when they can."""
    missing_broker = broker and not settings.CELERY_BROKER_URL
    if settings.USES_POSTGRES and settings.REDIS_URL and not missing_broker:
        return None
    return SERVICES_MISSING.format(broker=" and a broker (CELERY_BROKER_URL)" if broker else "")


def child_database_url() -> str:
    """The URL of the test database pytest-django created (test_<name>), for the child processes."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = quote(db["HOST"] or "localhost", safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{quote(db['NAME'], safe='')}"


def service_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=child_database_url(),
        REDIS_URL=settings.REDIS_URL,
        DEBUG="1",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONUNBUFFERED="1",
    )
    if settings.CELERY_BROKER_URL:
        env["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServiceProcess:
    """A child process whose output goes to a log file we can show when something fails."""

    def __init__(self, name: str, args: list[str], env: dict[str, str]):
        self.name = name
        self.log_file = tempfile.NamedTemporaryFile(prefix=f"{name}-", suffix=".log", delete=False)  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            args, cwd=BASE_DIR, env=env, stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True
        )

    def log(self, since: int = 0) -> str:
        return Path(self.log_file.name).read_bytes()[since:].decode(errors="replace")

    def log_size(self) -> int:
        return Path(self.log_file.name).stat().st_size

    def wait_until(self, is_ready, what: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.fail(f"exited with {self.process.returncode} before {what}")
            if is_ready():
                return
            time.sleep(0.2)
        self.fail(f"not {what} after {START_TIMEOUT:.0f} s")

    def fail(self, why: str) -> None:
        log = self.log()[-LOG_TAIL_CHARS:]
        self.stop()
        pytest.fail(f"{self.name} {why}; its log:\n{log}", pytrace=False)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()
        Path(self.log_file.name).unlink(missing_ok=True)


def start_celery_worker(
    env: dict[str, str] | None = None,
    concurrency: int = 4,
    name: str = "live",
    purge: bool = True,
    pool: str = "threads",
) -> ServiceProcess:
    """A worker on every queue (no -Q), after purging what an earlier run left behind (unless `purge` is off:
    a worker restarted in the middle of a run finds the queue as it was). `name` tells workers of one run apart."""
    from config.celery import app

    if purge:
        app.control.purge()
    worker = ServiceProcess(
        f"celery-{name}",
        [sys.executable, "-m", "celery", "-A", "config", "worker", f"--pool={pool}", f"--concurrency={concurrency}",
         "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
         "--hostname", f"{name}-{os.getpid()}@%h"],
        env or service_env(),
    )  # fmt: skip
    worker.wait_until(lambda: " ready." in worker.log(), "ready")
    return worker


def start_daphne(env: dict[str, str] | None = None, backlog: int = 50) -> tuple[ServiceProcess, str]:
    """daphne on a free loopback port; `backlog` is the listen queue (Twisted's default is 50)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    endpoint = f"tcp:port={port}:interface=127.0.0.1:backlog={backlog}"
    server = ServiceProcess(
        "daphne", [sys.executable, "-m", "daphne", "-e", endpoint, "config.asgi:application"], env or service_env()
    )
    server.wait_until(lambda: _answers(f"{url}/healthz"), f"answering {url}/healthz")
    return server, url


def _answers(url: str) -> bool:
    try:
        with urlopen(url, timeout=2):  # noqa: S310 (our own loopback server)
            return True
    except OSError as exc:  # HTTPError (503: a part is down) still means the server is up
        return getattr(exc, "code", None) is not None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"live_report_{report.when}", report)
    return report


def _show_log_if_failed(request, process: ServiceProcess, since: int) -> None:
    report = getattr(request.node, "live_report_call", None)
    if report is not None and report.failed:
        print(f"\n----- {process.name} log during {request.node.name} -----\n{process.log(since)[-LOG_TAIL_CHARS:]}")


@pytest.fixture(scope="session")
def _celery_worker_process(django_db_setup):
    reason = services_missing(broker=True)
    if reason:
        pytest.skip(reason)
    worker = start_celery_worker()
    yield worker
    worker.stop()


@pytest.fixture
def celery_worker(_tasks_run_eagerly, _celery_worker_process, transactional_db, request):
    """A real worker consuming every queue; tasks queued during the test go to it, not in-process."""
    from config.celery import app

    app.conf.task_always_eager = False  # after conftest's autouse fixture forced it on
    since = _celery_worker_process.log_size()
    yield _celery_worker_process
    app.conf.task_always_eager = True
    _show_log_if_failed(request, _celery_worker_process, since)


@pytest.fixture(scope="session")
def _daphne_process(django_db_setup):
    reason = services_missing(broker=False)
    if reason:
        pytest.skip(reason)
    server, url = start_daphne()
    server.url = url
    yield server
    server.stop()


@pytest.fixture
def daphne_server(_daphne_process, transactional_db, request) -> str:
    """The base URL (http://127.0.0.1:<port>) of a real daphne serving config.asgi (HTTP + WebSocket)."""
    since = _daphne_process.log_size()
    yield _daphne_process.url
    _show_log_if_failed(request, _daphne_process, since)
