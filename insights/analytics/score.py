"""Behaviour score, 0-100 = round(100 x (0.3 x budget adherence + 0.3 x frequency + 0.4 x tracking discipline)).

- budget adherence: per budget, 1 within budget, falling linearly to 0 at 50% over budget
  (1 - overrun / 0.5, where overrun = spent / budget - 1); the mean over the month's budgets;
  0.5 (neutral) when the user has no budget.
- frequency: days with at least one logged transaction / days elapsed in the month.
- tracking discipline: per transaction, 1 - delay / 7 (floored at 0), where delay = whole days between
  the day it happened and the day it was logged, both in the user's time zone; the mean; 0 with none.
"""

from dataclasses import dataclass

import pandas as pd

WEIGHTS = {"budget_adherence": 0.3, "frequency": 0.3, "tracking_discipline": 0.4}
OVERRUN_AT_ZERO = 0.5
DISCIPLINE_DAYS = 7
NO_BUDGET_SCORE = 0.5


@dataclass(frozen=True)
class Component:
    score: int
    weight: float


@dataclass(frozen=True)
class Score:
    score: int
    components: dict[str, Component]


def budget_adherence(budgets: list[tuple[int, int]]) -> float:
    """budgets: (budget_cents, spent_cents) pairs."""
    if not budgets:
        return NO_BUDGET_SCORE
    marks = []
    for budget, spent in budgets:
        overrun = max(0.0, spent / budget - 1) if budget > 0 else 0.0
        marks.append(max(0.0, 1 - overrun / OVERRUN_AT_ZERO))
    return sum(marks) / len(marks)


def frequency(transactions: pd.DataFrame, *, days_elapsed: int) -> float:
    if days_elapsed <= 0:
        return 0.0
    return min(1.0, transactions["day"].nunique() / days_elapsed)


def tracking_discipline(transactions: pd.DataFrame) -> float:
    if transactions.empty:
        return 0.0
    delay = (transactions["created_day"] - transactions["day"]).dt.days.clip(lower=0)
    return float((1 - delay / DISCIPLINE_DAYS).clip(lower=0).mean())


def behaviour_score(transactions: pd.DataFrame, budgets: list[tuple[int, int]], *, days_elapsed: int) -> Score:
    """transactions: the month's rows (day, created_day) up to today."""
    parts = {
        "budget_adherence": budget_adherence(budgets),
        "frequency": frequency(transactions, days_elapsed=days_elapsed),
        "tracking_discipline": tracking_discipline(transactions),
    }
    total = sum(WEIGHTS[name] * value for name, value in parts.items())
    return Score(
        score=round(100 * total),
        components={name: Component(score=round(100 * value), weight=WEIGHTS[name]) for name, value in parts.items()},
    )
