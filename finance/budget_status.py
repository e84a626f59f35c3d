"""Budget status for one month (docs/api.md `/budgets/status/`): reads the aggregate and one bounded
range of the user's own recent transactions; the arithmetic is finance.forecast."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from core.money import cents_to_decimal
from core.months import as_zone, day_bounds, days_in_month, month_bounds, previous_month
from finance import forecast
from finance.models import Budget, Category, MonthlyCategoryTotal, Transaction, TransactionKind

HISTORY_DAYS = 90


@dataclass(frozen=True)
class BudgetStatus:
    budget_id: int
    category: str | None  # slug; None = all spending
    budget: Decimal  # the budget's amount plus what rolled over
    rollover_amount: Decimal
    spent: Decimal
    remaining: Decimal
    percent: float
    daily_burn: Decimal
    projected_total: Decimal
    projected_overrun_on: date | None
    adherence_probability: float | None  # None when asked without it
    status: str  # ok | warning | over


def _cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def _applicable(budgets: list[Budget], month: date) -> dict[int | None, Budget]:
    """Per category: the budget for this very month, else the every-month one."""
    chosen: dict[int | None, Budget] = {}
    for budget in budgets:
        if budget.month == month or (budget.month is None and budget.category_id not in chosen):
            chosen[budget.category_id] = budget
    return chosen


def _expense_totals(*, user, month: date) -> dict[int, int]:
    rows = MonthlyCategoryTotal.objects.filter(user=user, month=month, kind=TransactionKind.EXPENSE)
    return {category_id: _cents(total) for category_id, total in rows.values_list("category_id", "total")}


def _spent(totals: dict[int, int], category_ids: set[int] | None) -> int:
    if category_ids is None:
        return sum(totals.values())
    return sum(cents for category_id, cents in totals.items() if category_id in category_ids)


def _daily_by_category(*, user, start: date, end: date) -> dict[date, dict[int, int]]:
    """Cents per local day and category over [start, end]: one indexed range query of this user."""
    zone = as_zone(user.timezone)
    since, until = day_bounds(day=start, tz=zone)[0], day_bounds(day=end, tz=zone)[1]
    rows = (
        Transaction.objects.filter(
            user=user, kind=TransactionKind.EXPENSE, occurred_at__gte=since, occurred_at__lt=until
        )
        .annotate(day=TruncDate("occurred_at", tzinfo=zone))
        .values_list("day", "category_id")
        .annotate(spent=Sum("amount"))
        .order_by()
    )
    daily: dict[date, dict[int, int]] = {}
    for day, category_id, spent in rows:
        daily.setdefault(day, {})[category_id] = _cents(spent)
    return daily


def _children(*, user) -> dict[int, set[int]]:
    """The user's own sub-categories, by parent: a category's budget also covers them."""
    children: dict[int, set[int]] = {}
    for parent_id, child_id in Category.objects.filter(user=user, parent__isnull=False).values_list("parent_id", "id"):
        children.setdefault(parent_id, set()).add(child_id)
    return children


def _members(children: dict[int, set[int]], category_id: int | None) -> set[int] | None:
    return None if category_id is None else {category_id, *children.get(category_id, ())}


def _rollover(*, user, budget: Budget, month: date, earlier: Budget | None, spent_earlier: int) -> int:
    if not budget.rollover or earlier is None:
        return 0
    if earlier.created_at >= month_bounds(month=month, tz=user.timezone)[0]:
        return 0  # the budget did not exist last month; nothing was left of it
    return max(0, _cents(earlier.amount) - spent_earlier)


def budget_status_for_month(
    *, user, month: date, today: date | None = None, with_adherence: bool = True
) -> list[BudgetStatus]:
    """Status of every budget that applies to `month`, the overall one first. `today` is the user's local date.

    `with_adherence=False` skips the adherence probability (None) and the 90-day history it resamples:
    alert evaluation, on the path from a transaction to its notification, needs only the rest."""
    month = month.replace(day=1)
    last_month = previous_month(month)
    today = today or timezone.now().astimezone(as_zone(user.timezone)).date()
    budgets = list(
        Budget.objects.filter(user=user)
        .filter(Q(month__isnull=True) | Q(month__in=[month, last_month]))
        .select_related("category")
        .order_by("id")
    )
    current = _applicable(budgets, month)
    if not current:
        return []
    previous = _applicable(budgets, last_month)
    totals = _expense_totals(user=user, month=month)
    rolling = any(budget.rollover for budget in current.values())
    previous_totals = _expense_totals(user=user, month=last_month) if rolling else {}
    children = _children(user=user)
    length = days_in_month(month)
    month_end = month + timedelta(days=length - 1)
    if today < month:
        elapsed, reference = 0, today
    else:
        elapsed, reference = min(length, (today - month).days + 1), min(today, month_end)
    history_start = min(month, reference - timedelta(days=HISTORY_DAYS)) if with_adherence else month
    daily = _daily_by_category(user=user, start=history_start, end=reference)
    history_days = (
        _history_days(reference=reference, first_day=first_recorded_day(user=user)) if with_adherence else None
    )
    context = {
        "user": user, "month": month, "today": reference, "elapsed": elapsed, "days_left": length - elapsed,
        "daily": daily, "history_days": history_days,
    }  # fmt: skip
    statuses = []
    for category_id, budget in sorted(current.items(), key=lambda item: (item[0] is not None, item[1].id)):
        members = _members(children, category_id)
        extra = _rollover(
            user=user, budget=budget, month=month, earlier=previous.get(category_id),
            spent_earlier=_spent(previous_totals, members),
        )  # fmt: skip
        statuses.append(_status(budget=budget, extra=extra, spent=_spent(totals, members), members=members, **context))
    return statuses


def first_recorded_day(*, user) -> date | None:
    """The local day of the user's first live transaction: their own history starts there."""
    first = Transaction.objects.filter(user=user).order_by("occurred_at").values_list("occurred_at", flat=True).first()
    return first.astimezone(as_zone(user.timezone)).date() if first else None


