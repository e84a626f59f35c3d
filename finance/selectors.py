"""Reads of the ledger that more than one caller needs (API, pages, alerts, insights)."""

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Max, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from core.months import as_zone, day_bounds, month_bounds, parse_month, supported_day
from finance.budgeting.status import BudgetStatus, budget_status_for_month, budget_statuses_projected
from finance.models import (
    MAX_AMOUNT,
    Account,
    Budget,
    CategorizationRule,
    Category,
    MonthlyCategoryTotal,
    Transaction,
    TransactionKind,
    UndoEntry,
    tags_prefetch,
)
from finance.projections import first_recorded_day, local_today, spending_projection

__all__ = [
    "BudgetStatus",
    "accounts_for_new_transactions",
    "accounts_for_user",
    "budget_status_for_month",
    "budget_statuses_projected",
    "budgets_for_user",
    "categories_for_user",
    "categorization_rules_for_user",
    "category_for_slug",
    "daily_spending",
    "first_recorded_day",
    "local_today",
    "monthly_spending",
    "spending_projection",
    "transactions_for_user",
    "undo_available",
]


def category_for_slug(*, user, slug: str) -> Category:
    """A system category or the user's own with this slug; raises Category.DoesNotExist."""
    if "\x00" in slug:  # no slug holds one, and PostgreSQL refuses it in a query
        raise Category.DoesNotExist(f"No category {slug!r}.")
    return categories_for_user(user=user).get(slug=slug)


def categories_for_user(*, user) -> QuerySet[Category]:
    return Category.objects.filter(Q(user__isnull=True) | Q(user=user)).order_by("name", "id")


def category_names_for_user(*, user) -> dict[str, str]:
    """{slug: name} of every category the user can use: what pages show instead of a slug."""
    return dict(categories_for_user(user=user).values_list("slug", "name"))


def accounts_for_user(*, user) -> QuerySet[Account]:
    return Account.objects.filter(user=user)


def accounts_for_new_transactions(*, user, also: Iterable[int] = ()) -> QuerySet[Account]:
    """The accounts a transaction may be put on: not archived (plus `also`, e.g. the ones it is on now)."""
    return Account.objects.filter(Q(archived_at__isnull=True) | Q(pk__in=list(also)), user=user)


def budgets_for_user(*, user) -> QuerySet[Budget]:
    return Budget.objects.filter(user=user).select_related("category")


def categorization_rules_for_user(*, user) -> QuerySet[CategorizationRule]:
    return CategorizationRule.objects.filter(user=user).select_related("category")


def undo_available(*, user) -> bool:
    return UndoEntry.objects.filter(user=user, undone_at__isnull=True).exists()


def monthly_spending(*, user, month: date) -> dict[str, Decimal]:
    """Expense total per category slug for one month (from the aggregate, never a scan)."""
    rows = (
        MonthlyCategoryTotal.objects.filter(user=user, month=month.replace(day=1), kind=TransactionKind.EXPENSE)
        .values_list("category__slug")
        .annotate(spent=Sum("total"))
    )
    return {slug: spent for slug, spent in rows if spent}


def daily_spending(*, user, start: date, end: date, category_ids: list[int] | None = None) -> dict[date, Decimal]:
    """Expense total per local day in [start, end] (one indexed range query of one user)."""
    zone = as_zone(user.timezone)
    since, _ = day_bounds(day=start, tz=zone)
    _, until = day_bounds(day=end, tz=zone)
    rows = Transaction.objects.filter(
        user=user, kind=TransactionKind.EXPENSE, occurred_at__gte=since, occurred_at__lt=until
    )
    if category_ids is not None:
        rows = rows.filter(category_id__in=category_ids)
    totals = rows.annotate(day=TruncDate("occurred_at", tzinfo=zone)).values_list("day").annotate(spent=Sum("amount"))
    return {day: spent for day, spent in totals.order_by()}


def _date_filter(value, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field: ["Enter a date as YYYY-MM-DD."]})
    try:
        return supported_day(day)
    except ValueError as exc:
        raise ValidationError({field: [str(exc)]})


