"""Pure alert semantics: no ORM, no I/O.

Given what was spent, the budget, a rule's thresholds and what already fired, decide
which notification to send. Evaluation (alerts/services/evaluation.py) loads the inputs and
saves the outcome.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

SEVERITIES = ("info", "warning", "danger", "critical")
FORECAST_MIN_DAYS = 5
INACTIVITY_DAYS = 5


@dataclass(frozen=True)
class Threshold:
    percent: int
    severity: str


@dataclass(frozen=True)
class Firing:
    """What is known about a threshold that fired before in this month."""

    percent: int
    armed: bool  # spending fell back below it since it fired
    fired_at: datetime


@dataclass(frozen=True)
class ThresholdOutcome:
    notify: Threshold | None = None  # the one notification to send (highest newly crossed)
    claim: tuple[int, ...] = ()  # thresholds to record as fired with a notification
    claim_quietly: tuple[int, ...] = ()  # crossed again within the cooldown: recorded, not notified
    rearm: tuple[int, ...] = ()  # spending is back below these
    percent: Decimal = field(default=Decimal("0"))


@dataclass(frozen=True)
class ForecastAlert:
    overrun: Decimal
    overrun_on: date | None


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time
    timezone: str


def percent_of(spent: Decimal, budget: Decimal) -> Decimal:
    if budget <= 0:
        return Decimal("0")
    return (spent * 100 / budget).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def evaluate_thresholds(
    *,
    spent: Decimal,
    budget: Decimal,
    thresholds: list[Threshold],
    firings: dict[int, Firing],
    now: datetime,
    cooldown: timedelta,
) -> ThresholdOutcome:
    """Which thresholds are newly crossed, which one to notify, which re-arm.

    A threshold fires once while spending stays above it. When spending falls below it
    (a delete, an undo, a refund) it re-arms; crossing it again notifies again unless the
    last firing was within the cooldown, which stops an add/delete flap from spamming.
    """
    if budget <= 0:
        return ThresholdOutcome()

    def reached(percent: int) -> bool:  # exact: 79.99 of 100 has not reached 80
        return spent * 100 >= budget * percent

    crossed = [t for t in thresholds if reached(t.percent)]
    rearm = tuple(p for p, f in sorted(firings.items()) if not f.armed and not reached(p))
    fresh, quiet = [], []
    for threshold in crossed:
        firing = firings.get(threshold.percent)
        if firing is not None and not firing.armed:
            continue  # fired already and spending never fell below it
        if firing is not None and now - firing.fired_at < cooldown:
            quiet.append(threshold.percent)
        else:
            fresh.append(threshold)
    highest = max(fresh, key=lambda t: t.percent, default=None)
    return ThresholdOutcome(
        notify=highest,
        claim=tuple(t.percent for t in fresh),
        claim_quietly=tuple(quiet),
        rearm=rearm,
        percent=percent_of(spent, budget),
    )


def evaluate_forecast(
    *,
    spent: Decimal,
    budget: Decimal,
    projected_total: Decimal | None,
    projected_overrun_on: date | None,
    days_of_data: int,
) -> ForecastAlert | None:
    """Warn when the month-end projection passes a budget that is not yet spent (once: the caller's dedup key)."""
    if projected_total is None or budget <= 0:
        return None
    if days_of_data < FORECAST_MIN_DAYS or spent >= budget or projected_total <= budget:
        return None
    return ForecastAlert(overrun=(projected_total - budget).quantize(Decimal("0.01")), overrun_on=projected_overrun_on)


def inactivity_due(*, last_logged_at: datetime | None, now: datetime, days: int = INACTIVITY_DAYS) -> bool:
    return last_logged_at is not None and now - last_logged_at >= timedelta(days=days)


def quiet_hours_end(*, quiet_hours: QuietHours | None, now: datetime) -> datetime | None:
    """When the quiet hours around `now` end (aware, UTC), or None when `now` is outside them.

    Computed on the wall clock of the rule's time zone, so 08:00 stays 08:00 local across
    a DST change (the UTC instant moves by an hour instead).
    """
    if quiet_hours is None or quiet_hours.start == quiet_hours.end:
        return None
    zone = ZoneInfo(quiet_hours.timezone)
    local = now.astimezone(zone)
    clock = local.time().replace(tzinfo=None)
    start, end = quiet_hours.start, quiet_hours.end
    if start < end:
        inside = start <= clock < end
        end_day = local.date()
    else:  # spans midnight, e.g. 20:00-08:00
        inside = clock >= start or clock < end
        end_day = local.date() + timedelta(days=1) if clock >= start else local.date()
    if not inside:
        return None
    return datetime.combine(end_day, end, tzinfo=zone).astimezone(ZoneInfo("UTC"))


def threshold_severity_kind(percent: int) -> str:
    """Crossing the whole budget is an overspend; below it, a threshold warning."""
    return "overspend" if percent >= 100 else "budget_threshold"


def validate_thresholds(thresholds: list[dict]) -> list[str]:
    """Problems with a rule's thresholds, in words; empty when they are fine."""
    problems = []
    if not thresholds:
        problems.append("Give at least one threshold.")
    percents = []
    for position, item in enumerate(thresholds, start=1):
        percent, severity = item.get("percent"), item.get("severity")
        if not isinstance(percent, int) or isinstance(percent, bool) or percent <= 0 or percent > 1000:
            problems.append(f"Threshold {position}: percent must be a whole number from 1 to 1000.")
        else:
            percents.append(percent)
        if severity not in SEVERITIES:
            problems.append(f"Threshold {position}: severity must be one of {', '.join(SEVERITIES)}.")
    if percents != sorted(set(percents)):
        problems.append("Thresholds must be in ascending order of percent, each percent once.")
    return problems
