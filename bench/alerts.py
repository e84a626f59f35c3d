"""Benchmark of the real-time path: POST a transaction, see the notification on the socket.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_realtime REDIS_URL=redis://127.0.0.1:6379/6 \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/6 python bench/alerts.py [--levels 1,50,200] [--idle 10000]

Starts its own daphne and Celery worker (DEBUG off) against the given PostgreSQL and
Redis, or uses a running server with --url (then --pid names the daphne process to
measure, and the server must share this process's DATABASE_URL and SECRET_KEY, since
the bench creates its users in the database and signs their JWTs itself).

1. Latency, at each concurrency level: that many users, each with an overall budget and
   a rule whose thresholds sit every 2 % (as many as the user will post, 12 for --posts 12: a rule
   of realistic size), post expenses of 2 % of the budget, back to back
   (each user waits for the notification, then posts again) or every --interval seconds
   (an open loop: the pace holds even when answers are late); each POST crosses one threshold. Reported: POST to notification on the
   user's socket, next to the same POST by users with no socket open (same run), and
   its two parts after the POST's write: the relay (outbox event created -> notification
   row created) and the push (notification row created -> frame on the socket), and the
   CPU each server process (and PostgreSQL) spent per notified post: steadier than the
   percentiles on a shared machine, so the figure to compare code changes by. Before each round the
   tables a post churns are vacuumed and analysed, as autovacuum would have (it may be off).
2. Idle sockets: opens --idle sockets to one daphne process, then reports its memory
   per connection, idle CPU, how long reconnecting all of them takes, and its memory
   after they all disconnect.
"""

import argparse
import asyncio
import json
import os
import random
import resource
import signal
import sys
import time
import uuid
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import server_env  # noqa: I001 (sets the environment before Django loads)

server_env.setup()

from django.conf import settings  # noqa: E402
from rest_framework_simplejwt.tokens import RefreshToken  # noqa: E402
from websockets.asyncio.client import connect as ws_connect  # noqa: E402
from websockets.exceptions import WebSocketException  # noqa: E402

from alerts.services.alert_rules import alert_rule_create  # noqa: E402
from config.runtime.heap import heap_settle  # noqa: E402
from config.testing.live import start_celery_worker, start_daphne  # noqa: E402
from finance.services import account_create, budget_create  # noqa: E402
from users.models import User  # noqa: E402

BUDGET = Decimal("1000.00")
STEP_PERCENT = 2  # one threshold every 2 % of the budget, each POST spends 2 %
NOTIFICATION_TIMEOUT = 15.0
CROSSING_KINDS = {"budget_threshold", "overspend"}


# ---------------------------------------------------------------- users and their tokens


class BenchUser:
    def __init__(self, user, account_id: int):
        self.user = user
        self.account_id = account_id
        self.token = str(RefreshToken.for_user(user).access_token)


def make_users(count: int, label: str, *, crossings: int = 0, category: str | None = None) -> list[BenchUser]:
    """Users with an account; with `crossings`, a budget and a rule that each of that many posts crosses once
    (on all spending, or on `category` alone)."""
    run = uuid.uuid4().hex[:8]
    thresholds = [{"percent": STEP_PERCENT * n, "severity": "info"} for n in range(1, crossings + 1)]
    users = []
    for i in range(count):
        user = User.objects.create_user(email=f"bench-{label}-{run}-{i}@bench.invalid", password=None, timezone="UTC")
        account = account_create(user=user, name="Bench checking")
        if crossings:
            budget_create(user=user, amount=BUDGET, category=category)
            alert_rule_create(
                user=user, name="bench", thresholds=thresholds, channels=["in_app"], category=category,
                quiet_hours_start=None, quiet_hours_end=None, cooldown_minutes=0, daily_limit=1000,
            )  # fmt: skip
        users.append(BenchUser(user, account.pk))
    return users


# ---------------------------------------------------------------- a small HTTP/1.1 client


class HttpConnection:
    """One keep-alive connection; enough HTTP for JSON POSTs to our own server."""

    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port or 80
        self.reader = self.writer = None

    async def post_json(self, path: str, body: dict, token: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        data = json.dumps(body).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
        )
        self.writer.write(head.encode() + data)
        status_line = await self.reader.readline()
        headers = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        else:  # no length: the server closes after the body
            await self.reader.read()
            await self.close()
        return int(status_line.split()[1])

    async def close(self):
        if self.writer is not None:
            self.writer.close()
            self.writer = None


