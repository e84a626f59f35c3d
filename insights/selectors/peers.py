"""Where a user stands among peers: the published benchmark of their cohort, and their comparison."""

from datetime import date

import pandas as pd

from core.money import cents_to_decimal
from core.months import format_month, previous_month
from finance.selectors import monthly_totals_between
from insights import cache
from insights.analytics.benchmarks import (
    ALL,
    BANDS,
    INCOME_MONTHS,
    MIN_COHORT,
    QUANTILE_COLUMNS,
    cohorts_by_month,
    standing,
)
from insights.analytics.ratios import percent
from insights.models import Benchmark
from insights.selectors.frames import monthly_totals_frame

NOT_PUBLISHED = f"No benchmark: fewer than {MIN_COHORT} consenting users spent in this category that month."
STAT_COLUMNS = (*QUANTILE_COLUMNS, "mean", "minimum", "maximum")


class NotPublishedError(Exception):
    """The cohort has fewer than MIN_COHORT consenting users (or nothing was computed yet)."""


def months_back(month: date, count: int) -> date:
    for _ in range(count):
        month = previous_month(month)
    return month


def cohort_of(*, user, month: date) -> str:
    """The user's income band for the month: the same rule the benchmark job applies."""
    totals = monthly_totals_frame(users=[user.pk], first_month=months_back(month, INCOME_MONTHS - 1), last_month=month)
    if totals.empty:
        return BANDS[0]
    return cohorts_by_month(totals, [pd.Timestamp(month)])["cohort"].iloc[0]


def _benchmark(user, category: str, month: date) -> dict:
    cohort = cohort_of(user=user, month=month)
    rows = {b.cohort: b for b in Benchmark.objects.filter(category=category, month=month, cohort__in=[cohort, ALL])}
    benchmark = rows.get(cohort) or rows.get(ALL)
    if benchmark is None:
        raise NotPublishedError(NOT_PUBLISHED)
    return {
        "category": category,
        "month": format_month(month),
        "cohort": benchmark.cohort,
        "cohort_size": benchmark.cohort_size,
        **{column: f"{getattr(benchmark, column):.2f}" for column in STAT_COLUMNS},
    }


def benchmark_for(*, user, category: str, month: date) -> dict:
    """Raises NotPublishedError. Cached until the user's data or the benchmarks change."""
    params = (category, month, cache.version("benchmarks"))
    result = cache.cached(
        user_id=user.pk, name="benchmark", params=params, compute=lambda: _safe(_benchmark, user, category, month)
    )
    if "not_published" in result:
        raise NotPublishedError(result["not_published"])
    return result


def _safe(read, *args) -> dict:
    try:
        return read(*args)
    except NotPublishedError as exc:
        return {"not_published": str(exc)}


def _spent(user, category: str, month: date) -> int:
    total = (
        monthly_totals_between(users=[user], first_month=month, last_month=month)
        .filter(category__slug=category, kind="expense")
        .values_list("total", flat=True)
        .first()
    )
    return int(total * 100) if total else 0


def comparison_for(*, user, category: str, month: date) -> dict:
    benchmark = benchmark_for(user=user, category=category, month=month)
    amount = _spent(user, category, month)
    cents_stats = {column: float(benchmark[column]) * 100 for column in STAT_COLUMNS}
    position = standing(amount, cents_stats)
    previous = _spent(user, category, previous_month(month))
    last_year = _spent(user, category, month.replace(year=month.year - 1))
    return {
        "category": category,
        "month": format_month(month),
        "amount": str(cents_to_decimal(amount)),
        "percentile_rank": position.percentile_rank,
        "cohort": benchmark["cohort"],
        "cohort_size": benchmark["cohort_size"],
        "outlier": position.outlier,
        "p50": benchmark["p50"],
        "mom_change_pct": percent(amount - previous, previous),
        "yoy_change_pct": percent(amount - last_year, last_year),
    }
