"""The benchmark job: one read of monthly totals, vectorised percentiles, one bulk write."""

from datetime import date

import pandas as pd
from django.db import transaction
from django.utils import timezone

from core.money import cents_to_decimal
from core.months import previous_month
from insights import cache
from insights.analytics.benchmarks import INCOME_MONTHS, QUANTILE_COLUMNS, cohorts_by_month, compute_benchmarks
from insights.models import Benchmark
from insights.selectors.consent import BENCHMARKING, users_consenting
from insights.selectors.frames import monthly_totals_frame
from insights.services.bulk import rows_write

STATS = (*QUANTILE_COLUMNS, "mean", "minimum", "maximum")


def default_months(today: date) -> list[date]:
    """The month that just ended and the current one."""
    current = today.replace(day=1)
    return [previous_month(current), current]


def _earliest(months: list[date]) -> date:
    first = min(months)
    for _ in range(INCOME_MONTHS - 1):
        first = previous_month(first)
    return first


def benchmark_table(months: list[date]) -> pd.DataFrame:
    """Read (one query) and compute, without writing: what the job would publish for `months`."""
    users = list(users_consenting(BENCHMARKING).values_list("pk", flat=True))
    totals = monthly_totals_frame(users=users, first_month=_earliest(months), last_month=max(months))
    targets = [pd.Timestamp(m) for m in months]
    spending = totals[(totals["kind"] == "expense") & totals["month"].isin(targets)]
    spending = spending.groupby(["user_id", "month", "category"], as_index=False)["cents"].sum()
    cohorts = cohorts_by_month(totals, targets)
    return compute_benchmarks(spending, cohorts)


@transaction.atomic
def benchmarks_compute(*, months: list[date] | None = None) -> int:
    """Replace the benchmarks of `months` (default: last month and this one, UTC). Returns rows written."""
    months = sorted(months or default_months(timezone.now().date()))
    table = benchmark_table(months)
    now = timezone.now()
    rows = [
        Benchmark(
            cohort=row["cohort"], category=row["category"], month=row["month"].date(), cohort_size=int(row["cohort_size"]),
            computed_at=now, **{column: cents_to_decimal(row[column]) for column in STATS},
        )
        for row in table.to_dict("records")
    ]  # fmt: skip
    Benchmark.objects.filter(month__in=months).delete()
    rows_write(Benchmark, rows)
    transaction.on_commit(cache.benchmarks_changed)
    return len(rows)
