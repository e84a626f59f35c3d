"""30- and 180-day signals and personas for many users at once (one frame in, one table out)."""

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from core.money import cents_to_decimal
from insights.analytics.credit import UTILIZATION_FLAGS, credit_signals
from insights.analytics.income import income_signals
from insights.analytics.personas import Persona, assign_personas, persona_of
from insights.analytics.savings import savings_signals
from insights.analytics.subscriptions import (
    RecurringMerchant,
    recurring_by_user,
    recurring_merchants,
    subscription_signals,
)

DAYS_PER_MONTH = 30.0


@dataclass
class UserProfile:
    user_id: int
    window: int
    signals: dict
    persona: Persona
    recurring: list[RecurringMerchant] = field(default_factory=list)

    def as_json(self) -> dict:
        """Signals in API form: money as two-place strings, ratios as floats."""
        return {
            "window": self.window,
            "signals": self.signals,
            "persona": asdict(self.persona),
        }


@dataclass
class ProfileTable:
    window: int
    table: pd.DataFrame  # per user_id: every signal column, persona, criteria_met
    recurring: pd.DataFrame

    def profiles(self) -> Iterator[UserProfile]:
        """Every user's profile, in one pass over the table."""
        by_user = recurring_by_user(self.recurring)
        for row in self.table.reset_index(names="user_id").to_dict("records"):
            recurring = by_user.get(int(row["user_id"]), [])
            yield UserProfile(
                user_id=int(row["user_id"]),
                window=self.window,
                signals=_signals_json(row, recurring),
                persona=persona_of(row["persona"], row["criteria_met"]),
                recurring=recurring,
            )


def build_profiles(
    transactions: pd.DataFrame,
    accounts: pd.DataFrame,
    *,
    users: pd.Index,
    as_of: pd.Timestamp,
    window_days: int,
    recurring: pd.DataFrame | None = None,
) -> ProfileTable:
    """Signals over the last `window_days` up to `as_of` (a local day) for every user in `users`.
    `recurring` (from recurring_merchants, the same for every window) may be passed to reuse it."""
    in_window = transactions[
        (transactions["day"] > as_of - pd.Timedelta(days=window_days)) & (transactions["day"] <= as_of)
    ]
    months = window_days / DAYS_PER_MONTH
    spending_per_month = in_window.loc[in_window["kind"] == "expense"].groupby("user_id")["cents"].sum() / months
    if recurring is None:
        recurring = recurring_merchants(transactions, as_of=as_of)
    table = pd.concat(
        [
            subscription_signals(recurring, spending_per_month, users),
            credit_signals(accounts, in_window, users),
            savings_signals(accounts, in_window, users, window_days=window_days),
            income_signals(accounts, transactions, users, window_days=window_days, as_of=as_of),
        ],
        axis=1,
    )
    table = table.join(assign_personas(table))
    return ProfileTable(window=window_days, table=table, recurring=recurring)


def _amount(cents) -> str:
    return str(cents_to_decimal(cents))


def _ratio(value) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), 4)


def _signals_json(row: dict, recurring: list[RecurringMerchant]) -> dict:
    gap = row["median_pay_gap_days"]
    return {
        "subscriptions": {
            "recurring_merchants": [
                {
                    "merchant": r.merchant,
                    "cadence": r.cadence,
                    "charges": r.charges,
                    "monthly_cost": str(r.monthly_cost),
                }
                for r in recurring
            ],
            "count": int(row["recurring_merchants"]),
            "monthly_recurring_spend": _amount(row["monthly_recurring_cents"]),
            "share_of_spending": _ratio(row["subscription_share"]),
        },
        "credit": {
            "cards": int(row["cards"]),
            "max_utilization": _ratio(row["max_utilization"]),
            "flags": [f"{round(f * 100)}%" for f in UTILIZATION_FLAGS if row[f"flag_{round(f * 100)}"]],
            "interest_charges": _amount(row["interest_cents"]),
            "minimum_payment_only": bool(row["minimum_payment_only"]),
            "overdue": bool(row["overdue"]),
        },
        "savings": {
            "balance": _amount(row["savings_balance_cents"]),
            "net_inflow": _amount(row["net_inflow_cents"]),
            "monthly_net_inflow": _amount(row["monthly_net_inflow_cents"]),
            "growth_rate": _ratio(row["growth_rate"]),
            "emergency_fund_months": _ratio(row["emergency_fund_months"]),
            "has_investment_account": bool(row["has_investment"]),
        },
        "income": {
            "payroll_detected": int(row["pay_days"]) >= 2,
            "pay_frequency": row["pay_frequency"],
            "median_pay_gap_days": None if pd.isna(gap) else float(gap),
            "monthly_income": _amount(row["monthly_income_cents"]),
            "buffer_months": _ratio(row["buffer_months"]),
        },
    }
