"""Where a month's spending ends, as people expect it to: pure arithmetic, no ORM (docs/forecast.md).

- Known recurring payments (rent, subscriptions, bills: the same payee once a month at a steady amount in
  at least two of the last three months) count once, on their usual day, unless already paid this month.
- Everything else is variable spending. The rest of the month is what the user's history months spent
  after the same day (their own shape of a month), scaled by how this month compares with them so far;
  that ratio is shrunk towards 1 (as usual) while the month is young and trusted as its days accumulate
  (a shrinkage estimate with a prior of PRIOR_DAYS days). Without history, this month's pace alone.
- The chance of staying within a limit is a normal approximation of the month-end, its spread taken
  from the user's own history: how much their variable spending varies from day to day, and how
  uncertain the pace is.

Money is integer cents.
"""

import math
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from core.months import days_in_month

# How many days of this month's own pace weigh as much as the user's history.
PRIOR_DAYS = 14
# Complete months before this one that the history covers.
HISTORY_MONTHS = 3
# A payee counts as a recurring payment when paid once in each of the latest this many months...
BILL_MONTHS = 2
# ...at amounts within this share of their median.
BILL_AMOUNT_TOLERANCE = 0.15
WARNING_PERCENT = 80

_NOT_A_NAME = re.compile(r"[^a-z]+")


@dataclass(frozen=True)
class Payment:
    """One expense as the forecast sees it."""

    day: date
    cents: int
    payee: str  # payee_key of the merchant; "" when unknown


@dataclass(frozen=True)
class Bill:
    """A recurring payment: who is paid, on which day of the month (usually), and how much (last time)."""

    payee: str
    day: int
    cents: int


@dataclass(frozen=True)
class Projection:
    spent: int
    total: int  # projected month-end
    daily_pace: int  # variable spending per day from today on
    bills_due: tuple[tuple[date, int], ...]  # recurring payments still to come this month, on their dates
    spread: float  # standard deviation of the month-end
    today: date
    days_left: int
    daily: dict[date, int]  # spending per day so far this month

    def adherence(self, limit: int) -> float:
        """The chance that the month ends within `limit`."""
        if self.spent > limit:
            return 0.0
        if self.spread <= 0:
            return 1.0 if self.total <= limit else 0.0
        z = (limit - self.total) / self.spread
        return round(0.5 * math.erfc(-z / math.sqrt(2)), 4)

    def overrun_on(self, limit: int) -> date | None:
        """The day spending crossed `limit` (already over), or will at this pace with the bills on their days."""
        running = 0
        if self.spent > limit:
            for day in sorted(self.daily):
                running += self.daily[day]
                if running > limit:
                    return day
            return self.today
        running, due = self.spent, dict(self.bills_due)
        for offset in range(1, self.days_left + 1):
            day = self.today + timedelta(days=offset)
            running += self.daily_pace + due.get(day, 0)
            if running > limit:
                return day
        return None

    def status(self, limit: int) -> str:
        """over | warning (close to the limit: 80% used, or projected past it) | ok."""
        if self.spent > limit:
            return "over"
        if self.spent * 100 >= limit * WARNING_PERCENT or self.total > limit:
            return "warning"
        return "ok"


def payee_key(merchant: str) -> str:
    """The merchant without store numbers, references and punctuation: 'HULU 877-8244858' -> 'hulu'."""
    return _NOT_A_NAME.sub(" ", merchant.lower()).strip()


def history_months(*, month: date, first_day: date | None) -> list[date]:
    """The complete months before `month` (up to HISTORY_MONTHS) that the user recorded from their start."""
    months, current = [], month
    for _ in range(HISTORY_MONTHS):
        current = (current - timedelta(days=1)).replace(day=1)
        if first_day is None or first_day > current:
            break
        months.append(current)
    return months


def recurring_bills(history: list[Payment], *, months: list[date], this_month: list[Payment] = ()) -> list[Bill]:
    """Payees paid exactly once a month at a steady amount, in each of the two latest history months (or in
    the only one and again this month): rent, subscriptions, bills."""
    if not months:
        return []
    recent = set(sorted(months)[-BILL_MONTHS:])
    current = set(this_month)
    by_payee: dict[str, dict[date, list[Payment]]] = defaultdict(lambda: defaultdict(list))
    for payment in [*history, *this_month]:
        if payment.payee and (payment in current or payment.day.replace(day=1) in months):
            by_payee[payment.payee][payment.day.replace(day=1)].append(payment)
    bills = []
    for payee, per_month in by_payee.items():
        seen = set(per_month)
        if len(seen) < BILL_MONTHS or not (recent <= seen or (len(recent) == 1 and recent < seen)):
            continue
        if any(len(payments) > 1 for payments in per_month.values()):
            continue
        payments = sorted((payments[0] for payments in per_month.values()), key=lambda p: p.day)
        median = statistics.median(p.cents for p in payments)
        if median > 0 and all(abs(p.cents - median) <= median * BILL_AMOUNT_TOLERANCE for p in payments):
            bills.append(Bill(payee=payee, day=round(statistics.median(p.day.day for p in payments)), cents=payments[-1].cents))  # fmt: skip
    return bills


