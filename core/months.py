"""Calendar months in a user's time zone: what "this month" means for budgets and aggregates."""

import calendar
import zoneinfo
from datetime import date, datetime, time, timedelta, tzinfo

TimeZoneLike = str | tzinfo

# The calendar Spendwise works in: wide enough for any ledger, narrow enough that a period around
# any of its days (a year, the next month, a day in any time zone) stays within Python's dates.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
OUT_OF_RANGE = f"Give a date from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}."


def as_zone(tz: TimeZoneLike) -> tzinfo:
    return zoneinfo.ZoneInfo(tz) if isinstance(tz, str) else tz


def month_start(value: date | datetime, tz: TimeZoneLike) -> date:
    """First day of the month `value` falls in, seen from `tz` (datetimes are converted, dates taken as they are)."""
    if isinstance(value, datetime):
        value = value.astimezone(as_zone(tz)).date()
    return value.replace(day=1)


def month_bounds(*, month: date, tz: TimeZoneLike) -> tuple[datetime, datetime]:
    """[start, end) of the month in UTC-aware datetimes, with the month's edges at local midnight."""
    zone = as_zone(tz)
    start = datetime.combine(month.replace(day=1), time.min, tzinfo=zone)
    end = datetime.combine(next_month(month), time.min, tzinfo=zone)
    return start.astimezone(zoneinfo.ZoneInfo("UTC")), end.astimezone(zoneinfo.ZoneInfo("UTC"))


def day_bounds(*, day: date, tz: TimeZoneLike) -> tuple[datetime, datetime]:
    """[start, end) of one local day, in UTC-aware datetimes."""
    zone = as_zone(tz)
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    return start.astimezone(zoneinfo.ZoneInfo("UTC")), end.astimezone(zoneinfo.ZoneInfo("UTC"))


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def previous_month(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def days_in_month(month: date) -> int:
    return calendar.monthrange(month.year, month.month)[1]


def parse_month(text: str) -> date:
    """'YYYY-MM' -> the first day of that month. ValueError on anything else, or outside FIRST_DAY..LAST_DAY."""
    try:
        year, month = text.split("-")
        if len(year) != 4 or len(month) != 2:
            raise ValueError
        first = date(int(year), int(month), 1)
    except (ValueError, AttributeError):
        raise ValueError(f"'{text}' is not a month in the form YYYY-MM.")
    return supported_day(first)


def supported_day(day: date) -> date:
    """`day` itself when Spendwise's calendar holds it; ValueError (OUT_OF_RANGE) otherwise."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(OUT_OF_RANGE)
    return day


def format_month(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"
