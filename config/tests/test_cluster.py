"""Past one machine: two daphne processes behind HAProxy and two Celery workers (config/testing/
cluster.py). A write answered by one daphne reaches a socket held by the other; a daphne killed
in the middle of a stream of writes loses none and duplicates none, and its sockets reconnect
through the balancer to the survivor, where the pushes reach them again."""

import asyncio
import json
import time
import uuid
from decimal import Decimal

import pytest
import requests
from channels.db import database_sync_to_async
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from alerts.models import Notification
from alerts.services.alert_rules import alert_rule_create
from config.testing.cluster import Cluster, haproxy_missing
from config.testing.live import service_env, services_missing
from finance.models import Transaction
from finance.services import account_create, budget_create
from users.credentials import token_pair_issue

pytestmark = [pytest.mark.faults, pytest.mark.services, pytest.mark.django_db(transaction=True)]

TIMEOUT = 30  # generous on a loaded machine; no speed is asserted
WRITES = 40
KILL_AFTER = 10


@pytest.fixture
def cluster(transactional_db):
    """A cluster of its own for each test, stopped before the test database is emptied (a worker still relaying
    would hold locks the flush needs)."""
    reason = services_missing(broker=True) or haproxy_missing()
    if reason:
        pytest.skip(reason)
    from config.celery import app

    app.conf.task_always_eager = False
    running = Cluster.start(service_env())
    yield running
    running.stop()
    app.conf.task_always_eager = True


@pytest.fixture
def watched(alice):
    """alice with an account, a budget of 1000 and a rule that each expense of 10 crosses (every 1 %)."""
    account = account_create(user=alice, name="Checking")
    budget_create(user=alice, amount=Decimal("1000.00"))
    alert_rule_create(
        user=alice, name="Every step", channels=["in_app"], cooldown_minutes=0, daily_limit=1000,
        thresholds=[{"percent": n, "severity": "info"} for n in range(1, 100)],
        quiet_hours_start=None, quiet_hours_end=None,
    )  # fmt: skip
    return account, token_pair_issue(alice)["access"]


def socket_on(url: str, token: str):
    ws = url.replace("http://", "ws://", 1) + "/ws/notifications/"
    return connect(ws, additional_headers={"Authorization": f"Bearer {token}"}, open_timeout=TIMEOUT)


async def next_notification(socket) -> dict:
    async with asyncio.timeout(TIMEOUT):
        while True:
            event = json.loads(await socket.recv())
            if event["type"] == "notification":
                return event["notification"]


def post_expense(url: str, token: str, account_id: int, merchant: str, key: str | None = None):
    headers = {"Authorization": f"Bearer {token}"} | ({"Idempotency-Key": key} if key else {})
    body = {"account": account_id, "amount": "10.00", "merchant": merchant}
    return requests.post(f"{url}/api/v1/transactions/", json=body, headers=headers, timeout=TIMEOUT)


def test_a_write_through_one_daphne_reaches_the_socket_on_the_other(cluster, watched):
    account, token = watched
    first, second = cluster.daphnes

    async def scenario():
        async with socket_on(first.url, token) as on_first, socket_on(second.url, token) as on_second:
            for socket in (on_first, on_second):
                await socket.recv()  # unread_count
            through_first = await asyncio.to_thread(post_expense, first.url, token, account.pk, "Corner Grocer")
            seen = await asyncio.gather(next_notification(on_second), next_notification(on_first))
            through_second = await asyncio.to_thread(post_expense, second.url, token, account.pk, "Cafe Noir")
            seen_back = await next_notification(on_first)
            return through_first.status_code, seen, through_second.status_code, seen_back

    first_status, (on_second, on_first), second_status, back = asyncio.run(scenario())
    assert (first_status, second_status) == (201, 201)
    assert on_second["id"] == on_first["id"] and on_second["kind"] == "budget_threshold"
    assert back["id"] != on_second["id"]