def _variable_per_day(history: list[Payment], months: list[date], bills: set[str]) -> list[int]:
    """Variable spending on each day of the history months (zero days included)."""
    spending: dict[date, int] = defaultdict(int)
    for payment in history:
        if payment.payee not in bills:
            spending[payment.day] += payment.cents
    return [
        spending.get(month + timedelta(days=offset), 0) for month in months for offset in range(days_in_month(month))
    ]


def _spread_of(values: list[float]) -> float:
    return statistics.pstdev(values) if len(values) > 1 else 0.0


def month_projection(
    *, spent: int, this_month: list[Payment], history: list[Payment], months: list[date], month: date, today: date
) -> Projection:
    """Project `month` from what is known on `today` (the user's local date).

    spent: the month's spending so far; this_month: its payments up to today; history: payments of
    `months` (history_months), from which the recurring payments and the typical pace are learnt."""
    length = days_in_month(month)
    elapsed = max(0, min(length, (today - month).days + 1))
    days_left = length - elapsed
    reference = min(max(today, month - timedelta(days=1)), month + timedelta(days=length - 1))
    daily: dict[date, int] = defaultdict(int)
    for payment in this_month:
        daily[payment.day] += payment.cents
    bills = recurring_bills(history, months=months, this_month=this_month)
    bill_payees = {bill.payee for bill in bills}
    paid = {payment.payee for payment in this_month}
    due = tuple(
        sorted(
            (max(month + timedelta(days=min(bill.day, length) - 1), reference + timedelta(days=1)), bill.cents)
            for bill in bills
            if bill.payee not in paid
        )
    ) if days_left else ()  # fmt: skip

    variable_days = [
        daily.get(month + timedelta(days=offset), 0) - _bills_on(this_month, month + timedelta(days=offset), bill_payees)
        for offset in range(elapsed)
    ]  # fmt: skip
    current = sum(variable_days) / elapsed if elapsed else 0.0
    by_month = [_variable_per_day(history, [m], bill_payees) for m in months]
    history_days = [cents for days in by_month for cents in days]
    day_spread = _spread_of([*history_days, *variable_days])
    if by_month:
        # The history months' own shape: what they had spent by this day, and what they spent after it.
        earlier = statistics.fmean(sum(days[:elapsed]) for days in by_month)
        later = [sum(days[elapsed:]) * days_left / (len(days) - elapsed) for days in by_month if len(days) > elapsed]
        # This month runs at `ratio` times the usual so far; shrunk towards the usual (1) while it is young.
        ratio = sum(variable_days) / earlier if earlier > 0 else 1.0
        weight = elapsed / (elapsed + PRIOR_DAYS)
        remaining = (weight * ratio + 1 - weight) * statistics.fmean(later or [0])
        month_spread = (
            _spread_of([statistics.fmean(days) for days in by_month])
            if len(months) > 1
            else day_spread / math.sqrt(len(history_days))
        )
        pace_variance = (weight * day_spread) ** 2 / max(elapsed, 1) + ((1 - weight) * month_spread) ** 2
        variance = days_left * day_spread**2 + days_left**2 * pace_variance
    else:
        remaining = current * days_left
        variance = days_left * day_spread**2 + days_left**2 * day_spread**2 / max(elapsed, 1)
    spread = math.sqrt(variance) if days_left else 0.0
    pace = remaining / days_left if days_left else current
    daily_pace = round(pace)
    return Projection(
        spent=spent,
        total=spent + sum(cents for _, cents in due) + daily_pace * days_left,
        daily_pace=daily_pace,
        bills_due=due,
        spread=spread,
        today=reference,
        days_left=days_left,
        daily=dict(daily),
    )


def _bills_on(payments: list[Payment], day: date, bill_payees: set[str]) -> int:
    return sum(p.cents for p in payments if p.day == day and p.payee in bill_payees)
