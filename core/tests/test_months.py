from datetime import UTC, date, datetime

import pytest

from core.months import (
    days_in_month,
    format_month,
    month_bounds,
    month_start,
    next_month,
    parse_month,
    previous_month,
)


def test_a_late_evening_in_berlin_still_belongs_to_that_month():
    late_january = datetime(2026, 1, 31, 22, 30, tzinfo=UTC)  # 23:30 in Berlin
    assert month_start(late_january, "Europe/Berlin") == date(2026, 1, 1)
    assert month_start(late_january, "Asia/Tokyo") == date(2026, 2, 1)


def test_month_bounds_are_local_midnights_in_utc():
    start, end = month_bounds(month=date(2026, 1, 1), tz="Europe/Berlin")
    assert start == datetime(2025, 12, 31, 23, 0, tzinfo=UTC)
    assert end == datetime(2026, 1, 31, 23, 0, tzinfo=UTC)


def test_month_bounds_follow_daylight_saving():
    start, end = month_bounds(month=date(2026, 3, 1), tz="Europe/Berlin")
    assert (end - start).total_seconds() == 31 * 24 * 3600 - 3600


def test_month_arithmetic_crosses_years():
    assert next_month(date(2025, 12, 1)) == date(2026, 1, 1)
    assert previous_month(date(2026, 1, 1)) == date(2025, 12, 1)
    assert days_in_month(date(2028, 2, 1)) == 29


def test_months_are_read_and_written_as_yyyy_mm():
    assert parse_month("2026-02") == date(2026, 2, 1)
    assert format_month(date(2026, 2, 1)) == "2026-02"
    for bad in ("2026-13", "26-01", "2026/01", "", "2026-1"):
        with pytest.raises(ValueError):
            parse_month(bad)
