"""Savings signals per user: net inflow to savings-like accounts (savings, investment) over the window,
growth rate = net inflow / balance at the window's start, emergency-fund coverage = savings balance /
average monthly expenses."""

import numpy as np
import pandas as pd

SAVINGS_KINDS = ("savings", "investment")
DAYS_PER_MONTH = 30.0


def savings_signals(
    accounts: pd.DataFrame, transactions: pd.DataFrame, users: pd.Index, *, window_days: int
) -> pd.DataFrame:
    """Per user: savings_balance_cents, net_inflow_cents, monthly_net_inflow_cents, growth_rate,
    emergency_fund_months, has_investment."""
    into_savings = transactions["to_account_kind"].isin(SAVINGS_KINDS) | (
        (transactions["kind"] == "income") & transactions["account_kind"].isin(SAVINGS_KINDS)
    )
    out_of_savings = transactions["account_kind"].isin(SAVINGS_KINDS) & (transactions["kind"] != "income")
    flow = np.where(into_savings, transactions["cents"], 0) - np.where(out_of_savings, transactions["cents"], 0)
    net_inflow = pd.Series(flow, index=transactions.index).groupby(transactions["user_id"]).sum()
    savings_accounts = accounts[accounts["kind"].isin(SAVINGS_KINDS)]
    balance = savings_accounts.groupby("user_id")["balance_cents"].sum()
    has_investment = (accounts["kind"] == "investment").groupby(accounts["user_id"]).any()
    expenses = transactions.loc[transactions["kind"] == "expense"].groupby("user_id")["cents"].sum()
    months = window_days / DAYS_PER_MONTH

    per_user = pd.DataFrame(index=users)
    per_user["savings_balance_cents"] = balance.reindex(users, fill_value=0).astype(np.int64)
    per_user["net_inflow_cents"] = net_inflow.reindex(users, fill_value=0).astype(np.int64)
    per_user["monthly_net_inflow_cents"] = per_user["net_inflow_cents"] / months
    start_balance = (per_user["savings_balance_cents"] - per_user["net_inflow_cents"]).astype(float)
    per_user["growth_rate"] = np.where(
        start_balance > 0, per_user["net_inflow_cents"] / start_balance.where(start_balance > 0), 0.0
    )
    monthly_expenses = expenses.reindex(users, fill_value=0) / months
    per_user["monthly_expenses_cents"] = monthly_expenses
    per_user["emergency_fund_months"] = np.where(
        monthly_expenses > 0, per_user["savings_balance_cents"] / monthly_expenses.where(monthly_expenses > 0), np.inf
    )
    per_user["has_investment"] = has_investment.reindex(users, fill_value=False).astype(bool)
    return per_user
