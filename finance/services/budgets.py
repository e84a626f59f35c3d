"""Budgets: a monthly limit per category (or overall), for one month or every month."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from core.months import format_month, parse_month
from finance.models import Budget
from finance.outbox import outbox_emit
from finance.services.validation import Errors, check, money_clean, user_category

BUDGET_FIELDS = ("category", "amount", "month", "rollover")


def _month_clean(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.replace(day=1)
    try:
        return parse_month(str(value))
    except ValueError as exc:
        raise ValidationError(str(exc), code="invalid")


def _budget_values_clean(*, user, values: dict) -> dict:
    errors = Errors()
    cleaned = {}
    if "category" in values:
        value = values["category"]
        cleaned["category"] = (
            None if value in (None, "") else check(errors, "category", user_category, user=user, value=value)
        )
    if "amount" in values:
        cleaned["amount"] = check(errors, "amount", money_clean, values["amount"], currency=user.currency)
    if "month" in values:
        cleaned["month"] = check(errors, "month", _month_clean, values["month"])
    if "rollover" in values:
        if not isinstance(values["rollover"], bool):
            errors.add("rollover", "Must be true or false.")
        cleaned["rollover"] = values["rollover"]
    errors.raise_if_any()
    return cleaned


def _unique_check(*, user, category, month, other_than: int | None = None) -> None:
    clash = Budget.objects.filter(user=user, category=category, month=month).exclude(pk=other_than)
    if clash.exists():
        raise ValidationError({"category": ["There is already a budget for this category and month."]})


def _announce(*, user, budget: Budget, deleted: bool = False) -> None:
    payload = {
        "budget_id": budget.pk,
        "category": budget.category.slug if budget.category_id else None,
        "month": format_month(budget.month) if budget.month else None,
        "deleted": deleted,
    }
    outbox_emit(topic="budget.updated", user=user, payload=payload)


@transaction.atomic
def budget_create(*, user, amount, category=None, month=None, rollover: bool = False) -> Budget:
    """`category` None = all spending; `month` None = every month (a date or 'YYYY-MM' for one month)."""
    values = {"category": category, "amount": amount, "month": month, "rollover": rollover}
    cleaned = _budget_values_clean(user=user, values=values)
    _unique_check(user=user, category=cleaned["category"], month=cleaned["month"])
    budget = Budget.objects.create(user=user, **cleaned)
    _announce(user=user, budget=budget)
    return budget


@transaction.atomic
def budget_update(*, user, budget: Budget, **changes) -> Budget:
    unknown = set(changes) - set(BUDGET_FIELDS)
    if unknown:
        raise ValidationError({field: ["This field cannot be changed."] for field in sorted(unknown)})
    budget = Budget.objects.select_for_update(of=("self",)).select_related("category").get(pk=budget.pk, user=user)
    for field, value in _budget_values_clean(user=user, values=changes).items():
        setattr(budget, field, value)
    _unique_check(user=user, category=budget.category, month=budget.month, other_than=budget.pk)
    budget.save()
    _announce(user=user, budget=budget)
    return budget


@transaction.atomic
def budget_delete(*, user, budget: Budget) -> None:
    budget = Budget.objects.select_for_update(of=("self",)).select_related("category").get(pk=budget.pk, user=user)
    _announce(user=user, budget=budget, deleted=True)
    budget.delete()
