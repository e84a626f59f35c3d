import pandas as pd

from insights.analytics.signals import build_profiles
from insights.tests.analytics.frames import AS_OF, accounts, transactions


def days_before(n: int) -> pd.Timestamp:
    return AS_OF - pd.Timedelta(days=n)


def profile(tx_rows, account_rows, window=180):
    table = build_profiles(
        transactions(tx_rows), accounts(account_rows), users=pd.Index([1]), as_of=AS_OF, window_days=window
    )
    return next(table.profiles())


def test_card_utilization_flags_and_minimum_payment():
    card = {"kind": "credit", "balance_cents": 4_000_00, "limit_cents": 5_000_00,
            "minimum_payment_cents": 100_00, "last_payment_cents": 100_00}  # fmt: skip
    result = profile([{"cents": 1000, "day": days_before(3)}], [card])
    assert result.signals["credit"]["max_utilization"] == 0.8
    assert result.signals["credit"]["flags"] == ["30%", "50%", "80%"]
    assert result.signals["credit"]["minimum_payment_only"] is True
    assert result.persona.slug == "high_utilization"


def test_interest_charges_are_found_by_merchant():
    result = profile(
        [{"cents": 1234, "merchant": "Card interest charge", "category": "fees", "day": days_before(3)}], []
    )
    assert result.signals["credit"]["interest_charges"] == "12.34"


def test_savings_inflow_growth_and_emergency_fund():
    tx = [
        {"kind": "transfer", "to_account_kind": "savings", "cents": 600_00, "day": days_before(20)},
        {"kind": "expense", "cents": 1_000_00, "day": days_before(10)},
    ]
    result = profile(tx, [{"kind": "savings", "balance_cents": 3_600_00}], window=30)
    savings = result.signals["savings"]
    assert savings["net_inflow"] == "600.00"
    assert savings["monthly_net_inflow"] == "600.00"
    assert savings["growth_rate"] == 0.2  # 600 on a starting 3,000
    assert savings["emergency_fund_months"] == 3.6
    assert result.persona.slug == "savings_builder"


def test_payroll_frequency_and_buffer():
    pay = [{"kind": "income", "cents": 2_000_00, "category": "income", "day": days_before(d)} for d in (2, 16, 30, 44)]
    spend = [{"cents": 3_000_00, "day": days_before(5)}]
    result = profile(pay + spend, [{"kind": "checking", "balance_cents": 1_500_00}], window=30)
    income = result.signals["income"]
    assert income["payroll_detected"] is True
    assert income["pay_frequency"] == "biweekly"
    assert income["median_pay_gap_days"] == 14
    assert income["buffer_months"] == 0.5


def test_irregular_pay_with_thin_buffer_is_variable_income():
    pay = [{"kind": "income", "cents": 3_000_00, "day": days_before(d)} for d in (5, 65, 125)]
    spend = [{"cents": 1_000_00, "day": days_before(d)} for d in (3, 40, 70, 100, 130, 160)]
    result = profile(pay + spend, [{"kind": "checking", "balance_cents": 500_00}])
    assert result.signals["income"]["median_pay_gap_days"] == 60
    assert result.persona.slug == "variable_income"
    assert result.persona.criteria_met == ["median pay gap over 45 days", "cash buffer under 1 month"]