def expense(account_id: int, category: str | None = None, amount: Decimal | None = None) -> dict:
    body = {"account": account_id, "amount": str(amount or BUDGET * STEP_PERCENT / 100), "kind": "expense"}
    body["merchant"] = "Bench"
    if category:
        body["category"] = category
    return body


# ---------------------------------------------------------------- latency


def ws_url(base_url: str) -> str:
    return base_url.replace("http://", "ws://", 1).rstrip("/") + "/ws/notifications/"


async def open_socket(base_url: str, token: str):
    return await ws_connect(
        ws_url(base_url), additional_headers={"Authorization": f"Bearer {token}"}, origin=base_url,
        ping_interval=None, open_timeout=120, close_timeout=5, compression=None, max_queue=64,
    )  # fmt: skip


async def open_ready(base_url: str, token: str, failures: list):
    """A socket whose consumer has joined its group (it said the unread count); None after 3 refusals."""
    for _ in range(3):
        try:
            socket = await open_socket(base_url, token)
            await socket.recv()
            return socket
        except (OSError, TimeoutError, WebSocketException) as exc:
            failures.append(f"{type(exc).__name__}: {exc}")
    return None


async def schedule(posts: int, interval: float):
    """When each post starts: back to back (interval 0), or every `interval` seconds from a random offset,
    whether or not the previous answer came in time. Latency counts from the scheduled start, so a
    slow answer that delays the next post is not hidden (no coordinated omission)."""
    start = time.perf_counter() + random.uniform(0, interval)
    for number in range(posts):
        planned = start + number * interval
        wait = planned - time.perf_counter()
        if wait > 0:
            await asyncio.sleep(wait)
        yield planned if interval else time.perf_counter()


async def notified_poster(base_url: str, user: BenchUser, socket, posts: int, interval: float, out: dict) -> None:
    """Post one after another (see schedule); each time, wait for the notification it causes."""
    arrivals: asyncio.Queue = asyncio.Queue()

    async def listen():
        async for frame in socket:
            event = json.loads(frame)
            # each POST crosses one threshold (the one at 100 % is an overspend); a forecast
            # warning may come along once a month
            if event.get("type") == "notification" and event["notification"]["kind"] in CROSSING_KINDS:
                created = datetime.fromisoformat(event["notification"]["created_at"]).timestamp()
                out["push"].append(time.time() - created)
                caused = event["notification"]["data"].get("event_at")
                if caused:
                    out["relay"].append(created - datetime.fromisoformat(caused).timestamp())
                arrivals.put_nowait(time.perf_counter())

    listener = asyncio.create_task(listen())
    http = HttpConnection(base_url)
    try:
        async for start in schedule(posts, interval):
            while not arrivals.empty():
                arrivals.get_nowait()
            status = await http.post_json("/api/v1/transactions/", expense(user.account_id), user.token)
            out["post"].append(time.perf_counter() - start)
            if status != 201:
                out["errors"].append(f"POST answered {status}")
                continue
            try:
                out["notified"].append(await asyncio.wait_for(arrivals.get(), NOTIFICATION_TIMEOUT) - start)
            except TimeoutError:
                out["errors"].append(f"no notification within {NOTIFICATION_TIMEOUT:.0f} s")
    finally:
        listener.cancel()
        await http.close()
        await socket.close()


async def bare_poster(base_url: str, user: BenchUser, posts: int, interval: float, out: dict) -> None:
    http = HttpConnection(base_url)
    try:
        async for start in schedule(posts, interval):
            status = await http.post_json("/api/v1/transactions/", expense(user.account_id), user.token)
            out["post"].append(time.perf_counter() - start)
            if status != 201:
                out["errors"].append(f"POST answered {status}")
    finally:
        await http.close()


def process_cpu(pids: dict[str, int]) -> dict[str, float]:
    """CPU seconds used so far by the server's processes (by role) and by the PostgreSQL backends serving
    the bench's database (other databases on the same server, and its shared background processes, not)."""
    from django.db import connection

    used = {role: cpu_seconds(pid) for role, pid in pids.items()}
    used["postgres"] = 0.0
    database = f" {connection.settings_dict['NAME']} ".encode()
    for entry in Path("/proc").iterdir():
        try:
            backend = entry.name.isdigit() and (entry / "comm").read_text().strip() == "postgres"
            if backend and database in (entry / "cmdline").read_bytes().replace(b"\0", b" "):
                used["postgres"] += cpu_seconds(int(entry.name))
        except OSError:  # gone meanwhile
            continue
    return used


