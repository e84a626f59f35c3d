from datetime import date

from finance import forecast


def test_burn_is_spending_per_elapsed_day():
    assert forecast.daily_burn_cents(spent=15000, days_elapsed=10) == 1500
    assert forecast.daily_burn_cents(spent=15000, days_elapsed=0) == 0


def test_overrun_day_at_the_current_rate():
    day = forecast.overrun_date(spent=15000, budget=30000, burn=1500, today=date(2026, 1, 10), days_left=21, daily={})
    assert day == date(2026, 1, 21)  # 150 left at 15/day: the 11th day after today crosses it


def test_no_overrun_when_the_rate_stays_inside_the_month_budget():
    assert (
        forecast.overrun_date(spent=100, budget=30000, burn=10, today=date(2026, 1, 10), days_left=21, daily={}) is None
    )


def test_already_over_reports_the_day_it_crossed():
    daily = {date(2026, 1, 1): 200, date(2026, 1, 2): 200, date(2026, 1, 3): 200}
    assert forecast.overrun_date(
        spent=600, budget=350, burn=200, today=date(2026, 1, 3), days_left=28, daily=daily
    ) == (date(2026, 1, 2))


def test_adherence_is_certain_at_the_extremes():
    kwargs = {"history": [0, 100, 300], "seed": 1}
    assert forecast.adherence_probability(spent=5000, budget=4000, days_left=10, **kwargs) == 0.0
    assert forecast.adherence_probability(spent=1000, budget=4000, days_left=10, **kwargs) == 1.0  # 1000 + 10*300
    assert forecast.adherence_probability(spent=1000, budget=1000, days_left=0, **kwargs) == 1.0
    assert forecast.adherence_probability(spent=0, budget=1000, days_left=5, history=[300, 400], seed=1) == 0.0
    assert forecast.adherence_probability(spent=0, budget=1000, days_left=5, history=[], seed=1) == 1.0


def test_adherence_in_between_is_a_stable_share():
    kwargs = {"spent": 1000, "budget": 2500, "days_left": 10, "history": [0, 0, 100, 200, 400], "seed": 7}
    first = forecast.adherence_probability(**kwargs)
    assert 0 < first < 1
    assert forecast.adherence_probability(**kwargs) == first
    looser = forecast.adherence_probability(**{**kwargs, "budget": 3500})
    assert looser > first


def test_status_thresholds():
    assert forecast.status_for(spent=100, budget=1000, projected=500) == "ok"
    assert forecast.status_for(spent=800, budget=1000, projected=900) == "warning"
    assert forecast.status_for(spent=100, budget=1000, projected=1001) == "warning"
    assert forecast.status_for(spent=1001, budget=1000, projected=1001) == "over"
