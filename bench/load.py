"""Load run: N users for a while against Spendwise as several processes (two daphne behind
HAProxy, two Celery workers: config/testing/cluster.py), mixing reads, writes and sockets,
with every worker restarted in the middle (TERM, as a deploy does, then started again).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_load REDIS_URL=redis://127.0.0.1:6379/6 \\
    CELERY_BROKER_URL=amqp://guest:guest@127.0.0.1:5672/h_load python bench/load.py [--users 50] [--minutes 10]

Each user holds a notification socket through the balancer (reconnecting when it drops) and,
with a think time of about a second, reads its transactions (50 %), reads its budget status
(20 %) or posts an expense (30 %, with an Idempotency-Key, retried until answered). Every
expense crosses a threshold of the user's alert rule, so it should come back as a pushed
notification. Reported per phase (before, during = 30 s before to 90 s after the restart,
after): requests, error rate (transport errors and 5xx), p50/p95 of reads and of writes,
notifications pushed per write; at the end: writes answered vs stored (lost, duplicated),
notifications stored vs received on the sockets.
"""

import argparse
import asyncio
import json
import os
import random
import signal
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import server_env  # noqa: I001 (sets the environment before Django loads)

server_env.setup()

import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402
from websockets.exceptions import WebSocketException  # noqa: E402

from alerts.models import Notification  # noqa: E402
from alerts.services.alert_rules import alert_rule_create  # noqa: E402
from config.testing.cluster import Cluster, haproxy_missing  # noqa: E402
from finance.models import Transaction  # noqa: E402
from finance.services import account_create, budget_create  # noqa: E402
from users.credentials import token_pair_issue  # noqa: E402
from users.models import User  # noqa: E402

percentile = server_env.percentile

EXPENSE = Decimal("10.00")
STEPS = 400  # thresholds per user: one crossed by every expense
DURING_BEFORE, DURING_AFTER = 30.0, 90.0  # the "during" phase around the restart, in seconds


class Person:
    def __init__(self, user, account_id: int):
        self.user, self.account_id = user, account_id
        self.token = token_pair_issue(user)["access"]
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {self.token}"


def make_people(count: int) -> list[Person]:
    run = uuid.uuid4().hex[:8]
    people = []
    for n in range(count):
        user = User.objects.create_user(email=f"load-{run}-{n}@bench.invalid", password=None, timezone="UTC")
        account = account_create(user=user, name="Load checking")
        budget_create(user=user, amount=EXPENSE * 100)
        alert_rule_create(
            user=user, name="load", channels=["in_app"], cooldown_minutes=0, daily_limit=100_000,
            thresholds=[{"percent": n, "severity": "info"} for n in range(1, STEPS + 1)],
            quiet_hours_start=None, quiet_hours_end=None,
        )  # fmt: skip
        people.append(Person(user, account.pk))
    return people


class Recorder:
    def __init__(self, started: float, restart_at: float):
        self.started, self.restart_at = started, restart_at
        self.samples: list[tuple[float, str, float, bool]] = []  # (at, kind, seconds, failed)
        self.writes_answered = 0
        self.reconnects = 0
        self.received = 0

    def phase(self, at: float) -> str:
        if at < self.restart_at - DURING_BEFORE:
            return "before"
        return "during" if at < self.restart_at + DURING_AFTER else "after"

    def add(self, kind: str, began: float, failed: bool) -> None:
        self.samples.append((began - self.started, kind, time.monotonic() - began, failed))


def request(person: Person, method: str, path: str, url: str, **kwargs):
    return person.session.request(method, f"{url}{path}", timeout=30, **kwargs)


async def act(person: Person, url: str, rec: Recorder) -> None:
    roll = random.random()
    if roll < 0.5:
        kind, call = "read", lambda: request(person, "GET", "/api/v1/transactions/?page_size=20", url)
    elif roll < 0.7:
        kind, call = "read", lambda: request(person, "GET", "/api/v1/budgets/status/", url)
    else:
        await write(person, url, rec)
        return
    began = time.monotonic()
    try:
        answer = await asyncio.to_thread(call)
        rec.add(kind, began, answer.status_code >= 500)
    except requests.RequestException:
        rec.add(kind, began, True)


