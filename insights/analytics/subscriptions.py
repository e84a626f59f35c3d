"""Recurring merchants (subscriptions): at least 3 charges within 90 days at a weekly (median gap 5-9
days) or monthly (25-35 days) cadence, every gap within 40% of the median gap (or 3 days), and every amount within
20% of the merchant's median amount."""

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from core.money import cents_to_decimal

LOOKBACK_DAYS = 90
MIN_CHARGES = 3
AMOUNT_TOLERANCE = 0.20
GAP_TOLERANCE = 0.40
GAP_SLACK_DAYS = 3
# Median days between charges for each cadence; anything else is not a subscription.
CADENCES = {"weekly": (5, 9), "monthly": (25, 35)}
MONTHS_PER_WEEK = 52 / 12


@dataclass(frozen=True)
class RecurringMerchant:
    merchant: str
    cadence: str
    charges: int
    typical_amount: Decimal
    monthly_cost: Decimal


def recurring_merchants(transactions: pd.DataFrame, *, as_of: pd.Timestamp) -> pd.DataFrame:
    """One row per (user_id, merchant) that recurs: charges, median_gap, cadence, typical_cents, monthly_cents."""
    start = as_of - pd.Timedelta(days=LOOKBACK_DAYS)
    charges = transactions.loc[
        (transactions["kind"] == "expense")
        & (transactions["merchant"] != "")
        & (transactions["day"] > start)
        & (transactions["day"] <= as_of),
        ["user_id", "merchant", "day", "cents"],
    ].sort_values(["user_id", "merchant", "day"])
    keys = [charges["user_id"], charges["merchant"]]
    grouped = charges.groupby(keys, sort=False)
    charges = charges.assign(
        gap=grouped["day"].diff().dt.days,
        deviation=(charges["cents"] - grouped["cents"].transform("median")).abs()
        / grouped["cents"].transform("median"),
    )
    gap_median = charges.groupby(["user_id", "merchant"], sort=False)["gap"].transform("median")
    # a few days of slack for weekly charges, where one day of jitter is already a large share
    charges["gap_deviation"] = (charges["gap"] - gap_median).abs() / np.maximum(
        gap_median, GAP_SLACK_DAYS / GAP_TOLERANCE
    )
    per_merchant = charges.groupby(["user_id", "merchant"], sort=False).agg(
        charges=("cents", "size"),
        median_gap=("gap", "median"),
        typical_cents=("cents", "median"),
        max_deviation=("deviation", "max"),
        max_gap_deviation=("gap_deviation", "max"),
    )
    cadence = np.select(
        [
            per_merchant["median_gap"].between(*CADENCES["weekly"]),
            per_merchant["median_gap"].between(*CADENCES["monthly"]),
        ],
        ["weekly", "monthly"],
        default="",
    )
    per_merchant = per_merchant.assign(cadence=cadence)
    recurring = per_merchant[
        (per_merchant["charges"] >= MIN_CHARGES)
        & (per_merchant["cadence"] != "")
        & (per_merchant["max_deviation"] <= AMOUNT_TOLERANCE)
        & (per_merchant["max_gap_deviation"] <= GAP_TOLERANCE)
    ]
    monthly = np.where(
        recurring["cadence"] == "weekly", recurring["typical_cents"] * MONTHS_PER_WEEK, recurring["typical_cents"]
    )
    return recurring.assign(monthly_cents=monthly).reset_index()


def subscription_signals(recurring: pd.DataFrame, spending_per_month: pd.Series, users: pd.Index) -> pd.DataFrame:
    """Per user: recurring_merchants (count), monthly_recurring_cents, subscription_share (of monthly spending)."""
    per_user = recurring.groupby("user_id").agg(
        recurring_merchants=("merchant", "size"), monthly_recurring_cents=("monthly_cents", "sum")
    )
    per_user = per_user.reindex(users, fill_value=0)
    spending = spending_per_month.reindex(users, fill_value=0).astype(float)
    share = np.where(spending > 0, per_user["monthly_recurring_cents"] / spending.replace(0, np.nan), 0.0)
    return per_user.assign(subscription_share=np.nan_to_num(share))


def recurring_by_user(recurring: pd.DataFrame) -> dict[int, list[RecurringMerchant]]:
    """Each user's recurring merchants, costliest first, in one pass over the frame."""
    by_user: dict[int, list[RecurringMerchant]] = {}
    ordered = recurring.sort_values(["user_id", "monthly_cents"], ascending=[True, False])
    for row in ordered.to_dict("records"):
        by_user.setdefault(int(row["user_id"]), []).append(
            RecurringMerchant(
                merchant=row["merchant"],
                cadence=row["cadence"],
                charges=int(row["charges"]),
                typical_amount=cents_to_decimal(row["typical_cents"]),
                monthly_cost=cents_to_decimal(row["monthly_cents"]),
            )
        )
    return by_user
