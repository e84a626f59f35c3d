"""alerts.rules: pure semantics, no database."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from alerts.rules import (
    Firing,
    QuietHours,
    Threshold,
    evaluate_forecast,
    evaluate_thresholds,
    inactivity_due,
    percent_of,
    quiet_hours_end,
    threshold_severity_kind,
    validate_thresholds,
)

NOW = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)
DEFAULTS = [Threshold(80, "info"), Threshold(95, "warning"), Threshold(100, "danger"), Threshold(150, "critical")]
HOUR = timedelta(minutes=60)


def outcome(spent, firings=None, budget="100", now=NOW):
    return evaluate_thresholds(
        spent=Decimal(spent), budget=Decimal(budget), thresholds=DEFAULTS, firings=firings or {}, now=now, cooldown=HOUR
    )


def fired(percent, *, armed=False, ago=timedelta(hours=5)):
    return Firing(percent=percent, armed=armed, fired_at=NOW - ago)


def test_below_every_threshold_sends_nothing():
    result = outcome("79.99")
    assert result.notify is None and result.claim == () and result.rearm == ()


def test_crossing_one_threshold_notifies_it():
    result = outcome("80.00")
    assert result.notify == Threshold(80, "info")
    assert result.claim == (80,)


def test_crossing_two_at_once_notifies_only_the_highest_and_claims_both():
    result = outcome("100.00")
    assert result.notify == Threshold(100, "danger")
    assert result.claim == (80, 95, 100)


def test_threshold_already_fired_does_not_fire_again():
    result = outcome("90", {80: fired(80)})
    assert result.notify is None and result.claim == ()


def test_next_threshold_fires_when_lower_one_already_fired():
    result = outcome("96", {80: fired(80)})
    assert result.notify == Threshold(95, "warning")
    assert result.claim == (95,)


def test_falling_below_rearms_only_the_thresholds_now_above_spending():
    result = outcome("85", {80: fired(80), 95: fired(95), 100: fired(100)})
    assert result.rearm == (95, 100)
    assert result.notify is None


def test_rearmed_threshold_fires_again_after_the_cooldown():
    result = outcome("81", {80: fired(80, armed=True, ago=timedelta(minutes=61))})
    assert result.notify == Threshold(80, "info")


def test_rearmed_threshold_within_cooldown_is_claimed_quietly():
    result = outcome("81", {80: fired(80, armed=True, ago=timedelta(minutes=10))})
    assert result.notify is None
    assert result.claim_quietly == (80,)
    assert result.claim == ()


def test_cooldown_on_a_lower_threshold_does_not_hide_a_higher_fresh_one():
    result = outcome("101", {80: fired(80, armed=True, ago=timedelta(minutes=10))})
    assert result.notify == Threshold(100, "danger")
    assert result.claim_quietly == (80,)
    assert result.claim == (95, 100)


def test_zero_budget_never_fires():
    assert outcome("50", budget="0").notify is None


@given(
    spent=st.decimals(min_value=0, max_value=10_000, places=2),
    already=st.sets(st.sampled_from([80, 95, 100, 150])),
)
def test_at_most_one_notification_and_it_is_the_highest_fresh_crossing(spent, already):
    result = outcome(str(spent), {p: fired(p) for p in already})
    fresh = [t for t in DEFAULTS if t.percent <= spent and t.percent not in already]
    assert result.notify == (max(fresh, key=lambda t: t.percent) if fresh else None)
    assert set(result.claim) == {t.percent for t in fresh}
    assert set(result.rearm) == {p for p in already if p > spent}
    assert result.percent == percent_of(spent, Decimal("100"))


def test_overspend_kind_from_100_percent():
    assert threshold_severity_kind(95) == "budget_threshold"
    assert threshold_severity_kind(100) == "overspend"
    assert threshold_severity_kind(150) == "overspend"


def forecast(**overrides):
    values = {
        "spent": Decimal("60"), "budget": Decimal("100"), "projected_total": Decimal("130"),
        "projected_overrun_on": date(2026, 11, 24), "days_of_data": 10,
    }  # fmt: skip
    return evaluate_forecast(**(values | overrides))


def test_forecast_warns_with_the_overrun_and_date():
    alert = forecast()
    assert alert.overrun == Decimal("30.00")
    assert alert.overrun_on == date(2026, 11, 24)


def test_forecast_needs_five_days_of_data():
    assert forecast(days_of_data=4) is None
    assert forecast(days_of_data=5) is not None


def test_forecast_silent_when_projection_within_budget_or_already_over():
    assert forecast(projected_total=Decimal("100")) is None
    assert forecast(spent=Decimal("100")) is None
    assert forecast(projected_total=None) is None


def test_inactivity_after_five_days():
    assert inactivity_due(last_logged_at=NOW - timedelta(days=5), now=NOW)
    assert not inactivity_due(last_logged_at=NOW - timedelta(days=4, hours=23), now=NOW)
    assert not inactivity_due(last_logged_at=None, now=NOW)


BERLIN_NIGHT = QuietHours(start=time(20, 0), end=time(8, 0), timezone="Europe/Berlin")


def test_outside_quiet_hours_nothing_is_deferred():
    assert quiet_hours_end(quiet_hours=BERLIN_NIGHT, now=datetime(2026, 11, 15, 12, 0, tzinfo=UTC)) is None
    assert quiet_hours_end(quiet_hours=None, now=NOW) is None


def test_quiet_hours_end_next_morning_before_spring_forward():
    # Saturday 22:00 CET; clocks go forward that night, so 08:00 CEST is 06:00 UTC.
    end = quiet_hours_end(quiet_hours=BERLIN_NIGHT, now=datetime(2026, 3, 28, 21, 0, tzinfo=UTC))
    assert end == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)


def test_quiet_hours_end_next_morning_before_fall_back():
    # Saturday 22:00 CEST; clocks go back that night, so 08:00 CET is 07:00 UTC.
    end = quiet_hours_end(quiet_hours=BERLIN_NIGHT, now=datetime(2026, 10, 24, 20, 0, tzinfo=UTC))
    assert end == datetime(2026, 10, 25, 7, 0, tzinfo=UTC)


def test_quiet_hours_after_midnight_end_the_same_morning():
    end = quiet_hours_end(quiet_hours=BERLIN_NIGHT, now=datetime(2026, 10, 25, 2, 30, tzinfo=UTC))
    assert end == datetime(2026, 10, 25, 7, 0, tzinfo=UTC)


def test_daytime_quiet_hours():
    lunch = QuietHours(start=time(12, 0), end=time(13, 0), timezone="UTC")
    assert quiet_hours_end(quiet_hours=lunch, now=datetime(2026, 5, 1, 12, 30, tzinfo=UTC)) == datetime(
        2026, 5, 1, 13, 0, tzinfo=UTC
    )
    assert quiet_hours_end(quiet_hours=lunch, now=datetime(2026, 5, 1, 13, 0, tzinfo=UTC)) is None


def test_threshold_validation_names_each_problem():
    assert validate_thresholds([{"percent": 80, "severity": "info"}, {"percent": 100, "severity": "danger"}]) == []
    assert validate_thresholds([])
    assert validate_thresholds([{"percent": -5, "severity": "info"}])
    assert validate_thresholds([{"percent": 100, "severity": "info"}, {"percent": 80, "severity": "info"}])
    assert validate_thresholds([{"percent": 80, "severity": "info"}, {"percent": 80, "severity": "info"}])
    assert validate_thresholds([{"percent": 80, "severity": "loud"}])
