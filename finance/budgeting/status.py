"""Budget status for one month (docs/api.md `/budgets/status/`): what each budget has spent (the ledger's
aggregate) and where it is projected to end (finance.projections, the same projection every page uses)."""

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.db.models import Q

from core.money import cents_to_decimal
from core.months import month_bounds, previous_month
from finance.models import Budget, Category, MonthlyCategoryTotal, TransactionKind
from finance.projections import cents, spending_history


@dataclass(frozen=True)
class BudgetStatus:
    budget_id: int
    category: str | None  # slug; None = all spending
    budget: Decimal  # the budget's amount plus what rolled over
    rollover_amount: Decimal
    spent: Decimal
    remaining: Decimal
    percent: float
    # From the projection; None when asked without it (with_projection=False), as are the adherence and the status.
    daily_burn: Decimal | None  # the projection's variable spending per day from today on
    projected_total: Decimal | None
    projected_overrun_on: date | None
    adherence_probability: float | None  # None when asked without it
    status: str | None  # ok | warning | over
    # What the budget counts: its category and sub-categories (None: all spending); for projecting it later.
    category_ids: frozenset[int] | None = field(default=None, repr=False, compare=False)


def _applicable(budgets: list[Budget], month: date) -> dict[int | None, Budget]:
    """Per category: the budget for this very month, else the every-month one."""
    chosen: dict[int | None, Budget] = {}
    for budget in budgets:
        if budget.month == month or (budget.month is None and budget.category_id not in chosen):
            chosen[budget.category_id] = budget
    return chosen


def _expense_totals(*, user, month: date) -> dict[int, int]:
    rows = MonthlyCategoryTotal.objects.filter(user=user, month=month, kind=TransactionKind.EXPENSE)
    return {category_id: cents(total) for category_id, total in rows.values_list("category_id", "total")}


def _spent(totals: dict[int, int], category_ids: set[int] | None) -> int:
    if category_ids is None:
        return sum(totals.values())
    return sum(cents for category_id, cents in totals.items() if category_id in category_ids)


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
    return max(0, cents(earlier.amount) - spent_earlier)


def budget_status_for_month(
    *, user, month: date, today: date | None = None, with_adherence: bool = True, with_projection: bool = True
) -> list[BudgetStatus]:
    """Status of every budget that applies to `month`, the overall one first. `today` is the user's local date.

    `with_adherence=False` leaves the adherence probability out (None); `with_projection=False` leaves out the whole
    projection and reads only the budgets and the ledger's aggregate (alert evaluation, for the thresholds; it
    projects them with `budget_statuses_projected` only when a forecast alert may be due)."""
    statuses = _spending(user=user, month=month.replace(day=1))
    if with_projection and statuses:
        statuses = budget_statuses_projected(
            user=user, month=month, today=today, statuses=statuses, with_adherence=with_adherence
        )
    return statuses


def budget_statuses_projected(
    *, user, month: date, today: date | None, statuses: list[BudgetStatus], with_adherence: bool = True
) -> list:
    """The same statuses with their month-end projection (one read of the user's recent months)."""
    history = spending_history(user=user, month=month.replace(day=1), today=today)
    projected = []
    for status in statuses:
        limit, spent = cents(status.budget), cents(status.spent)
        projection = history.projection(spent=spent, category_ids=status.category_ids)
        projected.append(
            replace(
                status,
                daily_burn=cents_to_decimal(projection.daily_pace),
                projected_total=cents_to_decimal(projection.total),
                projected_overrun_on=projection.overrun_on(limit),
                adherence_probability=projection.adherence(limit) if with_adherence else None,
                status=projection.status(limit),
            )
        )
    return projected


def _spending(*, user, month: date) -> list[BudgetStatus]:
    """What each budget of the month has spent, from the budgets and the ledger's aggregate alone."""
    last_month = previous_month(month)
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
    statuses = []
    for category_id, budget in sorted(current.items(), key=lambda item: (item[0] is not None, item[1].id)):
        members = _members(children, category_id)
        extra = _rollover(
            user=user, budget=budget, month=month, earlier=previous.get(category_id),
            spent_earlier=_spent(previous_totals, members),
        )  # fmt: skip
        spent = _spent(totals, members)
        limit = cents(budget.amount) + extra
        statuses.append(
            BudgetStatus(
                budget_id=budget.pk,
                category=budget.category.slug if budget.category_id else None,
                budget=cents_to_decimal(limit),
                rollover_amount=cents_to_decimal(extra),
                spent=cents_to_decimal(spent),
                remaining=cents_to_decimal(limit - spent),
                percent=round(spent * 100 / limit, 1),
                daily_burn=None,
                projected_total=None,
                projected_overrun_on=None,
                adherence_probability=None,
                status=None,
                category_ids=frozenset(members) if members is not None else None,
            )
        )
    return statuses