async def latency_level(
    base_url: str, socket_users, bare_users, posts: int, interval: float, in_flight: int, pids: dict[str, int]
) -> dict:
    bare = {"post": [], "errors": []}
    await asyncio.gather(*(bare_poster(base_url, u, posts, interval, bare) for u in bare_users))
    await asyncio.sleep(2)  # let the worker finish the bare round's alerts
    live = {"post": [], "notified": [], "relay": [], "push": [], "errors": []}
    sockets = await open_many(base_url, [u.token for u in socket_users], len(socket_users), in_flight, live["errors"])
    ready = [(u, s) for u, s in zip(socket_users, sockets, strict=True) if s is not None]
    before = process_cpu(pids)
    await asyncio.gather(*(notified_poster(base_url, u, s, posts, interval, live) for u, s in ready))
    await asyncio.sleep(1)  # the last posts' insights relays
    live["cpu"] = {role: used - before[role] for role, used in process_cpu(pids).items()}
    return {"bare": bare, "live": live}


percentile = server_env.percentile


def ms(value: float) -> str:
    return f"{value * 1000:8.1f}"


LATENCY_HEADER = (
    f"{'users':>6} {'samples':>8} {'notif p50':>10} {'p95':>8} {'p99':>8} {'POST p95':>9} {'bare POST p95':>14} "
    f"{'ratio':>6} {'relay p50/p95':>14} {'push p50/p95':>13}  errors"
)


def _pair(values: list[float]) -> str:
    return f"{percentile(values, 50) * 1000:.1f}/{percentile(values, 95) * 1000:.1f}"


def print_latency_row(level: int, r: dict) -> None:
    notified, bare = r["live"]["notified"], r["bare"]["post"]
    ratio = percentile(notified, 95) / percentile(bare, 95) if bare and notified else float("nan")
    errors = len(r["live"]["errors"]) + len(r["bare"]["errors"])
    print(
        f"{level:>6} {len(notified):>8} {ms(percentile(notified, 50)):>10} {ms(percentile(notified, 95))} "
        f"{ms(percentile(notified, 99))} {ms(percentile(r['live']['post'], 95)):>9} {ms(percentile(bare, 95)):>14} "
        f"{ratio:6.2f} {_pair(r['live']['relay']):>14} {_pair(r['live']['push']):>13}  {errors}",
        flush=True,
    )
    per_post = ", ".join(
        f"{role} {used * 1000 / max(len(notified), 1):.1f} ms" for role, used in r["live"]["cpu"].items()
    )
    print(f"{'':>8}CPU per notified post (socket round): {per_post}", flush=True)
    for message in sorted(set(r["live"]["errors"] + r["bare"]["errors"]))[:3]:
        print(f"{'':>8}{message[:110]}", flush=True)


# ---------------------------------------------------------------- the mix at a rate

MIX_WATCHED, MIX_UNWATCHED = "groceries", "dining"  # the budget and rule watch groceries; dining has neither
MIX_QUIET_AMOUNT = Decimal("3.50")
MISSED_AFTER = 5.0  # an alert that has not arrived by then counts as missed


async def mix_crossing(base_url: str, user: BenchUser, socket, posts: int, interval: float, out: dict) -> None:
    """Every `interval` seconds a groceries expense that crosses the next threshold; wait for its alert."""
    arrivals: asyncio.Queue = asyncio.Queue()

    async def listen():
        async for frame in socket:
            event = json.loads(frame)
            if event.get("type") == "notification" and event["notification"]["kind"] in CROSSING_KINDS:
                arrivals.put_nowait(time.perf_counter())

    listener = asyncio.create_task(listen()) if socket is not None else None
    http = HttpConnection(base_url)
    try:
        async for start in schedule(posts, interval):
            while not arrivals.empty():
                arrivals.get_nowait()
            status = await http.post_json("/api/v1/transactions/", expense(user.account_id, MIX_WATCHED), user.token)
            out["post"].append(time.perf_counter() - start)
            if status != 201:
                out["errors"].append(f"POST answered {status}")
                continue
            if socket is None:
                continue
            try:
                out["notified"].append(await asyncio.wait_for(arrivals.get(), MISSED_AFTER) - start)
            except TimeoutError:
                out["missed"] += 1
    finally:
        if listener is not None:
            listener.cancel()
        await http.close()


