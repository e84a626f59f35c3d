"""Outages for real: Redis killed and restarted, the database taken away and given back, under a
live daphne. Writes and reads go on without Redis; without the database the answer is a quick 503."""

import json
import time
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

import pytest
from rest_framework_simplejwt.tokens import AccessToken

from config.testing.faults import PrivateRedis, TcpProxy
from config.testing.live import child_database_url, service_env, services_missing, start_daphne
from conftest import PASSWORD, make_user
from finance.models import Transaction
from finance.services.accounts import account_create

pytestmark = pytest.mark.faults


def call(base: str, method: str, path: str, *, token: str | None = None, body: dict | None = None):
    """(status, parsed JSON or None, seconds taken) of one request; a refused connection is status 0."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    started = time.monotonic()
    try:
        with urlopen(Request(base + path, data=data, method=method, headers=headers), timeout=30) as answer:  # noqa: S310
            status, raw = answer.status, answer.read()
    except HTTPError as exc:
        status, raw = exc.code, exc.read()
    except URLError:
        return 0, None, time.monotonic() - started
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = None
    return status, parsed, time.monotonic() - started


class Traffic:
    """A signed-in user's writes and reads against one server, with what a user would count."""

    def __init__(self, base: str, user):
        self.base, self.user = base, user
        self.account = account_create(user=user, name="Everyday").pk
        self.token = str(AccessToken.for_user(user))
        self.statuses: list[int] = []
        self.accepted: list[str] = []  # merchants of the writes answered 201

    def round(self, label: str, writes: int) -> None:
        for number in range(writes):
            merchant = f"{label} shop {number}"
            status, _, _ = call(
                self.base,
                "POST",
                "/api/v1/transactions/",
                token=self.token,
                body={"account": self.account, "amount": "4.20", "merchant": merchant},
            )
            self.statuses.append(status)
            if status == 201:
                self.accepted.append(merchant)
        for path in ("/api/v1/transactions/?page_size=5", "/api/v1/budgets/status/", "/api/v1/insights/summary/"):
            self.statuses.append(call(self.base, "GET", path, token=self.token)[0])
        login = call(self.base, "POST", "/api/v1/auth/token/", body={"email": self.user.email, "password": PASSWORD})
        self.statuses.append(login[0])

    def figures(self) -> dict:
        stored = list(Transaction.objects.filter(user=self.user).values_list("merchant", flat=True))
        return {
            "requests": len(self.statuses),
            "lost": len(set(self.accepted) - set(stored)),
            "duplicated": len(stored) - len(set(stored)),
            "server_errors": sum(status >= 500 for status in self.statuses),
        }


@pytest.fixture
def private_redis():
    redis = PrivateRedis()
    redis.start()
    yield redis
    redis.kill()


def test_redis_killed_and_restarted_loses_nothing(transactional_db, private_redis, fault_counts):
    if reason := services_missing(broker=False):
        pytest.skip(reason)
    env = service_env() | {"REDIS_URL": private_redis.url}
    server, base = start_daphne(env)
    try:
        alice = make_user("alice@example.com")
        traffic = Traffic(base, alice)
        traffic.round("before", writes=10)
        private_redis.kill()
        traffic.round("during", writes=40)
        private_redis.start()
        time.sleep(5.5)  # the cache tries Redis again every 5 s
        traffic.round("after", writes=10)
        log = server.log()
    finally:
        server.stop()
    figures = traffic.figures()
    fault_counts(**figures, note="Redis SIGKILLed for 40 writes, then restarted")
    assert figures == {**figures, "lost": 0, "duplicated": 0, "server_errors": 0}
    assert traffic.statuses.count(201) == 60
    # Logged once when the outage began and once when it ended, not once per request.
    assert log.count("Redis is unreachable") == 1, log
    assert log.count("Redis answers again") == 1, log


def test_database_gone_answers_503_quickly_and_recovers(transactional_db, fault_counts):
    if reason := services_missing(broker=False):
        pytest.skip(reason)
    database = urlsplit(child_database_url())
    proxy = TcpProxy((database.hostname, database.port or 5432))
    proxy.open()
    credentials = database.netloc.rsplit("@", 1)[0]
    proxied = database._replace(netloc=f"{credentials}@127.0.0.1:{proxy.port}").geturl()
    server, base = start_daphne(service_env() | {"DATABASE_URL": proxied})
    try:
        alice = make_user("alice@example.com")
        traffic = Traffic(base, alice)
        traffic.round("before", writes=5)
        proxy.close()
        outage = [
            call(
                base,
                "POST",
                "/api/v1/transactions/",
                token=traffic.token,
                body={"account": traffic.account, "amount": "1.00", "merchant": "x"},
            ),
            call(base, "GET", "/api/v1/transactions/", token=traffic.token),
            call(base, "GET", "/api/v1/budgets/status/", token=traffic.token),
        ]
        proxy.open()
        time.sleep(1)
        traffic.round("after", writes=5)
    finally:
        server.stop()
        proxy.close()
    assert [status for status, _, _ in outage] == [503, 503, 503]
    assert all("database" in body["detail"] for _, body, _ in outage)
    slowest = max(seconds for _, _, seconds in outage)
    figures = traffic.figures()
    fault_counts(**figures, note=f"database away: 3 of 3 answered 503, slowest in {slowest:.1f} s")
    assert figures == {**figures, "lost": 0, "duplicated": 0, "server_errors": 0}
    assert Transaction.objects.filter(user=alice, merchant="x").count() == 0  # nothing half-written