async def write(person: Person, url: str, rec: Recorder) -> None:
    """An expense with its own Idempotency-Key, retried until answered (each try is a sample)."""
    body = {"account": person.account_id, "amount": str(EXPENSE), "merchant": "Load Grocer"}
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    for _ in range(120):
        began = time.monotonic()
        try:
            answer = await asyncio.to_thread(
                request, person, "POST", "/api/v1/transactions/", url, json=body, headers=headers
            )
        except requests.RequestException:
            rec.add("write", began, True)
        else:
            rec.add("write", began, answer.status_code >= 500)
            if answer.status_code in (200, 201):
                rec.writes_answered += 1
                return
            if answer.status_code not in (409, 429) and answer.status_code < 500:
                print(f"write refused: {answer.status_code} {answer.text[:200]}", file=sys.stderr)
                return
        await asyncio.sleep(1)


async def listen(person: Person, url: str, rec: Recorder, until: float) -> None:
    ws = url.replace("http://", "ws://", 1) + "/ws/notifications/"
    while time.monotonic() < until:
        try:
            async with connect(
                ws, additional_headers={"Authorization": f"Bearer {person.token}"}, open_timeout=30
            ) as s:
                async with asyncio.timeout(max(0.1, until - time.monotonic())):
                    async for frame in s:
                        if json.loads(frame)["type"] == "notification":
                            rec.received += 1
        except TimeoutError:
            return
        except (OSError, WebSocketException):
            rec.reconnects += 1
            await asyncio.sleep(1 + random.random())


async def user_loop(person: Person, url: str, rec: Recorder, until: float) -> None:
    await asyncio.sleep(random.random() * 2)
    while time.monotonic() < until:
        await act(person, url, rec)
        await asyncio.sleep(random.uniform(0.5, 1.5))


async def run(cluster: Cluster, people: list[Person], seconds: float) -> Recorder:
    asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=len(people) + 8))
    started = time.monotonic()
    rec = Recorder(started, restart_at=started + seconds / 2)
    until = started + seconds

    async def restart_in_the_middle():
        await asyncio.sleep(seconds / 2)
        began = time.monotonic()
        for index in range(len(cluster.workers)):
            await asyncio.to_thread(cluster.workers[index].stop)
        for index in range(len(cluster.workers)):
            cluster.workers[index] = await asyncio.to_thread(cluster._worker, index, purge=False)
        print(f"workers restarted at {began - started:.0f} s, in {time.monotonic() - began:.1f} s", flush=True)

    await asyncio.gather(
        restart_in_the_middle(),
        *(listen(p, cluster.url, rec, until + 20) for p in people),  # 20 s more: the last alerts arrive
        *(user_loop(p, cluster.url, rec, until) for p in people),
    )
    return rec


def report(rec: Recorder, people: list[Person]) -> None:
    print(
        f"\n{'phase':<7} {'requests':>8} {'errors':>7} {'error %':>8} {'read p50':>9} {'read p95':>9} {'write p50':>10} {'write p95':>10}"
    )
    for phase in ("before", "during", "after"):
        rows = [s for s in rec.samples if rec.phase(rec.started + s[0]) == phase]
        errors = sum(1 for s in rows if s[3])
        reads = [s[2] for s in rows if s[1] == "read" and not s[3]]
        writes = [s[2] for s in rows if s[1] == "write" and not s[3]]
        rate = 100 * errors / len(rows) if rows else float("nan")
        print(
            f"{phase:<7} {len(rows):>8} {errors:>7} {rate:>7.2f}% {percentile(reads, 50) * 1000:>7.0f}ms "
            f"{percentile(reads, 95) * 1000:>7.0f}ms {percentile(writes, 50) * 1000:>8.0f}ms {percentile(writes, 95) * 1000:>8.0f}ms"
        )
    users = [p.user for p in people]
    stored = Transaction.objects.filter(user__in=users).count()
    notifications = Notification.objects.filter(user__in=users).count()
    print(
        f"\nwrites answered {rec.writes_answered}, stored {stored} (lost {max(0, rec.writes_answered - stored)}, "
        f"extra {max(0, stored - rec.writes_answered)})"
    )
    print(
        f"notifications stored {notifications}, received on sockets {rec.received}; socket reconnects {rec.reconnects}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=10.0)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))
    if not (settings.USES_POSTGRES and settings.REDIS_URL and settings.CELERY_BROKER_URL) or haproxy_missing():
        sys.exit("needs DATABASE_URL (PostgreSQL), REDIS_URL, CELERY_BROKER_URL and HAProxy (apt-get install haproxy)")
    call_command("migrate", verbosity=0)
    people = make_people(args.users)
    env = server_env.server_env()
    cluster = Cluster.start(env)
    try:
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"{args.users} users for {args.minutes:g} min through {cluster.url} (2 daphne, 2 workers); "
            f"{os.cpu_count()} CPUs shared with other work, load average {load}",
            flush=True,
        )
        rec = asyncio.run(run(cluster, people, args.minutes * 60))
        report(rec, people)
        print(f"load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
