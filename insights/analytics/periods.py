"""Calendar periods (week from Monday, month, quarter, year) around a local date."""

from dataclasses import dataclass
from datetime import date, timedelta

PERIODS = ("week", "month", "quarter", "year")
# How many earlier periods make up "your average".
AVERAGE_OVER = {"week": 6, "month": 6, "quarter": 4, "year": 3}


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        return period_containing(self.kind, self.start - timedelta(days=1))


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_containing(kind: str, day: date) -> Period:
    if kind == "week":
        start = day - timedelta(days=day.weekday())
        return Period(kind, start, start + timedelta(days=6))
    if kind == "month":
        start = day.replace(day=1)
        months = 1
    elif kind == "quarter":
        start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        months = 3
    elif kind == "year":
        start = date(day.year, 1, 1)
        months = 12
    else:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}")
    return Period(kind, start, _add_months(start, months) - timedelta(days=1))


def earlier_periods(period: Period) -> list[Period]:
    periods, current = [], period
    for _ in range(AVERAGE_OVER[period.kind]):
        current = current.previous()
        periods.append(current)
    return periods
