"""Budget forecasting arithmetic: burn rate, projection, overrun date, adherence probability. Pure: no ORM.

Money enters as integer cents so the resampling stays exact and fast in numpy.
"""

import zlib
from datetime import date, timedelta

import numpy as np

SIMULATIONS = 1000
WARNING_PERCENT = 80


def daily_burn_cents(*, spent: int, days_elapsed: int) -> int:
    return round(spent / days_elapsed) if days_elapsed > 0 else 0


def overrun_date(
    *, spent: int, budget: int, burn: int, today: date, days_left: int, daily: dict[date, int]
) -> date | None:
    """When spending crosses the budget: the day it did (already over), the day it will at the
    current burn rate (within this month), or None."""
    if spent > budget:
        running = 0
        for day in sorted(daily):
            running += daily[day]
            if running > budget:
                return day
        return today
    if burn <= 0 or days_left <= 0:
        return None
    days_needed = (budget - spent) // burn + 1
    return today + timedelta(days=days_needed) if days_needed <= days_left else None


def simulation_seed(*parts) -> int:
    """The same user, month and category always get the same simulations (stable answers, testable)."""
    return zlib.crc32(":".join(str(part) for part in parts).encode())


def adherence_probability(
    *, spent: int, budget: int, history: list[int], days_left: int, seed: int, simulations: int = SIMULATIONS
) -> float:
    """Share of simulated month-ends within budget: each simulation adds `days_left` days drawn
    with replacement from the user's own recent daily spending (`history`) to what is spent so far."""
    if spent > budget:
        return 0.0
    if days_left <= 0 or not history or spent + max(history) * days_left <= budget:
        return 1.0
    if spent + min(history) * days_left > budget:
        return 0.0
    rng = np.random.default_rng(seed)
    days = np.asarray(history, dtype=np.int64)
    month_ends = spent + rng.choice(days, size=(simulations, days_left)).sum(axis=1)
    return round(float(np.mean(month_ends <= budget)), 4)


def status_for(*, spent: int, budget: int, projected: int) -> str:
    if spent > budget:
        return "over"
    if spent * 100 >= budget * WARNING_PERCENT or projected > budget:
        return "warning"
    return "ok"
