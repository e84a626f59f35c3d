"""Month-end projections of one user's spending, all of it or a budget's categories (reads only).

One indexed range query reads the user's expenses from the first history month to the end of today
(never later: a projection made on a day knows only what happened up to it); the arithmetic is
finance.budgeting.forecast. Budget status, the dashboard, the insights summary and alert evaluation all project
through here, so they can never disagree.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from core.months import as_zone, day_bounds, days_in_month, month_bounds
from finance.budgeting import forecast
from finance.models import MonthlyCategoryTotal, Transaction, TransactionKind


def cents(amount) -> int:
    return int((amount * 100).to_integral_value())


@dataclass(frozen=True)
class SpendingHistory:
    """The user's expenses as the forecast needs them, for projecting `month` as known on `today`."""

    month: date
    today: date
    months: list[date]  # the complete history months
    payments: list[tuple[int, forecast.Payment]]  # (category id, payment), up to today

    def projection(self, *, spent: int | None = None, category_ids: set[int] | None = None) -> forecast.Projection:
        """Project the spending of `category_ids` (None: all). `spent` is the month's total so far as the
        ledger's aggregate has it; None adds up the payments up to today instead (what a backtest knows)."""
        chosen = [p for category_id, p in self.payments if category_ids is None or category_id in category_ids]
        this_month = [p for p in chosen if p.day >= self.month]
        return forecast.month_projection(
            spent=sum(p.cents for p in this_month) if spent is None else spent,
            this_month=this_month,
            history=[p for p in chosen if p.day < self.month],
            months=self.months,
            month=self.month,
            today=self.today,
        )


def first_recorded_day(*, user) -> date | None:
    """The local day of the user's first live transaction: their own history starts there."""
    first = Transaction.objects.filter(user=user).order_by("occurred_at").values_list("occurred_at", flat=True).first()
    return first.astimezone(as_zone(user.timezone)).date() if first else None


def local_today(*, user) -> date:
    return timezone.now().astimezone(as_zone(user.timezone)).date()


def spending_history(*, user, month: date, today: date | None = None) -> SpendingHistory:
    month = month.replace(day=1)
    today = today or local_today(user=user)
    months = forecast.history_months(month=month, first_day=first_recorded_day(user=user))
    zone = as_zone(user.timezone)
    last_day = min(today, month + timedelta(days=days_in_month(month) - 1))
    since = month_bounds(month=months[-1] if months else month, tz=zone)[0]
    until = day_bounds(day=last_day, tz=zone)[1]
    rows = (
        Transaction.objects.filter(
            user=user, kind=TransactionKind.EXPENSE, occurred_at__gte=since, occurred_at__lt=until
        )
        .order_by()
        .values_list("occurred_at", "category_id", "merchant", "amount")
    )
    payments = [
        (
            category_id,
            forecast.Payment(
                day=moment.astimezone(zone).date(), cents=cents(amount), payee=forecast.payee_key(merchant)
            ),
        )  # fmt: skip
        for moment, category_id, merchant, amount in rows
    ]
    return SpendingHistory(month=month, today=today, months=months, payments=payments)


def month_spent(*, user, month: date) -> int:
    """All expenses of the month, in cents, from the ledger's aggregate (kept in the writes' transactions)."""
    totals = MonthlyCategoryTotal.objects.filter(user=user, month=month.replace(day=1), kind=TransactionKind.EXPENSE)
    return sum(cents(total) for total in totals.values_list("total", flat=True))


def spending_projection(*, user, month: date, today: date | None = None) -> forecast.Projection:
    """All of the user's spending in `month`: what the dashboard and the insights summary show."""
    history = spending_history(user=user, month=month, today=today)
    return history.projection(spent=month_spent(user=user, month=month))
