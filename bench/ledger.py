"""Ledger benchmark (not a test): API latency under concurrent clients, and categorisation time.

Makes sure --users people with about --transactions transactions in total exist in PostgreSQL (made
by seed_demo: COPY, the monthly aggregate rebuilt set-wise; then each user's categoriser is taught
from their history), starts --servers daphne processes (or uses --url), and lets --clients concurrent
clients, each signed in as its own user, repeat: POST /api/v1/transactions/, GET /api/v1/transactions/
(a page of 50), GET /api/v1/budgets/status/. Prints p50/p95/max per endpoint and the categorisation time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_ledger python bench/ledger.py
    python bench/ledger.py --users 100 --transactions 100000 --clients 20 --rounds 20
    python bench/ledger.py --reuse            # keep the data loaded by an earlier run

With --url, the server must share this process's SECRET_KEY (the clients sign their own JWTs).
Use a database of its own: the bench users are seed_demo's people (userNNNNN@seed.spendwise.local);
seed_demo is idempotent, so people made by an earlier run are kept as they are.
"""

import argparse
import io
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(48))

# seed_demo makes about this many transactions per person and month (salary, rent, bills, day-to-day spending).
TRANSACTIONS_PER_USER_MONTH = 47
# (merchant, description, category slug, typical amount)
SHOPPING_LIST = [
    ("Lidl", "weekly shop", "groceries", 45), ("Aldi", "groceries", "groceries", 38), ("Rewe", "food", "groceries", 30),
    ("Cafe Luna", "coffee", "dining", 6), ("Pizza Roma", "dinner", "dining", 28), ("Burger Barn", "lunch", "dining", 12),
    ("Shell", "fuel", "transport", 60), ("Uber", "ride home", "transport", 18), ("BVG", "monthly pass", "transport", 86),
    ("Netflix", "subscription", "subscriptions", 13), ("Spotify", "premium", "subscriptions", 11),
    ("Stadtwerke", "electricity", "utilities", 70), ("Telekom", "phone bill", "utilities", 40),
    ("Cinema City", "tickets", "entertainment", 24), ("Steam", "game", "entertainment", 20),
    ("Zalando", "shoes", "shopping", 80), ("Amazon", "order", "shopping", 35), ("DM", "toiletries", "personal_care", 15),
    ("Apotheke", "pharmacy", "health", 22), ("Landlord", "rent", "housing", 900), ("Allianz", "insurance", "insurance", 55),
    ("Booking.com", "hotel", "travel", 240), ("Udemy", "course", "education", 15), ("ATM", "cash withdrawal", "cash", 100),
]  # fmt: skip


def setup_django(args) -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database of its own, e.g. postgres://postgres@127.0.0.1:5432/bench_ledger"
        )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", verbosity=0)


def timed(label: str):
    class Timer:
        def __enter__(self):
            self.start = time.perf_counter()
            print(f"{label}...", end=" ", flush=True)

        def __exit__(self, *exc):
            print(f"{time.perf_counter() - self.start:.1f} s", flush=True)

    return Timer()


def bench_users():
    from finance.demo.seeding import PERSON_EMAIL
    from users.models import User

    return User.objects.filter(email__endswith=PERSON_EMAIL.split("@")[1]).order_by("id")


