"""Backup and restore as docs/operations.md says: pg_dump of a seeded database, pg_restore into a
new database, then Spendwise (a real daphne) on the restored copy shows the same figures and takes
new writes. Skipped, with what to set, without PostgreSQL and Redis."""

import shutil
import subprocess
import uuid
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
import requests

from config.testing.live import child_database_url, service_env, services_missing, start_daphne
from users.credentials import token_pair_issue

PG_DUMP, PG_RESTORE = shutil.which("pg_dump"), shutil.which("pg_restore")
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

FIGURES = [
    "/api/v1/accounts/",
    "/api/v1/budgets/status/?month=2026-11",
    "/api/v1/transactions/?month=2026-11",
    "/api/v1/insights/summary/?month=2026-11",
]


SPENDING = [
    ("checking", "84.12", "groceries", "Corner Grocer", "2026-11-03T18:20:00Z"),
    ("card", "23.50", "dining", "Cafe Noir", "2026-11-05T12:40:00Z"),
    ("checking", "1210.00", "housing", "Oak Street Rent", "2026-11-01T09:00:00Z"),
    ("card", "61.99", "groceries", "FreshMart", "2026-11-14T17:05:00Z"),
]


def seed(api) -> None:
    checking = api.post("/api/v1/accounts/", {"name": "Checking", "kind": "checking", "balance": "1520.40"}).json()
    card = api.post("/api/v1/accounts/", {"name": "Visa", "kind": "credit", "balance": "310.00"}).json()
    assert api.post("/api/v1/budgets/", {"category": "groceries", "amount": "400.00"}).status_code == 201
    assert api.post("/api/v1/budgets/", {"category": None, "amount": "1800.00"}).status_code == 201
    accounts = {"checking": checking, "card": card}
    for account, amount, category, merchant, when in SPENDING:
        body = {
            "account": accounts[account]["id"],
            "amount": amount,
            "category": category,
            "merchant": merchant,
            "occurred_at": when,
        }
        assert api.post("/api/v1/transactions/", body).status_code == 201
    salary = {"account": checking["id"], "amount": "3200.00", "kind": "income", "merchant": "Acme Payroll",
              "occurred_at": "2026-11-25T08:00:00Z"}  # fmt: skip
    assert api.post("/api/v1/transactions/", salary).status_code == 201


def read_figures(base_url: str, token: str) -> dict:
    headers = {"Authorization": f"Bearer {token}"}
    return {path: requests.get(base_url + path, headers=headers, timeout=30).json() for path in FIGURES}


@pytest.fixture
def restored_database():
    """An empty database of our own next to the test database; dropped afterwards."""
    reason = services_missing(broker=False) or (None if PG_DUMP and PG_RESTORE else "needs pg_dump and pg_restore")
    if reason:
        pytest.skip(reason)
    name = f"restored_{uuid.uuid4().hex[:10]}"
    server = child_database_url().rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_restored_backup_shows_the_same_figures_and_takes_new_writes(alice, alice_api, restored_database, tmp_path):
    seed(alice_api)
    token = token_pair_issue(alice)["access"]
    original, original_url = start_daphne()
    try:
        before = read_figures(original_url, token)
    finally:
        original.stop()

    dump = tmp_path / "spendwise.dump"
    subprocess.run(  # noqa: S603 (the documented commands, our own arguments)
        [PG_DUMP, "--format=custom", "--no-owner", f"--file={dump}", child_database_url()], check=True
    )
    subprocess.run(  # noqa: S603
        [PG_RESTORE, "--no-owner", "--exit-on-error", f"--dbname={restored_database}", str(dump)], check=True
    )
    assert Path(dump).stat().st_size > 0

    # A cache of its own: the figures must come from the restored database, not from the original's cache.
    fresh_cache = f"restored-{uuid.uuid4().hex[:6]}"
    restored, restored_url = start_daphne(
        dict(service_env(), DATABASE_URL=restored_database, CACHE_KEY_PREFIX=fresh_cache)
    )
    try:
        after = read_figures(restored_url, token)
        new_write = requests.post(
            f"{restored_url}/api/v1/transactions/",
            json={"amount": "9.90", "merchant": "After the restore", "category": "dining"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
    finally:
        restored.stop()

    groceries = next(row for row in before["/api/v1/budgets/status/?month=2026-11"] if row["category"] == "groceries")
    assert Decimal(groceries["spent"]) == sum(Decimal(s[1]) for s in SPENDING if s[2] == "groceries")
    assert len(before["/api/v1/transactions/?month=2026-11"]["results"]) == len(SPENDING) + 1
    assert after == before
    assert new_write.status_code == 201, new_write.text  # the id sequences came back too