def _history_days(*, reference: date, first_day: date | None) -> list[date]:
    """The completed days before `reference` (up to HISTORY_DAYS) since the user started recording."""
    if first_day is None:
        return []
    start = max(reference - timedelta(days=HISTORY_DAYS), first_day)
    return [start + timedelta(days=offset) for offset in range((reference - start).days)]


def _status(
    *, user, budget, extra, spent, members, month, today, elapsed, days_left, daily, history_days: list[date] | None
) -> BudgetStatus:
    def day_cents(day: date) -> int:
        spending = daily.get(day, {})
        return sum(spending.values()) if members is None else sum(spending.get(cid, 0) for cid in members)

    limit = _cents(budget.amount) + extra
    burn = forecast.daily_burn_cents(spent=spent, days_elapsed=elapsed)
    projected = spent + burn * days_left
    this_month = {day: day_cents(day) for day in daily if month <= day <= today}
    adherence = None
    if history_days is not None:
        history = [day_cents(day) for day in history_days] or list(this_month.values())
        adherence = forecast.adherence_probability(
            spent=spent,
            budget=limit,
            history=history,
            days_left=days_left,
            seed=forecast.simulation_seed(user.pk, month, budget.category_id),
        )
    return BudgetStatus(
        budget_id=budget.pk,
        category=budget.category.slug if budget.category_id else None,
        budget=cents_to_decimal(limit),
        rollover_amount=cents_to_decimal(extra),
        spent=cents_to_decimal(spent),
        remaining=cents_to_decimal(limit - spent),
        percent=round(spent * 100 / limit, 1),
        daily_burn=cents_to_decimal(burn),
        projected_total=cents_to_decimal(projected),
        projected_overrun_on=forecast.overrun_date(
            spent=spent, budget=limit, burn=burn, today=today, days_left=days_left, daily=this_month
        ),
        adherence_probability=adherence,
        status=forecast.status_for(spent=spent, budget=limit, projected=projected),
    )
