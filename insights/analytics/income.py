"""Income signals per user: payroll detection (income of at least 100.00; several on one day count as
one pay day), pay frequency from the median gap between pay days, cash-flow buffer in months =
balance of checking and cash accounts / average monthly expenses."""

import numpy as np
import pandas as pd

PAYROLL_MIN_CENTS = 100_00
DAYS_PER_MONTH = 30.0
# Upper bound of the median pay gap (days) for each frequency; above the last, "irregular".
FREQUENCIES = ((10, "weekly"), (18, "biweekly"), (35, "monthly"))
BUFFER_KINDS = ("checking", "cash")


def income_signals(
    accounts: pd.DataFrame, transactions: pd.DataFrame, users: pd.Index, *, window_days: int, as_of: pd.Timestamp
) -> pd.DataFrame:
    """Per user: pay_days, median_pay_gap_days (NaN with fewer than two), pay_frequency,
    monthly_income_cents (window), buffer_months. Pay gaps use every pay day in the frame
    (180 days), since a monthly pay cannot show a gap inside 30 days."""
    pay = transactions.loc[
        (transactions["kind"] == "income") & (transactions["cents"] >= PAYROLL_MIN_CENTS), ["user_id", "day"]
    ].drop_duplicates()
    pay = pay.sort_values(["user_id", "day"])
    gaps = pay.groupby("user_id")["day"].diff().dt.days
    per_user = pd.DataFrame(index=users)
    per_user["pay_days"] = pay.groupby("user_id").size().reindex(users, fill_value=0)
    per_user["median_pay_gap_days"] = gaps.groupby(pay["user_id"]).median().reindex(users)
    gap = per_user["median_pay_gap_days"]
    frequency = np.select([gap <= bound for bound, _ in FREQUENCIES], [name for _, name in FREQUENCIES], "irregular")
    per_user["pay_frequency"] = np.where(gap.isna(), "unknown", frequency)

    start = as_of - pd.Timedelta(days=window_days)
    in_window = transactions[(transactions["day"] > start) & (transactions["day"] <= as_of)]
    months = window_days / DAYS_PER_MONTH
    income = in_window.loc[in_window["kind"] == "income"].groupby("user_id")["cents"].sum()
    expenses = in_window.loc[in_window["kind"] == "expense"].groupby("user_id")["cents"].sum()
    per_user["monthly_income_cents"] = income.reindex(users, fill_value=0) / months
    monthly_expenses = expenses.reindex(users, fill_value=0) / months
    cash = accounts[accounts["kind"].isin(BUFFER_KINDS)].groupby("user_id")["balance_cents"].sum()
    cash = cash.reindex(users, fill_value=0).clip(lower=0)
    per_user["buffer_months"] = np.where(
        monthly_expenses > 0, cash / monthly_expenses.where(monthly_expenses > 0), np.inf
    )
    return per_user
