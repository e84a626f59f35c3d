"""DailySpending: per user, local day, category and kind, kept current from outbox events and rebuilt nightly."""

from datetime import date, timedelta

import pandas as pd
from django.db import transaction
from django.utils import timezone

from finance.months import month_bounds, next_month
from insights.analytics.money import cents_to_decimal
from insights.models import DailySpending
from insights.selectors.consent import users_consenting
from insights.selectors.frames import transactions_frame

REBUILD_DAYS = 400
KINDS = ("expense", "income")


def _rows(frame: pd.DataFrame) -> list[DailySpending]:
    frame = frame[frame["kind"].isin(KINDS)]
    totals = frame.groupby(["user_id", "day", "category_id", "kind"], sort=False)["cents"].agg(["sum", "size"])
    return [
        DailySpending(user_id=user_id, day=day.date(), category_id=category_id, kind=kind,
                      total=cents_to_decimal(total), count=count)
        for (user_id, day, category_id, kind), total, count in zip(
            totals.index, totals["sum"].tolist(), totals["size"].tolist(), strict=True
        )
    ]  # fmt: skip


@transaction.atomic
def daily_spending_refresh(*, user, months: list[date]) -> int:
    """Recompute the user's days in these months (local, first days) from the ledger."""
    written = 0
    for month in sorted(set(months)):
        start, end = month_bounds(month=month, tz=user.timezone)
        frame = transactions_frame(users=[user.pk], start=start, end=end)
        DailySpending.objects.filter(user=user, day__gte=month, day__lt=next_month(month)).delete()
        written += len(DailySpending.objects.bulk_create(_rows(frame), batch_size=2000))
    return written


@transaction.atomic
def daily_spending_rebuild(*, user_ids: list[int] | None = None, days: int = REBUILD_DAYS) -> int:
    """Nightly: rewrite the last `days` days of every consenting user (one read, bulk writes)."""
    users = list(users_consenting(user_ids=user_ids).values_list("pk", flat=True))
    now = timezone.now()
    start = now - timedelta(days=days)
    frame = transactions_frame(users=users, start=start, end=now + timedelta(days=1))
    first_day = (start + timedelta(days=1)).date()
    frame = frame[frame["day"] >= pd.Timestamp(first_day)]
    DailySpending.objects.filter(user__in=users, day__gte=first_day).delete()
    return len(DailySpending.objects.bulk_create(_rows(frame), batch_size=5000))
