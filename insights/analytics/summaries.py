"""Spending summary of one period: totals, by category, by day, burn rate and month-end projection,
compared with the previous period and with the user's own average (the mean of the earlier periods
of the same kind since their first recorded day: 6 weeks, 6 months, 4 quarters or 3 years)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd

from core.money import cents_to_decimal
from insights.analytics.periods import Period, earlier_periods
from insights.analytics.ratios import percent


@dataclass(frozen=True)
class Comparison:
    total_spent: Decimal
    change_pct: float | None


@dataclass(frozen=True)
class CategoryLine:
    category: str
    spent: Decimal
    budget: Decimal | None
    percent: float | None


@dataclass(frozen=True)
class BurnRate:
    per_day: Decimal
    projected_total: Decimal
    days_left: int


@dataclass(frozen=True)
class Summary:
    period: Period
    total_spent: Decimal
    total_income: Decimal
    previous: Comparison
    average: Comparison
    by_category: list[CategoryLine]
    daily: list[tuple[date, Decimal]]
    burn_rate: BurnRate


def _spent_between(expenses: pd.DataFrame, start: date, end: date) -> int:
    mask = (expenses["day"] >= pd.Timestamp(start)) & (expenses["day"] <= pd.Timestamp(end))
    return int(expenses.loc[mask, "cents"].sum())


def _comparison(total: int, other: float) -> Comparison:
    return Comparison(total_spent=cents_to_decimal(other), change_pct=percent(total - other, other))


def burn_rate(spent_cents: int, period: Period, today: date) -> BurnRate:
    """Spending per elapsed day, and where the period ends at that pace (a finished period: what it was)."""
    elapsed = max(0, min((today - period.start).days + 1, period.days))
    per_day = spent_cents / elapsed if elapsed else 0.0
    current = elapsed < period.days
    projected = per_day * period.days if current else spent_cents
    return BurnRate(
        per_day=cents_to_decimal(per_day),
        projected_total=cents_to_decimal(projected),
        days_left=period.days - elapsed,
    )


def summarize(
    daily: pd.DataFrame, *, period: Period, today: date, first_day: date | None, budgets: dict[str, int]
) -> Summary:
    """daily: day, category, kind, cents covering the period and the earlier ones. budgets: slug -> cents."""
    expenses = daily[daily["kind"] == "expense"]
    in_period = daily[(daily["day"] >= pd.Timestamp(period.start)) & (daily["day"] <= pd.Timestamp(period.end))]
    period_expenses = in_period[in_period["kind"] == "expense"]
    total = int(period_expenses["cents"].sum())
    income = int(in_period.loc[in_period["kind"] == "income", "cents"].sum())

    previous = period.previous()
    earlier = [p for p in earlier_periods(period) if first_day is not None and p.end >= first_day]
    average = sum(_spent_between(expenses, p.start, p.end) for p in earlier) / len(earlier) if earlier else 0.0

    by_category = period_expenses.groupby("category")["cents"].sum().sort_values(ascending=False)
    lines = [
        CategoryLine(
            category=slug,
            spent=cents_to_decimal(cents),
            budget=cents_to_decimal(budgets[slug]) if slug in budgets else None,
            percent=percent(cents, budgets[slug]) if slug in budgets else None,
        )
        for slug, cents in by_category.items()
    ]
    days = pd.date_range(period.start, period.end, freq="D")
    per_day = period_expenses.groupby("day")["cents"].sum().reindex(days, fill_value=0)
    return Summary(
        period=period,
        total_spent=cents_to_decimal(total),
        total_income=cents_to_decimal(income),
        previous=_comparison(total, _spent_between(expenses, previous.start, previous.end)),
        average=_comparison(total, average),
        by_category=lines,
        daily=[(day.date(), cents_to_decimal(cents)) for day, cents in per_day.items()],
        burn_rate=burn_rate(total, period, today),
    )
