from datetime import date
from decimal import Decimal

import pandas as pd

from insights.analytics.periods import period_containing
from insights.analytics.summaries import summarize


def daily(rows):
    return pd.DataFrame([{"day": pd.Timestamp(d), "category": c, "kind": k, "cents": v} for d, c, k, v in rows])


def test_month_summary_with_previous_average_and_burn_rate():
    frame = daily([
        ("2026-04-10", "dining", "expense", 100_00),
        ("2026-05-10", "dining", "expense", 300_00),
        ("2026-06-01", "dining", "expense", 100_00),
        ("2026-06-05", "groceries", "expense", 50_00),
        ("2026-06-05", "income", "income", 1000_00),
    ])  # fmt: skip
    summary = summarize(
        frame, period=period_containing("month", date(2026, 6, 10)), today=date(2026, 6, 10),
        first_day=date(2026, 4, 10), budgets={"dining": 200_00},
    )  # fmt: skip
    assert summary.total_spent == Decimal("150.00")
    assert summary.total_income == Decimal("1000.00")
    assert summary.previous.total_spent == Decimal("300.00")
    assert summary.previous.change_pct == -50.0
    assert summary.average.total_spent == Decimal("200.00")  # April and May, since the first day
    assert summary.by_category[0].category == "dining"
    assert summary.by_category[0].percent == 50.0
    assert summary.burn_rate.per_day == Decimal("15.00")
    assert summary.burn_rate.projected_total == Decimal("450.00")
    assert summary.burn_rate.days_left == 20
    assert len(summary.daily) == 30


def test_week_starts_on_monday_and_quarters_and_years():
    assert period_containing("week", date(2026, 6, 10)).start == date(2026, 6, 8)
    assert period_containing("quarter", date(2026, 5, 31)).end == date(2026, 6, 30)
    assert period_containing("year", date(2026, 5, 31)).previous().start == date(2025, 1, 1)