def newest_notification_once_settled(*, alice_id: int) -> int:
    """The newest notification's id once the workers stopped adding any (the stream's alerts are all out)."""
    newest = -1
    while True:
        time.sleep(2)
        now = Notification.objects.filter(user_id=alice_id).order_by("-id").values_list("id", flat=True).first() or 0
        if now == newest:
            return newest
        newest = now


async def notification_after(socket, newest: int) -> dict:
    """The first notification on the socket newer than `newest` (older ones of the stream may still arrive)."""
    while True:
        notification = await next_notification(socket)
        if notification["id"] > newest:
            return notification


def write_until_answered(url: str, token: str, account_id: int, merchant: str, log: dict) -> int:
    """A careful client: one Idempotency-Key per write, retried through the balancer until it is answered."""
    key = str(uuid.uuid4())
    for _ in range(90):
        try:
            answer = post_expense(url, token, account_id, merchant, key)
        except requests.RequestException:
            log["retries"] += 1
        else:
            if answer.status_code in (200, 201):
                return answer.status_code
            if answer.status_code >= 500:
                log["5xx"] += 1
            if answer.status_code not in (409, 502, 503):
                return answer.status_code
            log["retries"] += 1
        time.sleep(1)
    return 0


def test_a_daphne_killed_mid_load_loses_no_write_and_its_sockets_move_to_the_other(cluster, watched):
    account, token = watched
    run = uuid.uuid4().hex[:6]

    async def open_through_balancer(count: int):
        sockets = [await socket_on(cluster.url, token).__aenter__() for _ in range(count)]
        for socket in sockets:
            await socket.recv()
        return sockets

    async def scenario():
        sockets = await open_through_balancer(4)
        served_by = [socket.response.headers["X-Served-By"] for socket in sockets]
        log = {"retries": 0, "5xx": 0}
        statuses = []
        for n in range(WRITES):
            if n == KILL_AFTER:
                cluster.kill_daphne(0)
            merchant = f"Kill test {run} #{n}"
            statuses.append(
                await asyncio.to_thread(write_until_answered, cluster.url, token, account.pk, merchant, log)
            )
        dropped = []
        for socket, daphne in zip(sockets, served_by, strict=True):
            if daphne == cluster.daphnes[0].name:
                with pytest.raises(ConnectionClosed):
                    async with asyncio.timeout(TIMEOUT):
                        while True:
                            await socket.recv()
                dropped.append(socket)
        survivors = [s for s in sockets if s not in dropped]
        reconnected = await open_through_balancer(len(dropped))  # what the page's script does after a drop
        now_served_by = [socket.response.headers["X-Served-By"] for socket in reconnected]
        for socket in survivors:
            await socket.close()
        settled = await database_sync_to_async(newest_notification_once_settled)(alice_id=account.user_id)
        final = await asyncio.to_thread(post_expense, cluster.url, token, account.pk, f"Kill test {run} after")
        pushed = await asyncio.gather(*(notification_after(socket, settled) for socket in reconnected))
        for socket in reconnected:
            await socket.close()
        return served_by, statuses, log, now_served_by, final.status_code, pushed

    served_by, statuses, log, now_served_by, final_status, pushed = asyncio.run(scenario())

    assert set(served_by) == {"daphne1", "daphne2"}  # round robin put sockets on both
    assert statuses == [201] * WRITES and log["5xx"] == 0
    merchants = list(
        Transaction.objects.filter(merchant__startswith=f"Kill test {run} #").values_list("merchant", flat=True)
    )
    assert len(merchants) == WRITES and len(set(merchants)) == WRITES  # lost 0, duplicated 0
    assert now_served_by and set(now_served_by) == {"daphne2"}
    assert final_status == 201
    assert len({notification["id"] for notification in pushed}) == 1
    print(f"\nkilled daphne1 after {KILL_AFTER} of {WRITES} writes: retries {log['retries']}, 5xx {log['5xx']}")
