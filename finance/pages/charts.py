"""Geometry of the dashboard's server-drawn SVG charts. Pure: numbers in, shapes out, no ORM.

Templates draw the shapes (so Django escapes every label); each chart also has a table
as its text alternative.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, Decimal

BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 120
CHART_WIDTH = 560


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    y: int
    width: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int = CHART_WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return max(len(self.bars), 1) * (BAR_HEIGHT + BAR_GAP)

    @property
    def value_x(self) -> int:
        return self.label_width + 6


def bar_chart(values: list[tuple[str, Decimal]]) -> BarChart:
    """Horizontal bars, largest first, scaled to the largest value."""
    ordered = sorted(values, key=lambda item: item[1], reverse=True)
    largest = max((value for _, value in ordered), default=Decimal(0))
    room = CHART_WIDTH - LABEL_WIDTH - 90  # leave space for the value printed after the bar
    bars = [
        Bar(
            label=label,
            value=value,
            y=index * (BAR_HEIGHT + BAR_GAP),
            width=float(value / largest) * room if largest else 0,
        )
        for index, (label, value) in enumerate(ordered)
    ]
    return BarChart(bars=bars)


@dataclass(frozen=True)
class LineChart:
    """Cumulative spending by day, and a dashed projection from today to the month's end, on axes:
    days of the month along the bottom, amounts (round figures) up the left side."""

    width: int
    height: int
    actual_points: str
    projection_points: str
    budget_y: float | None
    days: int
    top: Decimal
    left: int = 0
    right: int = 0
    baseline: int = 0
    ceiling: int = 0
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)


def round_scale(largest: Decimal, *, steps: int = 4) -> tuple[Decimal, Decimal]:
    """(step, top): a round step (1, 2 or 5 times a power of ten) and the axis' top, a multiple of
    it at or above `largest`, so the ticks read 0, 500, 1,000, 1,500 rather than 0, 437.21 ..."""
    rough = max(largest, Decimal(1)) / steps
    power = Decimal(10) ** (len(str(int(rough))) - 1)
    step = next(power * m for m in (1, 2, 5, 10) if power * m >= rough)
    top = step * (largest / step).to_integral_value(rounding=ROUND_CEILING)
    return step, max(top, step)


def cumulative_line_chart(
    *,
    daily: list[tuple[date, Decimal]],
    days_in_month: int,
    projected_total: Decimal | None,
    budget: Decimal | None = None,
    width: int = CHART_WIDTH,
    height: int = 220,
) -> LineChart:
    """`daily` holds the spending of each day so far (in order, from the 1st to today)."""
    running, totals = Decimal(0), []
    for _, spent in daily:
        running += spent
        totals.append(running)
    step, top = round_scale(max([*totals, projected_total or 0, budget or 0, Decimal(0)]))
    left, right, ceiling, baseline = 64, width - 16, 12, height - 40

    def x(day_number: int) -> float:
        return left + (right - left) * (day_number - 1) / max(days_in_month - 1, 1)

    def y(amount: Decimal) -> float:
        return round(baseline - (baseline - ceiling) * float(amount / top), 1)

    actual = " ".join(f"{x(number):.1f},{y(total)}" for number, total in enumerate(totals, start=1))
    projection = ""
    if totals and projected_total is not None and len(totals) < days_in_month:
        projection = f"{x(len(totals)):.1f},{y(totals[-1])} {x(days_in_month):.1f},{y(projected_total)}"
    ticks = [(x(day), str(day)) for day in (1, 8, 15, 22, days_in_month)]
    levels = [step * n for n in range(int(top / step) + 1)]
    return LineChart(
        width=width,
        height=height,
        actual_points=actual,
        projection_points=projection,
        budget_y=y(budget) if budget else None,
        days=days_in_month,
        top=top,
        left=left,
        right=right,
        baseline=baseline,
        ceiling=ceiling,
        x_ticks=ticks,
        y_ticks=[(y(level), f"{level:,.0f}") for level in levels],
    )