def load(args) -> None:
    from django.core.management import call_command
    from django.db import connection

    months = max(1, min(120, round(args.transactions / (args.users * TRANSACTIONS_PER_USER_MONTH))))
    summary = io.StringIO()
    with timed(f"seed_demo --users {args.users} --months {months}"):
        call_command("seed_demo", users=args.users, months=months, stdout=summary)
    print(summary.getvalue().splitlines()[0])
    # As autovacuum would leave them in a while: a run measures the steady state, not the first reads of a
    # table just bulk-loaded (no visibility map, hint bits not yet set).
    with timed("VACUUM ANALYZE"), connection.cursor() as cursor:
        for table in ("finance_transaction", "finance_monthlycategorytotal", "finance_account"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    if args.teach:
        teach(list(bench_users()[: args.users]))


def teach(users) -> None:
    """Each user's categoriser learns from their own history, as it would have transaction by transaction
    (the merchant memory; their models are refitted by the worker's sweep, not here: ~1 s each)."""
    from django.db import transaction

    from finance.models import Transaction
    from finance.services.categorizer import model_teach

    with timed(f"teaching {len(users)} categorisers from their history"):
        for user in users:
            rows = Transaction.objects.filter(user=user).values_list("merchant", "description", "kind", "category_id")
            with transaction.atomic():
                model_teach(user=user, lessons=[(m, d, k, c, 1) for m, d, k, c in rows])


def categorisation_times(args) -> list[float]:
    from finance.services import categorizer_for

    rng = random.Random(11)
    samples = []
    for user in bench_users()[: min(args.users, 50)]:
        categorizer = categorizer_for(user=user)
        for _ in range(200):
            merchant, description, _, _ = rng.choice(SHOPPING_LIST)
            start = time.perf_counter()
            categorizer.categorize(merchant=f"{merchant} {rng.randrange(100)}", description=description)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def start_servers(args, application: str) -> tuple[list[str], list[subprocess.Popen]]:
    env = {
        **os.environ,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "THROTTLE_USER": "1000000/min",
        "JWT_ACCESS_MINUTES": "240",
        "LOG_LEVEL": "WARNING",
        # Production shape: a broker queues the outbox relay (nothing consumes it during the run),
        # Redis holds the cache; without them Celery would run every handler inside the request.
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", args.redis),
        "REDIS_URL": os.environ.get("REDIS_URL", args.redis),
    }
    urls, processes = [], []
    for index in range(args.servers):
        port = args.port + index
        if not port_is_free(port):
            stop(processes)
            sys.exit(f"port {port} is taken; pick others with --port")
        command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), application]
        log = open(f"/tmp/bench-ledger-daphne-{port}.log", "wb")  # noqa: SIM115 (lives as long as the server)
        processes.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
        urls.append(f"http://127.0.0.1:{port}")
    import requests

    for url, process in zip(urls, processes, strict=True):
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if process.poll() is not None:
                stop(processes)
                sys.exit(f"daphne for {url} exited; see /tmp/bench-ledger-daphne-*.log")
            try:
                requests.get(url + "/api/v1/budgets/status/", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.5)
        else:
            stop(processes)
            sys.exit(f"daphne at {url} did not start")
    return urls, processes


def cpu_seconds(processes) -> float:
    """User + system CPU the processes have used so far (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for process in processes:
        fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def stop(processes) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def client_loop(
    *, base_url: str, token: str, account_id: int, rounds: int, interval: float, results: dict, lock, barrier
) -> None:
    """Back to back (interval 0), or one request every `interval` seconds from a random offset whether or
    not the previous answer came in time; then a request's time counts from when it was due."""
    import requests

    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    rng = random.Random(account_id)
    timings: dict[str, list[float]] = {"POST transactions": [], "GET transactions": [], "GET budgets/status": []}
    failures: list[str] = []
    barrier.wait()
    due = time.perf_counter() + rng.uniform(0, interval)
    for round_number in range(rounds + 1):
        merchant, description, _, typical = rng.choice(SHOPPING_LIST)
        calls = [
            ("POST transactions", "post", "/api/v1/transactions/", 201,
             {"json": {"account": account_id, "amount": f"{typical}.{rng.randrange(100):02d}", "merchant": merchant,
                       "description": description}}),
            ("GET transactions", "get", "/api/v1/transactions/?page_size=50", 200, {}),
            ("GET budgets/status", "get", "/api/v1/budgets/status/", 200, {}),
        ]  # fmt: skip
        for name, method, path, expected, extra in calls:
            if interval:
                time.sleep(max(0.0, due - time.perf_counter()))
                start, due = due, due + interval
            else:
                start = time.perf_counter()
            response = getattr(session, method)(base_url + path, timeout=60, **extra)
            elapsed = (time.perf_counter() - start) * 1000
            if response.status_code != expected:
                failures.append(f"{name}: {response.status_code} {response.text[:120]!r}")
            elif round_number:  # the first round warms connections and caches
                timings[name].append(elapsed)
    with lock:
        for name, values in timings.items():
            results.setdefault(name, []).extend(values)
        results.setdefault("failures", []).extend(failures)


