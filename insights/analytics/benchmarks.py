"""Benchmarks: p10/p25/p50/p75/p90, mean, min and max of monthly spending per cohort, category and month.

Cohorts: the income band of the user's average monthly income over the 6 months ending with the
benchmarked month (under 2,000; 2,000-5,000; 5,000-10,000; 10,000 and more), and "all" (everyone),
the fallback when a band has fewer than MIN_COHORT users. Only users who spent in the category that
month count. Percentiles interpolate linearly (numpy's default, PostgreSQL's percentile_cont).
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

MIN_COHORT = 10
QUANTILES = (0.10, 0.25, 0.50, 0.75, 0.90)
QUANTILE_COLUMNS = ("p10", "p25", "p50", "p75", "p90")
BAND_EDGES_CENTS = (2_000_00, 5_000_00, 10_000_00)
BANDS = ("income_lt_2k", "income_2k_5k", "income_5k_10k", "income_10k_plus")
ALL = "all"
INCOME_MONTHS = 6


def income_band(monthly_income_cents) -> np.ndarray:
    """Vectorised: the band name for each average monthly income (cents)."""
    index = np.searchsorted(np.asarray(BAND_EDGES_CENTS), np.asarray(monthly_income_cents, dtype=float), side="right")
    return np.asarray(BANDS)[index]


def cohorts_by_month(totals: pd.DataFrame, months: list[pd.Timestamp]) -> pd.DataFrame:
    """totals: user_id, month, kind, cents (monthly totals of any kind). -> user_id, month, cohort for each
    month: the band of the average monthly income over the trailing 6 months in which the user recorded
    anything (so a new user's first months are not diluted by empty ones)."""
    columns = sorted(set(totals["month"]) | set(months))
    income = totals[totals["kind"] == "income"].pivot_table(
        index="user_id", columns="month", values="cents", aggfunc="sum", fill_value=0
    )
    active = totals.assign(one=1).pivot_table(
        index="user_id", columns="month", values="one", aggfunc="max", fill_value=0
    )
    income = income.reindex(index=active.index, columns=columns, fill_value=0)
    active = active.reindex(columns=columns, fill_value=0)
    income_sum = income.T.rolling(INCOME_MONTHS, min_periods=1).sum().T[months]
    active_months = active.T.rolling(INCOME_MONTHS, min_periods=1).sum().T[months].clip(lower=1)
    long = (income_sum / active_months).stack().rename("income_cents").reset_index()
    long.columns = ["user_id", "month", "income_cents"]
    long["cohort"] = income_band(long["income_cents"])
    return long[["user_id", "month", "cohort"]]


CENTS_BITS = 40  # amounts up to ~11 billion per user-month
BAND_BITS = 3


def sorted_stats(ordered: np.ndarray, sizes: np.ndarray) -> dict[str, np.ndarray]:
    """Size, mean, min, max and the QUANTILES per group, where `ordered` holds the groups one after
    another, each sorted ascending, and `sizes` their lengths. Quantiles are read by position with
    linear interpolation, as numpy and PostgreSQL's percentile_cont do."""
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    present = sizes > 0
    last = np.maximum(sizes - 1, 0)
    top = max(len(ordered) - 1, 0)
    running = np.concatenate([[0], np.cumsum(ordered, dtype=np.float64)])
    stats = {
        "cohort_size": sizes,
        "mean": (running[starts + sizes] - running[starts]) / np.maximum(sizes, 1),
        "minimum": np.where(present, ordered[np.minimum(starts, top)], 0),
        "maximum": np.where(present, ordered[np.minimum(starts + last, top)], 0),
    }
    for name, q in zip(QUANTILE_COLUMNS, QUANTILES, strict=True):
        position = q * last
        low = np.floor(position).astype(np.int64)
        at_low = ordered[np.minimum(starts + low, top)]
        at_high = ordered[np.minimum(starts + np.minimum(low + 1, last), top)]
        stats[name] = np.where(present, at_low + (position - low) * (at_high - at_low), 0)
    return stats


@dataclass(frozen=True)
class Prepared:
    """Spending as arrays: per row its category-month slot, income band code and cents."""

    slots: np.ndarray
    bands: np.ndarray
    cents: np.ndarray
    places: pd.DataFrame  # category, month of each slot


def prepare(spending: pd.DataFrame, cohorts: pd.DataFrame) -> Prepared:
    banded = spending.merge(cohorts, on=["user_id", "month"], how="left")
    return Prepared(
        slots=banded.groupby(["category", "month"], sort=False).ngroup().to_numpy(np.int64),
        bands=pd.Categorical(banded["cohort"].fillna(BANDS[0]), categories=BANDS).codes.astype(np.int64),
        cents=banded["cents"].to_numpy(np.int64),
        places=banded[["category", "month"]].drop_duplicates().reset_index(drop=True),
    )


def percentiles(prepared: Prepared) -> pd.DataFrame:
    """One np.sort orders everything: the key packs (category-month, amount, band), so each
    category-month is a sorted run ("all"); a stable radix partition of that run by band then gives
    each band's sorted run without sorting again."""
    width, count = len(prepared.places), len(BANDS)
    keys = (prepared.slots << (CENTS_BITS + BAND_BITS)) | (prepared.cents << BAND_BITS) | prepared.bands
    keys.sort()
    slot_of = keys >> (CENTS_BITS + BAND_BITS)
    amounts = (keys >> BAND_BITS) & ((1 << CENTS_BITS) - 1)
    band_groups = slot_of * count + (keys & ((1 << BAND_BITS) - 1))
    small = np.uint16 if width * count < 2**16 else np.uint32
    by_band = amounts[np.argsort(band_groups.astype(small), kind="stable")]
    everyone = pd.DataFrame(sorted_stats(amounts, np.bincount(slot_of, minlength=width)))
    everyone["cohort"], everyone["place"] = ALL, np.arange(width)
    banded = pd.DataFrame(sorted_stats(by_band, np.bincount(band_groups, minlength=width * count)))
    group = np.arange(width * count)
    banded["cohort"], banded["place"] = np.asarray(BANDS)[group % count], group // count
    return pd.concat([banded, everyone], ignore_index=True)


def compute_benchmarks(spending: pd.DataFrame, cohorts: pd.DataFrame) -> pd.DataFrame:
    """spending: user_id, month, category, cents (> 0). cohorts: user_id, month, cohort.
    -> cohort, category, month, cohort_size, p10..p90, mean, minimum, maximum (cents), for cohorts of
    at least MIN_COHORT users. Every row counts in its income band and in "all"."""
    columns = ["cohort", "category", "month", "cohort_size", "mean", "minimum", "maximum", *QUANTILE_COLUMNS]
    if spending.empty:
        return pd.DataFrame(columns=columns)
    prepared = prepare(spending, cohorts)
    table = percentiles(prepared)
    table["category"] = prepared.places["category"].to_numpy()[table["place"]]
    table["month"] = prepared.places["month"].to_numpy()[table["place"]]
    return table.loc[table["cohort_size"] >= MIN_COHORT, columns].reset_index(drop=True)


@dataclass(frozen=True)
class Standing:
    percentile_rank: float
    outlier: str | None


def standing(amount_cents: float, benchmark: dict) -> Standing:
    """Where an amount sits among a published benchmark: percentile rank by linear interpolation
    through (0, min), (10, p10) ... (90, p90), (100, max); outlier high at or above p90, low at or below p10."""
    points = [benchmark["minimum"], *(benchmark[c] for c in QUANTILE_COLUMNS), benchmark["maximum"]]
    ranks = [0, 10, 25, 50, 75, 90, 100]
    rank = float(np.interp(amount_cents, points, ranks))
    outlier = "high" if amount_cents >= benchmark["p90"] else "low" if amount_cents <= benchmark["p10"] else None
    return Standing(percentile_rank=round(rank, 1), outlier=outlier)
