import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from insights.analytics.benchmarks import cohorts_by_month, compute_benchmarks, income_band, standing

MONTH = pd.Timestamp("2026-05-01")


def spending(amounts: list[int], category="groceries", first_user=1) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "user_id": range(first_user, first_user + len(amounts)),
            "month": MONTH,
            "category": category,
            "cents": amounts,
        }
    )


def no_cohorts() -> pd.DataFrame:
    return pd.DataFrame(
        {"user_id": pd.Series(dtype=int), "month": pd.Series(dtype="datetime64[ns]"), "cohort": pd.Series(dtype=str)}
    )


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 10_000_00), min_size=10, max_size=200))
def test_percentiles_match_numpy(amounts):
    row = compute_benchmarks(spending(amounts), no_cohorts()).set_index("cohort").loc["all"]
    expected = np.percentile(amounts, [10, 25, 50, 75, 90])
    assert np.allclose([row.p10, row.p25, row.p50, row.p75, row.p90], expected)
    assert row["mean"] == pytest.approx(np.mean(amounts))
    assert row.cohort_size == len(amounts)


def test_a_cohort_under_10_is_not_published_but_all_is():
    frame = spending([100] * 12)
    cohorts = pd.DataFrame(
        {"user_id": range(1, 13), "month": MONTH, "cohort": ["income_10k_plus"] * 9 + ["income_lt_2k"] * 3}
    )
    published = compute_benchmarks(frame, cohorts)
    assert published["cohort"].tolist() == ["all"]


def test_users_without_a_cohort_row_count_in_the_lowest_band():
    assert set(compute_benchmarks(spending([100] * 10), no_cohorts())["cohort"]) == {"all", "income_lt_2k"}


def test_9_users_publish_nothing():
    assert compute_benchmarks(spending([100] * 9), no_cohorts()).empty


def test_each_category_and_month_is_its_own_group():
    frame = pd.concat([spending([100] * 10), spending([200] * 10, category="dining")])
    published = compute_benchmarks(frame, no_cohorts()).query("cohort == 'all'").set_index("category")
    assert published.loc["groceries", "p50"] == 100
    assert published.loc["dining", "p50"] == 200


def test_income_bands_edges():
    assert income_band([0, 1_999_99, 2_000_00, 5_000_00, 9_999_99, 10_000_00]).tolist() == [
        "income_lt_2k", "income_lt_2k", "income_2k_5k", "income_5k_10k", "income_5k_10k", "income_10k_plus",
    ]  # fmt: skip


def test_cohort_averages_income_over_active_months_only():
    totals = pd.DataFrame(
        {
            "user_id": [1, 1, 1],
            "month": [pd.Timestamp("2026-04-01"), MONTH, MONTH],
            "kind": ["income", "income", "expense"],
            "cents": [6_000_00, 6_000_00, 100_00],
        }  # fmt: skip
    )
    cohorts = cohorts_by_month(totals, [MONTH])
    assert cohorts["cohort"].tolist() == ["income_5k_10k"]


def test_standing_interpolates_and_flags_outliers():
    bench = {"minimum": 0, "p10": 10, "p25": 25, "p50": 50, "p75": 75, "p90": 90, "maximum": 100}
    assert standing(50, bench).percentile_rank == 50
    assert standing(60, bench).percentile_rank == 60
    assert standing(95, bench).outlier == "high"
    assert standing(10, bench).outlier == "low"
    assert standing(40, bench).outlier is None


@settings(max_examples=20, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 500_00), st.sampled_from(["income_lt_2k", "income_5k_10k"])), min_size=20, max_size=120
    )
)
def test_each_band_matches_numpy_on_its_own_users(rows):
    amounts = [cents for cents, _ in rows]
    frame = pd.concat([spending(amounts), spending([a * 2 for a in amounts], category="dining")])
    cohorts = pd.DataFrame({"user_id": range(1, len(rows) + 1), "month": MONTH, "cohort": [band for _, band in rows]})
    published = compute_benchmarks(frame, cohorts).set_index(["cohort", "category"])
    for band in ("income_lt_2k", "income_5k_10k"):
        mine = [cents for cents, b in rows if b == band]
        if len(mine) < 10:
            assert (band, "groceries") not in published.index
            continue
        row = published.loc[(band, "groceries")]
        assert np.allclose([row.p10, row.p25, row.p50, row.p75, row.p90], np.percentile(mine, [10, 25, 50, 75, 90]))
        assert published.loc[(band, "dining"), "p50"] == pytest.approx(2 * np.percentile(mine, 50))
