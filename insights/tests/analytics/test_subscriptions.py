import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from insights.analytics.subscriptions import recurring_merchants, subscription_signals
from insights.tests.analytics.frames import AS_OF, transactions


def charges(merchant: str, days_before: list[int], cents: list[int]) -> list[dict]:
    return [
        {"merchant": merchant, "day": AS_OF - pd.Timedelta(days=d), "cents": c}
        for d, c in zip(days_before, cents, strict=True)
    ]


@settings(max_examples=40, deadline=None)
@given(jitter=st.lists(st.integers(-3, 3), min_size=3, max_size=3), cents=st.integers(500, 5000))
def test_monthly_charges_with_jittered_dates_are_recurring(jitter, cents):
    days = [5 + jitter[0], 35 + jitter[1], 65 + jitter[2]]
    found = recurring_merchants(transactions(charges("Netflix", days, [cents] * 3)), as_of=AS_OF)
    assert found["merchant"].tolist() == ["Netflix"]
    assert found["cadence"].iloc[0] == "monthly"
    assert found["monthly_cents"].iloc[0] == cents


@settings(max_examples=25, deadline=None)
@given(jitter=st.lists(st.integers(-1, 1), min_size=5, max_size=5))
def test_weekly_charges_with_jittered_dates_cost_52_over_12_a_month(jitter):
    days = [2 + 7 * n + j for n, j in enumerate(jitter)]
    found = recurring_merchants(transactions(charges("Gym", days, [1000] * 5)), as_of=AS_OF)
    assert found["cadence"].tolist() == ["weekly"]
    assert np.isclose(found["monthly_cents"].iloc[0], 1000 * 52 / 12)


def test_two_charges_are_not_enough():
    assert recurring_merchants(transactions(charges("Netflix", [5, 35], [999, 999])), as_of=AS_OF).empty


def test_charges_older_than_90_days_do_not_count():
    assert recurring_merchants(transactions(charges("Netflix", [35, 65, 95], [999] * 3)), as_of=AS_OF).empty


def test_amounts_outside_the_tolerance_are_not_a_subscription():
    found = recurring_merchants(transactions(charges("Utility", [5, 35, 65], [1000, 1000, 1300])), as_of=AS_OF)
    assert found.empty


def test_irregular_gaps_are_not_a_cadence():
    assert recurring_merchants(transactions(charges("Shop", [5, 20, 65], [1000] * 3)), as_of=AS_OF).empty


def test_share_of_spending_per_user():
    recurring = recurring_merchants(transactions(charges("Netflix", [5, 35, 65], [1000] * 3)), as_of=AS_OF)
    signals = subscription_signals(recurring, pd.Series({1: 10_000.0, 2: 5_000.0}), pd.Index([1, 2]))
    assert signals.loc[1, "recurring_merchants"] == 1
    assert signals.loc[1, "subscription_share"] == 0.1
    assert signals.loc[2, "recurring_merchants"] == 0
    assert signals.loc[2, "subscription_share"] == 0