def run_clients(args, urls: list[str]) -> tuple[dict, float]:
    from rest_framework_simplejwt.tokens import RefreshToken

    users = list(bench_users().prefetch_related("accounts")[: args.clients])
    results: dict[str, list[float]] = {}
    lock, barrier = threading.Lock(), threading.Barrier(len(users))
    threads = [
        threading.Thread(
            target=client_loop,
            kwargs={
                "base_url": urls[index % len(urls)],
                "token": str(RefreshToken.for_user(user).access_token),
                "account_id": user.accounts.all()[0].pk,
                "rounds": args.rounds,
                "interval": args.interval,
                "results": results,
                "lock": lock,
                "barrier": barrier,
            },
        )
        for index, user in enumerate(users)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - start


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def report(
    results: dict, elapsed: float, categorisation: list[float], args, *, application: str, cpu: float | None
) -> None:
    from django.db import connection

    from finance.models import Transaction

    total = Transaction.all_objects.filter(user__in=bench_users()).count()
    print(f"\n{bench_users().count()} users, {total:,} transactions, {args.clients} clients, {args.servers or 'external'} "
          f"server(s), {args.rounds} rounds each, PostgreSQL {connection.pg_version // 10000}, "
          f"{f'a request every {args.interval:g} s per client' if args.interval else 'requests back to back'}, "
          f"serving {application}")  # fmt: skip
    failures = results.pop("failures", [])
    print(f"{'endpoint':<22}{'requests':>10}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}{'req/s':>10}")
    for name, values in results.items():
        if not values:
            continue
        print(f"{name:<22}{len(values):>10}{statistics.median(values):>10.1f}{percentile(values, 0.95):>10.1f}"
              f"{max(values):>10.1f}{len(values) / elapsed:>10.1f}")  # fmt: skip
    print(f"{'categorisation':<22}{len(categorisation):>10}{statistics.median(categorisation):>10.3f}"
          f"{percentile(categorisation, 0.95):>10.3f}{max(categorisation):>10.3f}   (in-process, per transaction)")  # fmt: skip
    if cpu is not None:
        answered = sum(len(values) for values in results.values())
        print(f"server CPU: {1000 * cpu / answered:.1f} ms per request ({cpu:.1f} s for {answered} requests)")
    if failures:
        print(f"\n{len(failures)} requests failed (not in the timings), e.g. {failures[0]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument(
        "--transactions",
        type=int,
        default=1_000_000,
        help="about this many in total (seed_demo makes ~47 per person and month; the months follow)",
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=20, help="create + list + status per client")
    parser.add_argument(
        "--interval", type=float, default=0.0, help="seconds between one client's requests (default 0: back to back)"
    )
    parser.add_argument("--servers", type=int, default=4, help="daphne processes to start (ignored with --url)")
    parser.add_argument("--port", type=int, default=8701)
    parser.add_argument("--url", help="benchmark a running server instead of starting daphne")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/3", help="broker and cache of the started servers")
    parser.add_argument("--reuse", action="store_true", help="keep the data of an earlier run")
    parser.add_argument("--load-only", action="store_true", help="load the data and stop")
    parser.add_argument("--no-teach", dest="teach", action="store_false", help="skip teaching the categorisers")
    parser.add_argument(
        "--application",
        action="append",
        help="the ASGI application the started servers serve (default config.asgi:application); give it more than "
        "once to alternate between them, each --repeat times, on the same data in the same run",
    )
    parser.add_argument("--repeat", type=int, default=1, help="rounds of every --application, alternating")
    args = parser.parse_args()
    setup_django(args)
    if not args.reuse or bench_users().count() < args.clients:
        load(args)
    if args.load_only:
        return
    categorisation = categorisation_times(args)
    if args.url:
        args.servers = 0
        results, elapsed = run_clients(args, [args.url.rstrip("/")])
        report(results, elapsed, categorisation, args, application=args.url, cpu=None)
        return
    for _ in range(args.repeat):
        for application in args.application or ["config.asgi:application"]:
            urls, processes = start_servers(args, application)
            try:
                cpu_before = cpu_seconds(processes)
                results, elapsed = run_clients(args, urls)
                cpu = cpu_seconds(processes) - cpu_before
            finally:
                stop(processes)
            report(results, elapsed, categorisation, args, application=application, cpu=cpu)


if __name__ == "__main__":
    main()
