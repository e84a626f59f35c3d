import pandas as pd
import pytest

from insights.analytics.score import behaviour_score, budget_adherence, frequency, tracking_discipline
from insights.tests.analytics.frames import transactions


@pytest.mark.parametrize(("spent", "expected"), [(100, 1.0), (110, 0.8), (125, 0.5), (150, 0.0), (300, 0.0)])
def test_budget_adherence_falls_linearly_to_zero_at_50_percent_over(spent, expected):
    assert budget_adherence([(100, spent)]) == pytest.approx(expected)


def test_no_budget_is_neutral():
    assert budget_adherence([]) == 0.5


def test_frequency_is_days_with_transactions_over_days_elapsed():
    frame = transactions([{"cents": 1, "day": d} for d in ("2026-06-01", "2026-06-01", "2026-06-03")])
    assert frequency(frame, days_elapsed=4) == 0.5


@pytest.mark.parametrize(("delay", "expected"), [(0, 1.0), (1, 6 / 7), (3.5, 0.5), (7, 0.0), (10, 0.0)])
def test_tracking_discipline_fades_to_zero_at_7_days(delay, expected):
    day = pd.Timestamp("2026-06-01")
    created = day + pd.Timedelta(days=int(delay))
    frame = transactions([{"cents": 1, "day": day, "created_day": created}])
    if delay == 3.5:
        frame = transactions([{"cents": 1, "day": day, "created_day": day + pd.Timedelta(days=d)} for d in (0, 7)])
    assert tracking_discipline(frame) == pytest.approx(expected)


def test_score_weights():
    frame = transactions(
        [{"cents": 1, "day": "2026-06-01"}, {"cents": 1, "day": "2026-06-02", "created_day": "2026-06-09"}]
    )
    score = behaviour_score(frame, [(100, 110)], days_elapsed=4)
    # 0.3 x 0.8 + 0.3 x 0.5 + 0.4 x 0.5 = 0.59
    assert score.score == 59
    assert {name: c.score for name, c in score.components.items()} == {
        "budget_adherence": 80, "frequency": 50, "tracking_discipline": 50,
    }  # fmt: skip
    assert sum(c.weight for c in score.components.values()) == pytest.approx(1.0)