def _amount_filter(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except ArithmeticError:  # InvalidOperation, Overflow
        raise ValidationError({field: ["Enter an amount such as 12.50."]})
    if not amount.is_finite() or amount.copy_abs() > MAX_AMOUNT:
        raise ValidationError({field: [f"Enter an amount between -{MAX_AMOUNT} and {MAX_AMOUNT}."]})
    return amount


def transactions_for_user(*, user, filters: dict | None = None) -> QuerySet[Transaction]:
    """The user's live transactions, newest occurred_at first, narrowed by the filters of docs/api.md.

    filters: month (YYYY-MM or date), from / to (dates, inclusive, in the user's zone), category (slug),
    kind, tag (name), q (merchant or description contains), min_amount, max_amount.
    Bad values raise ValidationError naming the filter.
    """
    filters = {key: value for key, value in (filters or {}).items() if value not in (None, "")}
    rows = Transaction.objects.filter(user=user)
    zone = as_zone(user.timezone)
    if "month" in filters:
        month = filters["month"]
        if not isinstance(month, date):
            try:
                month = parse_month(str(month))
            except ValueError as exc:
                raise ValidationError({"month": [str(exc)]})
        start, end = month_bounds(month=month, tz=zone)
        rows = rows.filter(occurred_at__gte=start, occurred_at__lt=end)
    if "from" in filters:
        rows = rows.filter(occurred_at__gte=day_bounds(day=_date_filter(filters["from"], "from"), tz=zone)[0])
    if "to" in filters:
        rows = rows.filter(occurred_at__lt=day_bounds(day=_date_filter(filters["to"], "to"), tz=zone)[1])
    if "category" in filters:
        rows = rows.filter(category__slug=filters["category"], category__in=categories_for_user(user=user))
    if "kind" in filters:
        if filters["kind"] not in TransactionKind.values:
            raise ValidationError({"kind": [f"Choose one of: {', '.join(TransactionKind.values)}."]})
        rows = rows.filter(kind=filters["kind"])
    if "tag" in filters:
        rows = rows.filter(tags__user=user, tags__name=filters["tag"])
    if "q" in filters:
        text = str(filters["q"]).strip()
        rows = rows.filter(Q(merchant__icontains=text) | Q(description__icontains=text))
    if "min_amount" in filters:
        rows = rows.filter(amount__gte=_amount_filter(filters["min_amount"], "min_amount"))
    if "max_amount" in filters:
        rows = rows.filter(amount__lte=_amount_filter(filters["max_amount"], "max_amount"))
    return (
        rows.select_related("category")  # the accounts are shown by id
        .prefetch_related(tags_prefetch())
        .order_by("-occurred_at", "-id")
    )


def last_logged_at_before(*, cutoff: datetime) -> list[tuple[int, datetime]]:
    """(user id, when they last logged a transaction) for active users whose last one is at or before `cutoff`."""
    rows = (
        Transaction.objects.filter(user__is_active=True)
        .values("user")
        .annotate(last=Max("created_at"))
        .filter(last__lte=cutoff)
    )
    return [(row["user"], row["last"]) for row in rows]


# Reads for the other apps' jobs and analytics: the rows they may see, to narrow and shape as they need.


def transactions_between(
    *, users: QuerySet | list[int], start: datetime, end: datetime | None = None
) -> QuerySet[Transaction]:
    """Live transactions of `users` that happened in [start, end) (from `start` on when end is None)."""
    queryset = Transaction.objects.filter(user__in=users, occurred_at__gte=start)
    return queryset if end is None else queryset.filter(occurred_at__lt=end)


def accounts_of(*, users: QuerySet | list[int]) -> QuerySet[Account]:
    return Account.objects.filter(user__in=users)


def monthly_totals_between(
    *, users: QuerySet | list[int], first_month: date, last_month: date
) -> QuerySet[MonthlyCategoryTotal]:
    """The monthly aggregate of `users` for the months from first_month to last_month (first days), both included."""
    return MonthlyCategoryTotal.objects.filter(user__in=users, month__gte=first_month, month__lte=last_month)


def budgets_applying(*, user, month: date | None = None) -> QuerySet[Budget]:
    """The every-month budgets and, given a month, that month's own (which take precedence where both exist)."""
    queryset = Budget.objects.filter(user=user, month__isnull=True)
    return queryset if month is None else Budget.objects.filter(user=user, month__in=[month]) | queryset


def categories_watched_by_budgets(*, user, month: date) -> set[str] | None:
    """The slugs whose spending counts towards one of the month's budgets (a budgeted category and its
    sub-categories); None when a budget on all spending watches every category."""
    budgeted = list(budgets_applying(user=user, month=month).values_list("category_id", flat=True))
    if None in budgeted:
        return None
    watched = Category.objects.filter(Q(id__in=budgeted) | Q(parent_id__in=budgeted, user=user))
    return set(watched.values_list("slug", flat=True))


def budget_of_user(*, user, budget_id: int) -> Budget | None:
    return Budget.objects.filter(pk=budget_id, user=user).first()
