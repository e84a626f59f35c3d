"""The month-end projection (pure): bills counted once on their dates, variable spending by its pace."""

from datetime import date, timedelta

from finance.budgeting import forecast
from finance.budgeting.forecast import Payment

DECEMBER = date(2026, 12, 1)
HISTORY = [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)]


def month_of(
    month: date, *, rent_day: int | None = 1, daily: int = 3000, netflix_day: int | None = 20
) -> list[Payment]:
    """A month shaped like a real one: rent, a streaming subscription, and groceries and coffee every day."""
    length = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - month
    payments = [
        Payment(day=month + timedelta(days=n), cents=daily, payee="whole foods market") for n in range(length.days)
    ]
    if rent_day:
        payments.append(Payment(day=month.replace(day=rent_day), cents=120_000, payee="rent payment"))
    if netflix_day:
        payments.append(Payment(day=month.replace(day=netflix_day), cents=1549, payee="netflix com"))
    return payments


def history() -> list[Payment]:
    return [p for month in HISTORY for p in month_of(month)]


def project(this_month: list[Payment], today: date, **kwargs) -> forecast.Projection:
    kwargs.setdefault("history", history())
    kwargs.setdefault("months", HISTORY)
    return forecast.month_projection(
        spent=sum(p.cents for p in this_month), this_month=this_month, month=DECEMBER, today=today, **kwargs
    )


def so_far(today: date) -> list[Payment]:
    return [p for p in month_of(DECEMBER) if p.day <= today]


def test_rent_paid_on_the_1st_is_counted_once_not_extrapolated():
    today = date(2026, 12, 6)
    projection = project(so_far(today), today)
    # rent once, netflix still to come on the 20th, groceries at 30.00 a day all month
    assert projection.total == 120_000 + 1549 + 31 * 3000
    assert projection.daily_pace == 3000
    assert projection.bills_due == ((date(2026, 12, 20), 1549),)
    plain_pace = projection.spent + projection.spent // 6 * 25
    assert plain_pace > 5 * projection.total / 2  # what the page used to say


def test_a_bill_is_due_on_its_day_and_moves_the_overrun_date():
    today = date(2026, 12, 6)
    projection = project(so_far(today), today)
    spent_by_19th = projection.spent + 13 * 3000
    assert projection.overrun_on(spent_by_19th + 1000) == date(2026, 12, 20)  # the subscription pushes it over
    assert projection.overrun_on(projection.total) is None
    assert projection.overrun_on(projection.total - 1) == date(2026, 12, 31)


def test_a_bill_already_paid_this_month_is_not_due_again():
    today = date(2026, 12, 21)
    assert project(so_far(today), today).bills_due == ()


def test_a_late_bill_is_still_expected_this_month():
    this_month = [p for p in so_far(date(2026, 12, 6)) if p.payee != "rent payment"]
    projection = project(this_month, date(2026, 12, 6))
    assert (date(2026, 12, 7), 120_000) in projection.bills_due


def test_recurring_needs_one_payment_a_month_at_a_steady_amount_in_two_months():
    bills = {bill.payee: bill for bill in forecast.recurring_bills(history(), months=HISTORY)}
    assert set(bills) == {"rent payment", "netflix com"}  # the grocer is paid daily: variable
    assert (bills["rent payment"].day, bills["rent payment"].cents) == (1, 120_000)

    utility = [Payment(day=m.replace(day=9), cents=cents, payee="con edison") for m, cents in zip(HISTORY, (6000, 15000, 9000), strict=True)]  # fmt: skip
    assert forecast.recurring_bills(utility, months=HISTORY) == []  # the amount varies too much: variable
    once = [Payment(day=date(2026, 11, 3), cents=1999, payee="udemy")]
    assert forecast.recurring_bills(once, months=HISTORY) == []


def test_payees_are_merchants_without_numbers_and_punctuation():
    assert forecast.payee_key("HULU 877-8244858") == "hulu"
    assert forecast.payee_key("SQ *BLUE BOTTLE COFFEE #1234") == "sq blue bottle coffee"


def test_early_in_the_month_the_pace_leans_on_the_users_history():
    """A big shop on the 2nd does not make the whole month that expensive; by the 25th this month counts most."""
    big_shop = Payment(day=date(2026, 12, 2), cents=30_000, payee="costco whse")
    early = project([*so_far(date(2026, 12, 2)), big_shop], date(2026, 12, 2))
    current_pace = (2 * 3000 + 30_000) / 2
    assert 3000 < early.daily_pace < (3000 + current_pace) / 2

    late_days = [p for p in month_of(DECEMBER, daily=6000) if p.day <= date(2026, 12, 25)]
    late = project(late_days, date(2026, 12, 25))
    assert 6000 * 0.7 < late.daily_pace < 6000


def test_without_history_the_pace_is_this_months():
    today = date(2026, 12, 10)
    this_month = [p for p in so_far(today) if p.payee == "whole foods market"]
    projection = project(this_month, today, history=[], months=[])
    assert projection.daily_pace == 3000
    assert projection.total == 31 * 3000


def test_history_months_start_where_the_user_started():
    assert forecast.history_months(month=DECEMBER, first_day=date(2026, 1, 5)) == [date(2026, 11, 1), date(2026, 10, 1), date(2026, 9, 1)]  # fmt: skip
    assert forecast.history_months(month=DECEMBER, first_day=date(2026, 10, 1)) == [date(2026, 11, 1), date(2026, 10, 1)]  # fmt: skip
    assert forecast.history_months(month=DECEMBER, first_day=date(2026, 11, 2)) == []  # November is incomplete
    assert forecast.history_months(month=DECEMBER, first_day=None) == []


def test_adherence_follows_the_projection_and_the_spread_of_history():
    noisy = [Payment(day=p.day, cents=p.cents * (3 if p.day.day % 4 == 0 else 1), payee=p.payee) for p in history()]
    today = date(2026, 12, 10)
    projection = project(so_far(today), today, history=noisy)
    assert projection.spread > 0
    assert projection.adherence(projection.total) == 0.5
    assert projection.adherence(projection.total + 3 * round(projection.spread)) > 0.99
    assert projection.adherence(projection.total - 3 * round(projection.spread)) < 0.01
    assert projection.adherence(projection.spent - 1) == 0.0  # already over


def test_a_finished_month_is_what_it_was():
    month_end = date(2026, 12, 31)
    projection = project(so_far(month_end), date(2027, 1, 15))
    assert (projection.total, projection.days_left, projection.bills_due) == (projection.spent, 0, ())
    assert projection.adherence(projection.spent) == 1.0
    assert projection.adherence(projection.spent - 1) == 0.0


def test_status_words_follow_the_projection():
    today = date(2026, 12, 6)
    projection = project(so_far(today), today)
    assert projection.status(projection.total) == "ok"
    assert projection.status(projection.total - 1) == "warning"  # projected past the limit
    assert projection.status(projection.spent * 100 // 85) == "warning"  # 85% used already
    assert projection.status(projection.spent - 1) == "over"
