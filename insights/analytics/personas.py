"""Personas, first match wins, in this order (thresholds are the constants below):

1. high_utilization: any card at 50% utilisation or more, or interest charged in the window,
   or only the minimum paid, or a card overdue.
2. variable_income: median gap between pay days over 45 days, and a cash-flow buffer under 1 month.
3. subscription_heavy: 3 or more recurring merchants, and 50.00 or more a month on them or
   10% or more of spending.
4. savings_builder: savings growth of 2% or more over the window, or net savings inflow of
   200.00 a month or more; and every card under 30% utilisation (no card counts as under).
5. wealth_builder: income of 10,000.00 a month or more, savings (savings + investment accounts) of
   50,000.00 or more, every card under 10% utilisation, and an investment account.
6. general: none of the above.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

HIGH_UTILIZATION = 0.50
VARIABLE_INCOME_GAP_DAYS = 45
VARIABLE_INCOME_BUFFER_MONTHS = 1.0
SUBSCRIPTION_MIN_MERCHANTS = 3
SUBSCRIPTION_MIN_MONTHLY_CENTS = 50_00
SUBSCRIPTION_MIN_SHARE = 0.10
SAVINGS_MIN_GROWTH = 0.02
SAVINGS_MIN_MONTHLY_INFLOW_CENTS = 200_00
SAVINGS_MAX_UTILIZATION = 0.30
WEALTH_MIN_MONTHLY_INCOME_CENTS = 10_000_00
WEALTH_MIN_SAVINGS_CENTS = 50_000_00
WEALTH_MAX_UTILIZATION = 0.10

NAMES = {
    "high_utilization": "High credit utilisation",
    "variable_income": "Variable income",
    "subscription_heavy": "Subscription heavy",
    "savings_builder": "Savings builder",
    "wealth_builder": "Wealth builder",
    "general": "General",
}


@dataclass(frozen=True)
class Persona:
    slug: str
    name: str
    criteria_met: list[str]


def _criteria(signals: pd.DataFrame) -> dict[str, dict[str, pd.Series]]:
    """Per persona, each criterion's label and the users meeting it."""
    s = signals
    return {
        "high_utilization": {
            "a card at 50% utilisation or more": s["max_utilization"] >= HIGH_UTILIZATION,
            "interest charged": s["interest_cents"] > 0,
            "only the minimum payment made": s["minimum_payment_only"].astype(bool),
            "a payment overdue": s["overdue"].astype(bool),
        },
        "variable_income": {
            "median pay gap over 45 days": s["median_pay_gap_days"] > VARIABLE_INCOME_GAP_DAYS,
            "cash buffer under 1 month": s["buffer_months"] < VARIABLE_INCOME_BUFFER_MONTHS,
        },
        "subscription_heavy": {
            "3 or more recurring merchants": s["recurring_merchants"] >= SUBSCRIPTION_MIN_MERCHANTS,
            "50.00 or more a month on subscriptions": s["monthly_recurring_cents"] >= SUBSCRIPTION_MIN_MONTHLY_CENTS,
            "subscriptions are 10% or more of spending": s["subscription_share"] >= SUBSCRIPTION_MIN_SHARE,
        },
        "savings_builder": {
            "savings grew 2% or more": s["growth_rate"] >= SAVINGS_MIN_GROWTH,
            "200.00 or more a month into savings": s["monthly_net_inflow_cents"] >= SAVINGS_MIN_MONTHLY_INFLOW_CENTS,
            "every card under 30% utilisation": s["max_utilization"] < SAVINGS_MAX_UTILIZATION,
        },
        "wealth_builder": {
            "income of 10,000.00 a month or more": s["monthly_income_cents"] >= WEALTH_MIN_MONTHLY_INCOME_CENTS,
            "savings of 50,000.00 or more": s["savings_balance_cents"] >= WEALTH_MIN_SAVINGS_CENTS,
            "every card under 10% utilisation": s["max_utilization"] < WEALTH_MAX_UTILIZATION,
            "an investment account": s["has_investment"].astype(bool),
        },
    }


def _matches(slug: str, met: dict[str, pd.Series]) -> pd.Series:
    c = list(met.values())
    if slug == "high_utilization":
        return c[0] | c[1] | c[2] | c[3]
    if slug == "subscription_heavy":
        return c[0] & (c[1] | c[2])
    if slug == "savings_builder":
        return (c[0] | c[1]) & c[2]
    return np.logical_and.reduce(c)


def assign_personas(signals: pd.DataFrame) -> pd.DataFrame:
    """Per user (the signals' index): persona slug and criteria_met (labels of the matching persona)."""
    criteria = _criteria(signals)
    matched = {slug: _matches(slug, met) for slug, met in criteria.items()}
    slug = np.select(list(matched.values()), list(matched.keys()), default="general")
    result = pd.DataFrame({"persona": slug}, index=signals.index)
    arrays = {name: {label: np.asarray(met, dtype=bool) for label, met in c.items()} for name, c in criteria.items()}
    result["criteria_met"] = [
        [label for label, met in arrays.get(persona, {}).items() if met[position]]
        for position, persona in enumerate(slug)
    ]
    return result


def persona_name(slug: str) -> str:
    """The persona as people read it ("Savings builder"), never its slug."""
    return NAMES.get(slug) or slug.replace("_", " ").capitalize()


def persona_of(slug: str, criteria_met: list[str]) -> Persona:
    return Persona(slug=slug, name=NAMES[slug], criteria_met=list(criteria_met))
