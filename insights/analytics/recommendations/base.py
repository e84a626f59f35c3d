"""What every generator receives (Context) and returns (Draft)."""

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

import pandas as pd

from insights.analytics.personas import Persona
from insights.analytics.subscriptions import RecurringMerchant


@dataclass(frozen=True)
class Draft:
    kind: str
    subject_key: str
    title: str
    body: str
    rationale: str
    confidence: float
    difficulty: str
    estimated_monthly_savings: Decimal = Decimal("0.00")
    data: dict = field(default_factory=dict)

    def with_text(self, *, title: str, body: str) -> "Draft":
        return replace(self, title=title, body=body)


@dataclass(frozen=True)
class ProductSpec:
    slug: str
    name: str
    description: str
    personas: list[str]
    conditions: dict
    estimated_monthly_savings: Decimal = Decimal("0.00")


@dataclass
class Context:
    """One user's numbers. Frames hold cents; months are Timestamps of their first day."""

    user_id: int
    as_of: date
    currency: str  # the user's: what the texts write amounts in
    monthly: pd.DataFrame  # month, category, cents: expenses per complete month (up to 6) and the current one
    merchants: pd.DataFrame  # category, merchant, cents: expenses in the last 90 days
    budgets: pd.DataFrame  # budget_id, category, cents: the every-month category budgets
    recurring: list[RecurringMerchant]
    persona: Persona
    numbers: dict  # max_utilization, monthly_income_cents, savings_balance_cents, has_investment
    products: list[ProductSpec] = field(default_factory=list)

    @property
    def current_month(self) -> pd.Timestamp:
        return pd.Timestamp(self.as_of.replace(day=1))

    def complete_months(self, count: int) -> list[pd.Timestamp]:
        """The `count` months before the current one, oldest first."""
        return [self.current_month - pd.DateOffset(months=n) for n in range(count, 0, -1)]

    def spending_table(self, months: list[pd.Timestamp]) -> pd.DataFrame:
        """category x month, cents, zero where nothing was spent."""
        table = self.monthly.pivot_table(index="category", columns="month", values="cents", aggfunc="sum", fill_value=0)
        return table.reindex(columns=months, fill_value=0)
