"""Accounts, their balances, and the user's own categories."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify

from finance.models import Account, AccountKind, Category, Transaction, TransactionKind
from finance.services.rules import categorizer_changed
from finance.services.validation import Errors, check, currency_clean, money_clean, text_clean, user_category

ACCOUNT_FIELDS = ("name", "kind", "currency", "balance", "credit_limit", "external_id")


def _signed_balance_clean(value, *, currency: str) -> Decimal:
    """A balance may be negative (an overdraft); the magnitude follows the amount rules."""
    text = str(value).strip() if value is not None else ""
    negative = text.startswith("-")
    magnitude = money_clean(text[1:] if negative else value, currency=currency, allow_zero=True)
    return -magnitude if negative else magnitude


def _account_values_clean(*, user, values: dict) -> dict:
    errors = Errors()
    cleaned: dict = {}
    if "name" in values:
        cleaned["name"] = check(errors, "name", text_clean, values["name"], max_length=100)
        if cleaned["name"] == "":
            errors.add("name", "An account needs a name.")
    if "kind" in values:
        if values["kind"] not in AccountKind.values:
            errors.add("kind", f"Choose one of: {', '.join(AccountKind.values)}.")
        cleaned["kind"] = values["kind"]
    if "currency" in values:
        cleaned["currency"] = check(errors, "currency", currency_clean, values["currency"] or user.currency)
    currency = cleaned.get("currency") or values.get("_currency") or user.currency
    if "balance" in values:
        cleaned["balance"] = check(errors, "balance", _signed_balance_clean, values["balance"] or 0, currency=currency)
    if "credit_limit" in values and values["credit_limit"] is not None:
        cleaned["credit_limit"] = check(
            errors, "credit_limit", money_clean, values["credit_limit"], currency=currency, allow_zero=True
        )
    elif "credit_limit" in values:
        cleaned["credit_limit"] = None
    if "external_id" in values:
        cleaned["external_id"] = check(errors, "external_id", text_clean, values["external_id"], max_length=100)
    errors.raise_if_any()
    return cleaned


@transaction.atomic
def account_create(
    *,
    user,
    name: str,
    kind: str = AccountKind.CHECKING,
    currency: str | None = None,
    balance=Decimal("0.00"),
    credit_limit=None,
    external_id: str = "",
) -> Account:
    values = {"name": name, "kind": kind, "currency": currency, "balance": balance}
    values.update(credit_limit=credit_limit, external_id=external_id)
    return Account.objects.create(user=user, **_account_values_clean(user=user, values=values))


@transaction.atomic
def account_update(*, user, account: Account, **changes) -> Account:
    unknown = set(changes) - set(ACCOUNT_FIELDS)
    if unknown:
        raise ValidationError({field: ["This field cannot be changed."] for field in unknown})
    account = Account.objects.select_for_update().get(pk=account.pk, user=user)
    cleaned = _account_values_clean(user=user, values={**changes, "_currency": account.currency})
    for field, value in cleaned.items():
        setattr(account, field, value)
    account.save()
    return account


@transaction.atomic
def account_delete(*, user, account: Account) -> None:
    account = Account.objects.select_for_update().get(pk=account.pk, user=user)
    used = (
        Transaction.all_objects.filter(account=account).exists()
        or Transaction.all_objects.filter(to_account=account).exists()
    )
    if used:
        raise ValidationError(
            {"account": ["This account has transactions; delete or move them first."]}, code="protected"
        )
    account.delete()


def balance_moves(*, kind: str, amount: Decimal, account: Account, to_account: Account | None) -> list[tuple]:
    """(account id, change of balance) for one transaction. A liability's balance is what is owed,
    so money leaving it (a card purchase) raises the balance and money entering it (a payment) lowers it."""

    def move(target: Account, direction: int) -> tuple:
        return target.pk, amount * direction * (-1 if target.is_liability else 1)

    if kind == TransactionKind.EXPENSE:
        return [move(account, -1)]
    if kind == TransactionKind.INCOME:
        return [move(account, 1)]
    moves = [move(account, -1)]
    if to_account is not None:
        moves.append(move(to_account, 1))
    return moves


def balances_apply(*, moves: list[tuple], sign: int) -> None:
    for account_id, change in moves:
        Account.objects.filter(pk=account_id).update(balance=F("balance") + change * sign)


@transaction.atomic
def category_create(*, user, name: str, slug: str | None = None, parent=None) -> Category:
    """One of the user's own categories; its slug may clash neither with a system slug nor their others."""
    errors = Errors()
    name = check(errors, "name", text_clean, name, max_length=80) or ""
    if not name and "name" not in errors:
        errors.add("name", "A category needs a name.")
    slug = slugify(slug or name).replace("-", "_")[:50]
    if name and not slug:
        errors.add("slug", "Use letters or digits in the name or slug.")
    elif slug and Category.objects.filter(slug=slug, user__isnull=True).exists():
        errors.add("slug", f"'{slug}' is a system category.")
    elif slug and Category.objects.filter(slug=slug, user=user).exists():
        errors.add("slug", f"You already have a category '{slug}'.")
    parent_category = check(errors, "parent", user_category, user=user, value=parent) if parent is not None else None
    errors.raise_if_any()
    category = Category.objects.create(user=user, name=name, slug=slug, parent=parent_category)
    categorizer_changed(user=user)  # the categoriser may now answer with it
    return category
