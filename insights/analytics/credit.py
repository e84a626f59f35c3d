"""Credit signals per user: utilisation = balance / limit per card, flags at 30/50/80%,
interest charged in the window, minimum-payment-only, overdue."""

import numpy as np
import pandas as pd

UTILIZATION_FLAGS = (0.30, 0.50, 0.80)
INTEREST_WORDS = "interest|finance charge"


def card_utilization(accounts: pd.DataFrame) -> pd.DataFrame:
    """Credit cards with a positive limit, with utilization (owed balance / limit)."""
    cards = accounts[(accounts["kind"] == "credit") & (accounts["limit_cents"] > 0)]
    return cards.assign(utilization=cards["balance_cents"].clip(lower=0) / cards["limit_cents"])


def credit_signals(accounts: pd.DataFrame, transactions: pd.DataFrame, users: pd.Index) -> pd.DataFrame:
    """Per user: cards, max_utilization, flag_30/50/80, interest_cents, minimum_payment_only, overdue."""
    cards = card_utilization(accounts)
    per_user = cards.groupby("user_id").agg(cards=("account_id", "size"), max_utilization=("utilization", "max"))
    pays_minimum = (
        (cards["last_payment_cents"].notna())
        & (cards["balance_cents"] > 0)
        & (cards["last_payment_cents"] <= cards["minimum_payment_cents"])
    )
    per_user["minimum_payment_only"] = pays_minimum.groupby(cards["user_id"]).any()
    per_user["overdue"] = cards["is_overdue"].astype(bool).groupby(cards["user_id"]).any()
    per_user = per_user.reindex(users)
    per_user = per_user.fillna({"cards": 0, "max_utilization": 0.0, "minimum_payment_only": False, "overdue": False})
    is_interest = (transactions["kind"] == "expense") & transactions["merchant"].str.contains(
        INTEREST_WORDS, case=False, regex=True
    )
    interest = transactions.loc[is_interest].groupby("user_id")["cents"].sum()
    per_user["interest_cents"] = interest.reindex(users, fill_value=0).astype(np.int64)
    for flag in UTILIZATION_FLAGS:
        per_user[f"flag_{round(flag * 100)}"] = per_user["max_utilization"] >= flag
    return per_user.astype({"cards": int, "minimum_payment_only": bool, "overdue": bool})