async def mix_quiet(base_url: str, user: BenchUser, posts: int, interval: float, out: dict) -> None:
    """Every `interval` seconds, half a period after the crossing one, an expense that crosses nothing."""
    await asyncio.sleep(interval / 2)
    http = HttpConnection(base_url)
    body = expense(user.account_id, MIX_UNWATCHED, MIX_QUIET_AMOUNT)
    try:
        async for start in schedule(posts, interval):
            status = await http.post_json("/api/v1/transactions/", body, user.token)
            out["post"].append(time.perf_counter() - start)
            if status != 201:
                out["errors"].append(f"POST answered {status}")
    finally:
        await http.close()


async def mix_round(base_url: str, users: list[BenchUser], posts: int, interval: float, sockets: list | None) -> dict:
    out = {"post": [], "notified": [], "missed": 0, "errors": []}
    sockets = sockets or [None] * len(users)
    await asyncio.gather(
        *(mix_crossing(base_url, u, s, posts, interval, out) for u, s in zip(users, sockets, strict=True)),
        *(mix_quiet(base_url, u, posts, interval, out) for u in users),
    )
    return out


def mix_users(users: int, posts: int) -> tuple[list[BenchUser], list[BenchUser]]:
    """Users for the bare round and for the socket round, each with a groceries budget and a rule on it."""
    return (
        make_users(users, "mix-bare", crossings=posts, category=MIX_WATCHED),
        make_users(users, "mix-live", crossings=posts, category=MIX_WATCHED),
    )


async def mix_rate(
    base_url: str, cast: tuple[list[BenchUser], list[BenchUser]], rate: float, posts: int, in_flight: int, pids: dict
) -> dict:
    """Each user posts one crossing and one quiet expense every 2 * users / rate seconds: first without
    sockets (the bare POST), then with every user's socket open (the alert)."""
    bare_users, live_users = cast
    interval = 2 * len(live_users) / rate
    bare = await mix_round(base_url, bare_users, posts, interval, None)
    await asyncio.sleep(2)  # the bare round's relays
    failures: list[str] = []
    sockets = await open_many(base_url, [u.token for u in live_users], len(live_users), in_flight, failures)
    ready = [(u, s) for u, s in zip(live_users, sockets, strict=True) if s is not None]
    before = process_cpu(pids)
    live = await mix_round(base_url, [u for u, _ in ready], posts, interval, [s for _, s in ready])
    await asyncio.sleep(1)  # the last posts' relays
    live["cpu"] = {role: used - before[role] for role, used in process_cpu(pids).items()}
    live["errors"] += failures
    await close_many([s for _, s in ready], in_flight)
    return {"rate": rate, "writes": len(live["post"]), "bare": bare, "live": live}


MIX_HEADER = (
    f"{'writes/s':>8} {'writes':>7} {'alert p50':>10} {'p95':>8} {'p99':>8} {'bare POST p95':>14} "
    f"{'ratio':>6} {'missed':>10}  CPU per write (ms): daphne / worker / postgres"
)


def print_mix_row(r: dict) -> None:
    live, bare = r["live"], r["bare"]
    notified = live["notified"]
    crossings = len(notified) + live["missed"]
    ratio = percentile(notified, 95) / percentile(bare["post"], 95) if notified and bare["post"] else float("nan")
    cpu = " / ".join(f"{live['cpu'].get(role, float('nan')) * 1000 / max(r['writes'], 1):.1f}"
                     for role in ("daphne", "worker", "postgres"))  # fmt: skip
    print(
        f"{r['rate']:>8g} {r['writes']:>7} {ms(percentile(notified, 50)):>10} {ms(percentile(notified, 95))} "
        f"{ms(percentile(notified, 99))} {ms(percentile(bare['post'], 95)):>14} {ratio:6.2f} "
        f"{live['missed']:>4} of {crossings:<4}  {cpu}",
        flush=True,
    )
    for message in sorted(set(live["errors"] + bare["errors"]))[:3]:
        print(f"{'':>8}{message[:110]}", flush=True)


# ---------------------------------------------------------------- idle sockets


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid: int) -> float:
    """CPU seconds of a process and of its children (a prefork worker's pool processes)."""
    total, children = 0.0, {pid}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(entry.name) in children or int(fields[1]) in children:
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


