"""DailySpending: per user, local day, category and kind, kept current from outbox events and rebuilt nightly.

Both paths let the database add up the ledger (one GROUP BY per time zone), so refreshing a
user's month after a transaction costs one read and one write, whatever the month holds.
"""

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from core.months import month_bounds, next_month
from finance.selectors import transactions_between
from insights.models import DailySpending
from insights.selectors.consent import users_consenting

REBUILD_DAYS = 400
KINDS = ("expense", "income")
BATCH = 5000


def _daily_rows(
    *, users: QuerySet | list[int], zone: str, start: datetime, end: datetime | None, chunked: bool = True
) -> Iterator[DailySpending]:
    """Sums of the live expenses and income of `users` (all in time zone `zone`) from `start` (to `end`), per local day.

    `chunked` reads them through a server-side cursor, for the nightly rebuild; one user's month is
    read at once (a cursor costs two more round trips)."""
    live = transactions_between(users=users, start=start, end=end).filter(kind__in=KINDS)
    totals = (
        live.annotate(day=TruncDate("occurred_at", tzinfo=ZoneInfo(zone)))
        .order_by()
        .values("user_id", "day", "category_id", "kind")
        .annotate(total=Sum("amount"), count=Count("id"))
    )
    for row in totals.iterator(chunk_size=BATCH) if chunked else totals:
        yield DailySpending(**row)


def _write(rows: Iterator[DailySpending]) -> int:
    """bulk_create in batches, so the nightly rebuild never holds every row at once."""
    written = 0
    while batch := list(islice(rows, BATCH)):
        written += len(DailySpending.objects.bulk_create(batch))
    return written


@transaction.atomic(savepoint=False)  # inside the outbox handler's transaction
def daily_spending_refresh(*, user, months: list[date]) -> int:
    """Recompute the user's days in these months (local, first days) from the ledger."""
    written = 0
    for month in sorted(set(months)):
        start, end = month_bounds(month=month, tz=user.timezone)
        DailySpending.objects.filter(user=user, day__gte=month, day__lt=next_month(month)).delete()
        written += _write(_daily_rows(users=[user.pk], zone=user.timezone, start=start, end=end, chunked=False))
    return written


@transaction.atomic
def daily_spending_rebuild(*, user_ids: list[int] | None = None, days: int = REBUILD_DAYS) -> int:
    """Nightly: rewrite the last `days` days of every consenting user, one time zone at a time."""
    users = users_consenting(user_ids=user_ids)
    now = timezone.now()
    first_day = (now - timedelta(days=days - 1)).date()
    DailySpending.objects.filter(user__in=users, day__gte=first_day).delete()
    written = 0
    for zone in users.order_by().values_list("timezone", flat=True).distinct():
        in_zone = users.filter(timezone=zone).values("pk")
        start = datetime.combine(first_day, datetime.min.time(), tzinfo=ZoneInfo(zone))  # local midnight
        written += _write(_daily_rows(users=in_zone, zone=zone, start=start, end=None))
    return written
