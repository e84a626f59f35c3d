"""What the dashboard and budgets pages show, gathered from the selectors (reads only)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from core.money import cents_to_decimal
from core.months import days_in_month
from finance.pages import charts
from finance.selectors import (
    BudgetStatus,
    budget_status_for_month,
    category_names_for_user,
    daily_spending,
    local_today,
    monthly_spending,
    spending_projection,
    transactions_for_user,
)

RECENT = 10


@dataclass(frozen=True)
class BudgetRow:
    """One budget's status, ready for a progress bar."""

    label: str
    status: BudgetStatus

    @property
    def bar_percent(self) -> float:
        return max(0.0, min(float(self.status.percent), 100.0))

    @property
    def over_by(self) -> Decimal:
        return -self.status.remaining

    @property
    def chance_words(self) -> str:
        """The chance of staying within the budget as people say it: "about 6%", never "0.06"."""
        chance = self.status.adherence_probability or 0.0
        if chance >= 0.995:
            return "almost certain"
        if chance < 0.005:
            return "almost none"
        return f"about {round(chance * 100)}%"


def budget_rows(*, user, month: date) -> list[BudgetRow]:
    names = category_names_for_user(user=user)
    return [
        BudgetRow(
            label=names.get(status.category, status.category) if status.category else "All spending", status=status
        )
        for status in budget_status_for_month(user=user, month=month)
    ]


def _month_so_far(*, user, today: date) -> list[tuple[date, Decimal]]:
    """(day, spent) for every day from the 1st to today, zero where nothing was spent."""
    month = today.replace(day=1)
    spent = daily_spending(user=user, start=month, end=today)
    return [(day, spent.get(day, Decimal("0.00"))) for day in (month + timedelta(n) for n in range(today.day))]


def dashboard_context(*, user) -> dict:
    today = local_today(user=user)
    month, length = today.replace(day=1), days_in_month(today)
    rows = budget_rows(user=user, month=month)
    names = category_names_for_user(user=user)
    by_category = [(names.get(slug, slug), spent) for slug, spent in monthly_spending(user=user, month=month).items()]
    daily = _month_so_far(user=user, today=today)
    projection = spending_projection(user=user, month=month, today=today)
    spent, projected = cents_to_decimal(projection.spent), cents_to_decimal(projection.total)
    overall = next((row.status for row in rows if row.status.category is None), None)
    return {
        "month": month,
        "budget_rows": rows,
        "category_chart": charts.bar_chart(by_category),
        "daily": daily,
        "spent": spent,
        "projected_total": projected,
        "line_chart": charts.cumulative_line_chart(
            daily=daily, days_in_month=length, projected_total=projected, budget=overall.budget if overall else None
        ),
        "recent": transactions_for_user(user=user)[:RECENT],
    }
