import math

import pandas as pd
import pytest

from insights.analytics.personas import assign_personas

NEUTRAL = {
    "max_utilization": 0.0, "interest_cents": 0, "minimum_payment_only": False, "overdue": False,
    "median_pay_gap_days": 30.0, "buffer_months": 3.0,
    "recurring_merchants": 0, "monthly_recurring_cents": 0, "subscription_share": 0.0,
    "growth_rate": 0.0, "monthly_net_inflow_cents": 0.0,
    "monthly_income_cents": 3_000_00, "savings_balance_cents": 0, "has_investment": False,
}  # fmt: skip


def persona(**signals) -> tuple[str, list[str]]:
    frame = pd.DataFrame([{**NEUTRAL, **signals}], index=pd.Index([7], name="user_id"))
    row = assign_personas(frame).loc[7]
    return row["persona"], row["criteria_met"]


def test_nothing_special_is_general():
    assert persona() == ("general", [])


@pytest.mark.parametrize(
    ("signals", "expected"),
    [
        ({"max_utilization": 0.5}, "high_utilization"),
        ({"max_utilization": 0.4999}, "general"),
        ({"interest_cents": 1}, "high_utilization"),
        ({"minimum_payment_only": True}, "high_utilization"),
        ({"overdue": True}, "high_utilization"),
    ],
)
def test_high_utilization_boundary(signals, expected):
    assert persona(**signals)[0] == expected


def test_high_utilization_lists_every_criterion_met():
    assert persona(max_utilization=0.8, overdue=True)[1] == ["a card at 50% utilisation or more", "a payment overdue"]


@pytest.mark.parametrize(
    ("gap", "buffer", "expected"),
    [(46, 0.99, "variable_income"), (45, 0.5, "general"), (60, 1.0, "general"), (math.nan, 0.2, "general")],
)
def test_variable_income_boundary(gap, buffer, expected):
    assert persona(median_pay_gap_days=gap, buffer_months=buffer)[0] == expected


@pytest.mark.parametrize(
    ("count", "monthly", "share", "expected"),
    [
        (3, 50_00, 0.0, "subscription_heavy"),
        (3, 49_99, 0.10, "subscription_heavy"),
        (3, 49_99, 0.0999, "general"),
        (2, 500_00, 0.5, "general"),
    ],
)
def test_subscription_heavy_boundary(count, monthly, share, expected):
    signals = {"recurring_merchants": count, "monthly_recurring_cents": monthly, "subscription_share": share}
    assert persona(**signals)[0] == expected


@pytest.mark.parametrize(
    ("growth", "inflow", "utilization", "expected"),
    [
        (0.02, 0, 0.0, "savings_builder"),
        (0.0199, 199_99, 0.0, "general"),
        (0.0, 200_00, 0.2999, "savings_builder"),
        (0.05, 500_00, 0.30, "general"),
    ],
)
def test_savings_builder_boundary(growth, inflow, utilization, expected):
    signals = {"growth_rate": growth, "monthly_net_inflow_cents": inflow, "max_utilization": utilization}
    assert persona(**signals)[0] == expected


WEALTHY = {
    "monthly_income_cents": 10_000_00,
    "savings_balance_cents": 50_000_00,
    "max_utilization": 0.0999,
    "has_investment": True,
}


def test_wealth_builder_at_its_thresholds():
    name, met = persona(**WEALTHY)
    assert name == "wealth_builder"
    assert len(met) == 4


@pytest.mark.parametrize(
    "change",
    [
        {"monthly_income_cents": 9_999_99},
        {"savings_balance_cents": 49_999_99},
        {"max_utilization": 0.1},
        {"has_investment": False},
    ],
)
def test_wealth_builder_needs_every_criterion(change):
    assert persona(**{**WEALTHY, **change})[0] == "general"


def test_priority_high_utilization_wins_over_subscriptions():
    signals = {"max_utilization": 0.9, "recurring_merchants": 5, "monthly_recurring_cents": 100_00}
    assert persona(**signals)[0] == "high_utilization"


def test_savings_builder_comes_before_wealth_builder():
    assert persona(**WEALTHY, growth_rate=0.1)[0] == "savings_builder"
