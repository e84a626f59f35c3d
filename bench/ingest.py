"""Bulk ingest benchmark: 1,000,000 transactions from CSV and from JSON into PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> python bench/ingest.py [--rows 1000000] [--rounds 1]

Writes both files as streams, then imports each end to end through the import pipeline
(parse, check, categorise each distinct text once, COPY, aggregates, one outbox event per
batch) and times a raw COPY of the same CSV into a scratch table in the same run. Reports
rows/s, the share of raw COPY speed, and peak resident memory (ru_maxrss).

It also times the ledger table's own limit: the scratch rows inserted set-wise, in one
statement, into finance_transaction (its foreign keys and indexes included), then rolled
back. No import can write faster than that. With --rounds N the limit and the imports are
measured N times in turn (a fresh user each round), so on a shared, noisy machine each share
compares figures taken minutes apart, not a quiet limit with a busy import.
"""

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from finance.imports.pipeline import import_job_run  # noqa: E402
from finance.models import Category, ImportJob  # noqa: E402
from finance.services import account_create  # noqa: E402
from users.models import User  # noqa: E402

MERCHANTS = ["Whole Foods", "Starbucks", "Shell", "Amazon", "Netflix", "Uber", "Rewe", "Tesco", "Chipotle", "Ikea"]


def texts(seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [f"{rng.choice(MERCHANTS).upper()} #{number:04d}" for number in range(2000)]


def rows(count: int):
    rng = random.Random(42)
    names = texts()
    start = date(2024, 1, 1)
    for number in range(count):
        day = start + timedelta(days=number * 730 // count)
        cents = rng.randint(100, 50_000)
        sign = "" if number % 25 == 0 else "-"
        yield day.isoformat(), f"{sign}{cents // 100}.{cents % 100:02d}", rng.choice(names), number


def write_csv(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("Date,Description,Amount\n")
        for day, amount, text, _ in rows(count):
            out.write(f"{day},{text},{amount}\n")


def write_json(path: Path, count: int, owner: str) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(json.dumps({"user_id": owner})[:-1].replace('"user_id"', '"users": [{"user_id"') + "}],\n")
        account = {"account_id": "bench-chk", "user_id": owner, "name": "Bench checking", "type": "depository",
                   "subtype": "checking", "balances": {"current": 1000}, "iso_currency_code": "USD"}  # fmt: skip
        out.write(f'"accounts": [{json.dumps(account)}],\n"transactions": [\n')
        for day, amount, text, number in rows(count):
            plaid_amount = amount[1:] if amount.startswith("-") else "-" + amount  # Plaid: positive = money out
            separator = ",\n" if number else ""
            out.write(
                f'{separator}{{"transaction_id": "t{number}", "account_id": "bench-chk", "date": "{day}", '
                f'"amount": {plaid_amount}, "name": "{text}", "iso_currency_code": "USD"}}'
            )
        out.write("\n]}\n")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def raw_copy(path: Path, account) -> tuple[float, float]:
    """Seconds for COPY into a scratch table, then for the same rows into the ledger table (rolled back)."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_scratch")
        cursor.execute(
            "CREATE TABLE bench_scratch (id bigserial PRIMARY KEY, day date, description text, amount numeric(14,2))"
        )
        started = time.perf_counter()
        with path.open("rb") as source:
            sql = "COPY bench_scratch (day, description, amount) FROM STDIN (FORMAT csv, HEADER true)"
            with cursor.cursor.copy(sql) as copy:
                while chunk := source.read(1 << 20):
                    copy.write(chunk)
        copy_seconds = time.perf_counter() - started
        ledger_seconds = ledger_limit(cursor, account)
        cursor.execute("DROP TABLE bench_scratch")
    return copy_seconds, ledger_seconds


def ledger_limit(cursor, account) -> float:
    other = Category.objects.get(slug="other", user=None).pk
    sql = (
        "INSERT INTO finance_transaction (user_id, account_id, category_id, source, external_id, kind, amount, "
        "currency, occurred_at, merchant, description, location, category_source, category_confidence, "
        "created_at, updated_at) "
        "SELECT %s, %s, %s, 'ingest', 'limit:' || id, CASE WHEN amount < 0 THEN 'expense' ELSE 'income' END, "
        "ABS(amount), 'USD', day, '', description, '', 'default', 1, now(), now() FROM bench_scratch ORDER BY id "
        "ON CONFLICT DO NOTHING"
    )
    with transaction.atomic():
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        started = time.perf_counter()
        cursor.execute(sql, [account.user_id, account.pk, other])
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def ingest(user, path: Path, format: str, account=None) -> tuple[float, ImportJob]:
    job = ImportJob.objects.create(user=user, account=account, format=format, filename=path.name, file_path=str(path))
    started = time.perf_counter()
    import_job_run(job_id=job.pk)
    elapsed = time.perf_counter() - started
    job.refresh_from_db()
    if job.status != "done":
        raise SystemExit(f"{format} import failed: {job.message} {job.errors[:3]}")
    return elapsed, job


def measure_round(count: int, *, owner: str, csv_path: Path, json_path: Path) -> None:
    """The limit, then each import, for a fresh user, so each share compares figures of the same minutes."""
    user = User.objects.create_user(email=f"{owner}@bench.invalid", password=None, timezone="Europe/Berlin")
    account = account_create(user=user, name="Bench CSV", currency="USD")
    copy_seconds, ledger_seconds = raw_copy(csv_path, account)
    copy_rate, ledger_rate = count / copy_seconds, count / ledger_seconds
    print(f"raw COPY into a scratch table: {copy_seconds:.2f} s, {copy_rate:,.0f} rows/s")
    print(
        f"the same rows into the ledger table in one statement (its limit): {ledger_seconds:.2f} s, "
        f"{ledger_rate:,.0f} rows/s = {ledger_rate / copy_rate:.0%} of raw COPY"
    )
    for label, path, format, target in (("CSV", csv_path, "csv", account), ("JSON", json_path, "json", None)):
        seconds, job = ingest(user, path, format, target)
        rate = count / seconds
        print(
            f"{label} import: {seconds:.2f} s, {rate:,.0f} rows/s = {rate / copy_rate:.0%} of raw COPY, "
            f"{rate / ledger_rate:.0%} of the ledger table's limit; "
            f"created {job.created}, duplicates {job.duplicates}; peak memory so far {peak_mb():.0f} MB"
        )
    seconds, job = ingest(user, csv_path, "csv", account)
    print(f"CSV again (all duplicates): {seconds:.2f} s, created {job.created}, duplicates {job.duplicates}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=1, help="repeat limit and imports (a shared machine is noisy)")
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database (python manage.py migrate first).")
    workdir = Path(tempfile.mkdtemp(prefix="spendwise-bench-"))
    csv_path, json_path = workdir / "bench.csv", workdir / "bench.json"
    owner = f"bench-{uuid.uuid4().hex[:8]}"
    write_csv(csv_path, options.rows)
    write_json(json_path, options.rows, owner)
    print(f"files: CSV {csv_path.stat().st_size / 1e6:.0f} MB, JSON {json_path.stat().st_size / 1e6:.0f} MB")
    print(f"peak memory after writing the files: {peak_mb():.0f} MB")

    for round_number in range(1, options.rounds + 1):
        if options.rounds > 1:
            print(f"round {round_number} of {options.rounds}")
        measure_round(options.rows, owner=f"{owner}-{round_number}", csv_path=csv_path, json_path=json_path)
    for path in (csv_path, json_path):
        path.unlink()
    workdir.rmdir()


if __name__ == "__main__":
    main()
