"""Anomalies in recent expenses, against the user's own last 180 days:

- unusual_amount: robust z = 0.6745 x (amount - median) / MAD within the user's category, over the
  180 days before the transaction's day; flagged at z >= 3.5 (Iglewicz and Hoaglin) with at least
  5 earlier expenses in the category and a MAD above zero.
- new_merchant: the first expense at a merchant not seen in the 180 days before, of at least
  3 x the user's median expense and at least 50.00; its score is amount / median expense.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

HISTORY_DAYS = 180
Z_THRESHOLD = 3.5
MAD_SCALE = 0.6745
MIN_HISTORY = 5
NEW_MERCHANT_MULTIPLE = 3.0
NEW_MERCHANT_MIN_CENTS = 50_00


@dataclass(frozen=True)
class Finding:
    transaction_id: int
    user_id: int
    kind: str
    score: float
    reason: str
    day: pd.Timestamp


def _history(expenses: pd.DataFrame, since: pd.Timestamp) -> pd.DataFrame:
    start = since - pd.Timedelta(days=HISTORY_DAYS)
    return expenses[(expenses["day"] >= start) & (expenses["day"] < since)]


def unusual_amounts(expenses: pd.DataFrame, *, since: pd.Timestamp) -> list[Finding]:
    """Recent (day >= since) expenses far above their category's usual amount."""
    history = _history(expenses, since)
    keys = ["user_id", "category"]
    median = history.groupby(keys)["cents"].median().rename("median")
    mad = (
        (history["cents"] - history.groupby(keys)["cents"].transform("median"))
        .abs()
        .groupby([history["user_id"], history["category"]])
        .median()
        .rename("mad")
    )
    count = history.groupby(keys)["cents"].size().rename("history")
    baseline = pd.concat([median, mad, count], axis=1).reset_index()
    recent = expenses[expenses["day"] >= since].merge(baseline, on=keys, how="inner")
    recent = recent[(recent["history"] >= MIN_HISTORY) & (recent["mad"] > 0)]
    z = MAD_SCALE * (recent["cents"] - recent["median"]) / recent["mad"]
    flagged = recent.assign(score=z)[z >= Z_THRESHOLD]
    return _findings(
        flagged,
        kind="unusual_amount",
        reason=lambda row: (
            f"{row.cents / 100:.2f} in {row.category} is far above your usual {row.median / 100:.2f} "
            f"(robust z {row.score:.1f} over 180 days)"
        ),
    )


def _findings(flagged: pd.DataFrame, *, kind: str, reason: Callable) -> list[Finding]:
    """One finding per flagged transaction; its `score` column is the finding's score."""
    return [
        Finding(
            transaction_id=int(row.id),
            user_id=int(row.user_id),
            kind=kind,
            score=round(float(row.score), 2),
            reason=reason(row),
            day=row.day,
        )
        for row in flagged.itertuples()
    ]


def new_merchant_purchases(expenses: pd.DataFrame, *, since: pd.Timestamp) -> list[Finding]:
    """Recent first purchases at a merchant, unusually large for the user."""
    history = _history(expenses, since)
    typical = history.groupby("user_id")["cents"].median().rename("typical")
    seen = history.loc[history["merchant"] != "", ["user_id", "merchant"]].drop_duplicates().assign(seen=True)
    recent = expenses[(expenses["day"] >= since) & (expenses["merchant"] != "")].sort_values(["day", "id"])
    first = recent.drop_duplicates(["user_id", "merchant"], keep="first")
    first = first.merge(seen, on=["user_id", "merchant"], how="left").merge(typical, on="user_id", how="inner")
    first = first[first["seen"].isna() & (first["typical"] > 0)]
    multiple = first["cents"] / first["typical"]
    flagged = first.assign(score=multiple)[
        (multiple >= NEW_MERCHANT_MULTIPLE) & (first["cents"] >= NEW_MERCHANT_MIN_CENTS)
    ]
    return _findings(
        flagged,
        kind="new_merchant",
        reason=lambda row: (
            f"First purchase at {row.merchant}: {row.cents / 100:.2f}, "
            f"{row.score:.1f} times your typical expense of {row.typical / 100:.2f}"
        ),
    )


def detect_anomalies(transactions: pd.DataFrame, *, since: pd.Timestamp) -> list[Finding]:
    expenses = transactions[transactions["kind"] == "expense"]
    if expenses.empty:
        return []
    findings = unusual_amounts(expenses, since=since) + new_merchant_purchases(expenses, since=since)
    return sorted(findings, key=lambda f: -np.float64(f.score))