async def open_many(base_url: str, tokens: list[str], count: int, in_flight: int, failures: list) -> list:
    """Open `count` sockets, `in_flight` handshakes at a time; None where one was refused 3 times."""
    gate = asyncio.Semaphore(in_flight)

    async def one(i: int):
        async with gate:
            return await open_ready(base_url, tokens[i % len(tokens)], failures)

    return await asyncio.gather(*(one(i) for i in range(count)))


async def close_many(sockets: list, in_flight: int) -> None:
    gate = asyncio.Semaphore(in_flight)

    async def one(socket):
        async with gate:
            await socket.close()

    await asyncio.gather(*(one(s) for s in sockets if s is not None))


async def idle_sockets(
    base_url: str, pid: int | None, count: int, tokens: list[str], idle_seconds: float, in_flight: int
) -> dict:
    failures: list[str] = []
    figures: dict = {"count": count, "failures": failures}
    await close_many(await open_many(base_url, tokens, 200, 100, failures), 100)  # warm up imports and pools
    failures.clear()
    await asyncio.sleep(2)
    if pid:
        figures["rss_before"] = rss_mib(pid)
    started = time.perf_counter()
    sockets = await open_many(base_url, tokens, count, in_flight, failures)
    figures["open_s"], figures["opened"] = time.perf_counter() - started, sum(s is not None for s in sockets)
    await asyncio.sleep(3)
    if pid:
        figures["rss_open"] = rss_mib(pid)
        cpu_start, wall_start = cpu_seconds(pid), time.perf_counter()
    await asyncio.sleep(idle_seconds)
    if pid:
        figures["idle_cpu_pct"] = 100 * (cpu_seconds(pid) - cpu_start) / (time.perf_counter() - wall_start)
    started = time.perf_counter()
    await close_many(sockets, in_flight)
    sockets = await open_many(base_url, tokens, count, in_flight, failures)
    figures["reconnect_s"], figures["reopened"] = time.perf_counter() - started, sum(s is not None for s in sockets)
    await close_many(sockets, in_flight)
    await asyncio.sleep(
        8
    )  # daphne hands memory back a few seconds after a wave of closes (config.runtime.socket_memory)
    if pid:
        figures["rss_after"] = rss_mib(pid)
    return figures


def print_idle(f: dict) -> None:
    print(f"\nIdle WebSockets on one daphne process ({f['count']:,} asked for)")
    print(f"  open (handshake, auth, join)  {f['opened']:>8,} sockets in {f['open_s']:.1f} s")
    print(f"  reconnect all (close, reopen) {f['reopened']:>8,} sockets in {f['reconnect_s']:.1f} s")
    if "rss_before" in f:
        per_conn_kib = (f["rss_open"] - f["rss_before"]) * 1024 / max(f["opened"], 1)
        back = 100 * (f["rss_after"] / f["rss_before"] - 1)
        print(f"  RSS before                    {f['rss_before']:8.1f} MiB")
        print(f"  RSS with all open             {f['rss_open']:8.1f} MiB  ({per_conn_kib:.1f} KiB per connection)")
        print(f"  idle CPU with all open        {f['idle_cpu_pct']:8.1f} % of one core")
        print(f"  RSS after all disconnected    {f['rss_after']:8.1f} MiB  ({back:+.0f} % vs before)")
    if f["failures"]:
        print(f"  failed handshakes (retried)   {len(f['failures']):>8,}  e.g. {f['failures'][0][:100]}")


# ---------------------------------------------------------------- main


def raise_open_files_limit(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, needed)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    if wanted < needed:
        print(f"warning: open files limited to {wanted}; {needed} sockets may not fit (raise ulimit -Hn)")


def migrate_if_needed() -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", verbosity=0)


# What a notified post writes or rewrites. A production server's autovacuum keeps these clean; PostgreSQL on
# some machines runs without it (this project's CI kind, 2026-12-04), where the dead rows of each run would
# slow the next one down.
CHURNED_TABLES = (
    "finance_transaction", "finance_account", "finance_monthlycategorytotal", "finance_undoentry",
    "finance_outboxevent", "finance_outboxhandled", "insights_profile",
    "alerts_thresholdfiring", "alerts_notification", "alerts_delivery",
)  # fmt: skip


