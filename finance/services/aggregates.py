"""MonthlyCategoryTotal: kept exact by every ledger write, and rebuilt set-wise after bulk loads."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, transaction

from core.months import month_start
from finance.models import MonthlyCategoryTotal, Transaction
from finance.signals import ledger_changed_on_commit
from users.models import User


@dataclass(frozen=True)
class LedgerLine:
    """What one live transaction contributes to the aggregate."""

    user_id: int
    month: date
    category_id: int
    kind: str
    amount: Decimal


def _upsert_sql() -> str:
    table = connection.ops.quote_name(MonthlyCategoryTotal._meta.db_table)
    # One statement: concurrent writers to the same row queue on its lock and each adds its own delta.
    return (
        f"INSERT INTO {table} (user_id, month, category_id, kind, total, count) VALUES (%s, %s, %s, %s, %s, %s) "  # noqa: S608 (table names from model meta; values are parameters)
        f"ON CONFLICT (user_id, month, category_id, kind) DO UPDATE SET "
        f"total = {table}.total + excluded.total, count = {table}.count + excluded.count"
    )


def totals_add(*, line: LedgerLine, sign: int) -> None:
    """Add (sign 1) or take away (sign -1) one transaction. Call inside the service's atomic block."""
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), [line.user_id, line.month, line.category_id, line.kind, line.amount * sign, sign])


def totals_add_many(*, lines: Iterable[LedgerLine], sign: int) -> None:
    """Add or take away many transactions, one statement per (month, category, kind) they touch."""
    groups: dict[tuple, list] = defaultdict(lambda: [Decimal("0.00"), 0])
    for line in lines:
        group = groups[(line.user_id, line.month, line.category_id, line.kind)]
        group[0] += line.amount
        group[1] += 1
    with connection.cursor() as cursor:
        for (user_id, month, category_id, kind), (total, count) in groups.items():
            cursor.execute(_upsert_sql(), [user_id, month, category_id, kind, total * sign, count * sign])


def ledger_line(*, transaction: Transaction, timezone_name: str) -> LedgerLine:
    return LedgerLine(
        user_id=transaction.user_id,
        month=month_start(transaction.occurred_at, timezone_name),
        category_id=transaction.category_id,
        kind=transaction.kind,
        amount=transaction.amount,
    )


def monthly_totals_rebuild(*, user_ids: Iterable[int] | None = None) -> int:
    """Recompute the aggregate from the live transactions (all users, or `user_ids`). Returns rows written.

    For bulk loads (seed_demo, imports) that bypass the per-row services. PostgreSQL does it in
    one INSERT ... SELECT ... GROUP BY with each user's own time zone; other databases in Python.
    """
    ids = None if user_ids is None else list(user_ids)
    with transaction.atomic():
        rows = (
            MonthlyCategoryTotal.objects.all() if ids is None else MonthlyCategoryTotal.objects.filter(user_id__in=ids)
        )
        rows.delete()
        ledger_changed_on_commit(user_ids=ids)
        if connection.vendor == "postgresql":
            return _rebuild_in_postgres(ids)
        return _rebuild_in_python(ids)


def _rebuild_in_postgres(user_ids: list[int] | None) -> int:
    totals = connection.ops.quote_name(MonthlyCategoryTotal._meta.db_table)
    transactions = connection.ops.quote_name(Transaction._meta.db_table)
    users = connection.ops.quote_name(User._meta.db_table)
    only_users = "" if user_ids is None else "AND t.user_id = ANY(%s)"
    sql = (
        f"INSERT INTO {totals} (user_id, month, category_id, kind, total, count) "  # noqa: S608 (names from model meta)
        f"SELECT t.user_id, date_trunc('month', t.occurred_at AT TIME ZONE u.timezone)::date, "
        f"t.category_id, t.kind, SUM(t.amount), COUNT(*) "
        f"FROM {transactions} t JOIN {users} u ON u.id = t.user_id "
        f"WHERE t.deleted_at IS NULL {only_users} "
        f"GROUP BY 1, 2, 3, 4"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [] if user_ids is None else [user_ids])
        return cursor.rowcount


def _rebuild_in_python(user_ids: list[int] | None) -> int:
    live = Transaction.objects.all()
    if user_ids is not None:
        live = live.filter(user_id__in=user_ids)
    zones = dict(User.objects.values_list("id", "timezone"))
    sums: dict[tuple, list] = defaultdict(lambda: [Decimal("0.00"), 0])
    fields = ("user_id", "occurred_at", "category_id", "kind", "amount")
    for user_id, occurred_at, category_id, kind, amount in live.values_list(*fields).iterator(chunk_size=5000):
        entry = sums[(user_id, month_start(occurred_at, zones[user_id]), category_id, kind)]
        entry[0] += amount
        entry[1] += 1
    MonthlyCategoryTotal.objects.bulk_create(
        [
            MonthlyCategoryTotal(
                user_id=key[0], month=key[1], category_id=key[2], kind=key[3], total=total, count=count
            )
            for key, (total, count) in sums.items()
        ],
        batch_size=1000,
    )
    return len(sums)
