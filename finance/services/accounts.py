"""Accounts, their balances, and the user's own categories."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from finance.models import Account, AccountKind, Category, CreditLiability, Transaction, TransactionKind
from finance.services.categorizer import categorizer_changed
from finance.services.validation import Errors, check, currency_clean, money_clean, text_clean, user_category

ACCOUNT_FIELDS = ("name", "kind", "currency", "balance", "credit_limit", "external_id", "is_default", "archived")
# What a new user's first account is called, until they rename it.
DEFAULT_ACCOUNT_NAME = "Main account"
DEFAULT_NOT_ARCHIVED = "This is your default account: make another account the default before archiving it."


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
    is_default: bool = False,
) -> Account:
    """A new account; it becomes the default when asked to, or when the user has no default yet."""
    values = {"name": name, "kind": kind, "currency": currency, "balance": balance}
    values.update(credit_limit=credit_limit, external_id=external_id)
    cleaned = _account_values_clean(user=user, values=values)
    _accounts_lock(user=user)
    has_default = Account.objects.filter(user=user, is_default=True).exists()
    if is_default and has_default:
        Account.objects.filter(user=user, is_default=True).update(is_default=False)
    return Account.objects.create(user=user, is_default=is_default or not has_default, **cleaned)


@transaction.atomic
def account_default_create(*, user) -> Account:
    """The account a new user starts with (every sign-up path calls this); their default if they have one."""
    _accounts_lock(user=user)
    existing = Account.objects.filter(user=user, is_default=True).first()
    if existing is not None:
        return existing
    return account_create(user=user, name=DEFAULT_ACCOUNT_NAME, currency=user.currency, is_default=True)


def _accounts_lock(*, user) -> None:
    """Serialise changes of one person's default: two at once would both see "no default"."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


@transaction.atomic
def account_update(*, user, account: Account, **changes) -> Account:
    """Change an account's details; `is_default=True` makes it the default (the old one stops being it),
    `archived=True/False` archives or restores it. The default account cannot be archived."""
    unknown = set(changes) - set(ACCOUNT_FIELDS)
    if unknown:
        raise ValidationError({field: ["This field cannot be changed."] for field in unknown})
    _accounts_lock(user=user)
    account = Account.objects.select_for_update().get(pk=account.pk, user=user)
    make_default = changes.pop("is_default", None)
    archived = changes.pop("archived", None)
    cleaned = _account_values_clean(user=user, values={**changes, "_currency": account.currency})
    _state_check(account=account, cleaned=cleaned, make_default=make_default, archived=archived)
    for field, value in cleaned.items():
        setattr(account, field, value)
    if archived is not None and archived != account.is_archived:
        account.archived_at = timezone.now() if archived else None
    if make_default and not account.is_default:
        Account.objects.filter(user=user, is_default=True).update(is_default=False)
        account.is_default = True
    account.save()
    return account


def _state_check(*, account: Account, cleaned: dict, make_default: bool | None, archived: bool | None) -> None:
    errors = Errors()
    will_be_archived = account.is_archived if archived is None else archived
    if make_default is False and account.is_default:
        errors.add("is_default", "Every person has a default account: make another one the default instead.")
    if make_default and will_be_archived:
        errors.add("is_default", "An archived account cannot be the default; restore it first.")
    elif will_be_archived and account.is_default and not account.is_archived:
        errors.add("archived", DEFAULT_NOT_ARCHIVED)
    currency = cleaned.get("currency")
    if currency and currency != account.currency and _in_use(account):
        errors.add("currency", f"This account already has transactions in {account.currency}; its currency stays.")
    errors.raise_if_any()


def _in_use(account: Account) -> bool:
    return (
        Transaction.all_objects.filter(account=account).exists()
        or Transaction.all_objects.filter(to_account=account).exists()
    )


@transaction.atomic
def account_delete(*, user, account: Account) -> None:
    _accounts_lock(user=user)
    account = Account.objects.select_for_update().get(pk=account.pk, user=user)
    if account.is_default:
        raise ValidationError(
            {"account": ["This is your default account: make another account the default before deleting it."]},
            code="protected",
        )
    if _in_use(account):
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


@transaction.atomic
def account_liability_set(*, account: Account, facts: dict) -> CreditLiability:
    """A card's or loan's terms as its bank reported them (statement balance, minimum payment, due date)."""
    liability, _ = CreditLiability.objects.update_or_create(account=account, defaults=facts)
    return liability


@transaction.atomic
def accounts_reported_balance_set(*, balances: list[tuple[Account, Decimal | None]]) -> None:
    """New accounts take the balance their bank reported for them (None: nothing reported)."""
    for account, balance in balances:
        if balance is not None:
            Account.objects.filter(pk=account.pk).update(balance=balance)