def vacuum_churned_tables() -> None:
    """As autovacuum would leave them: each round measures the steady state, not what earlier runs left."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in CHURNED_TABLES:
            cursor.execute(f"VACUUM ANALYZE {table}")


def start_services(*, pool: str, concurrency: int):
    env = server_env.server_env()
    worker = start_celery_worker(env, concurrency=concurrency, pool=pool)
    server, url = start_daphne(dict(env, PYTHONMALLOC="malloc"), backlog=4096)  # as scripts/run.sh starts it
    return [worker, server], url, {"daphne": server.process.pid, "worker": worker.process.pid}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running server (default: start daphne and a worker)")
    parser.add_argument("--pid", type=int, help="with --url: the daphne process to measure")
    parser.add_argument("--levels", default="1,50,200", help="concurrent users per latency round")
    parser.add_argument("--posts", type=int, default=0, help="posts per user (default: enough for ~200 samples)")
    parser.add_argument(
        "--interval", type=float, default=0.0, help="seconds between one user's posts (default 0: back to back)"
    )
    parser.add_argument("--idle", type=int, default=10_000, help="idle sockets to open (0: skip)")
    parser.add_argument("--idle-seconds", type=float, default=15.0)
    parser.add_argument("--in-flight", type=int, default=100, help="handshakes under way at once when opening sockets")
    parser.add_argument("--skip-latency", action="store_true")
    parser.add_argument(
        "--rates", default="", help="the mix instead: writes/s per round, e.g. 10,20,50,100 (50 users, see --mix-users)"
    )
    parser.add_argument("--mix-users", type=int, default=50)
    parser.add_argument("--worker-pool", default="threads", choices=["threads", "prefork", "solo"])
    parser.add_argument("--worker-concurrency", type=int, default=8, help="threads or processes of the worker")
    parser.add_argument("--mix-seconds", type=float, default=30.0, help="length of each round of the mix")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))  # still stop daphne and the worker
    if not (settings.USES_POSTGRES and settings.REDIS_URL and (args.url or settings.CELERY_BROKER_URL)):
        sys.exit("needs DATABASE_URL (PostgreSQL), REDIS_URL and CELERY_BROKER_URL (or --url of a running server)")
    raise_open_files_limit(args.idle + 1024)  # each side (this client, daphne) holds one fd per socket

    migrate_if_needed()
    if args.url:
        processes, url, pids = [], args.url.rstrip("/"), ({"daphne": args.pid} if args.pid else {})
    else:
        processes, url, pids = start_services(pool=args.worker_pool, concurrency=args.worker_concurrency)
    pid = pids.get("daphne")
    try:
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"server {url} (daphne pid {pid or '?'}), {os.cpu_count()} CPUs, load average {load}")
        if args.rates:
            print(f"\nThe mix: {args.mix_users} users, each posting one crossing and one quiet expense per period")
            print(
                f"(alert: POST to notification on the socket, ms; missed: none within {MISSED_AFTER:g} s)\n{MIX_HEADER}"
            )
            for rate in [float(x) for x in args.rates.split(",") if x]:
                posts = max(3, round(args.mix_seconds * rate / (2 * args.mix_users)))
                cast = mix_users(args.mix_users, posts)
                vacuum_churned_tables()
                heap_settle()
                print_mix_row(asyncio.run(mix_rate(url, cast, rate, posts, args.in_flight, pids)))
        elif not args.skip_latency:
            pace = f"every {args.interval:g} s per user" if args.interval else "back to back"
            print(f"\nPOST -> notification on the socket (ms), posts {pace}\n{LATENCY_HEADER}", flush=True)
            for level in [int(x) for x in args.levels.split(",") if x]:
                posts = args.posts or max(3, min(50, 200 // level))
                users = make_users(level, "live", crossings=posts), make_users(level, "bare", crossings=posts)
                vacuum_churned_tables()
                heap_settle()  # this client's own full collections would count as the server's latency
                figures = asyncio.run(latency_level(url, *users, posts, args.interval, args.in_flight, pids))
                print_latency_row(level, figures)
        if args.idle and not args.rates:
            tokens = [u.token for u in make_users(100, "idle")]
            print_idle(asyncio.run(idle_sockets(url, pid, args.idle, tokens, args.idle_seconds, args.in_flight)))
    finally:
        for process in processes:
            process.stop()


if __name__ == "__main__":
    main()
