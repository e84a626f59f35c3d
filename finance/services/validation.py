"""Checks every ledger write makes; each failure names the field, as a 400 must."""

import itertools
import zoneinfo
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.currencies import MINOR_UNITS
from finance.models import MAX_AMOUNT, Account, Category, Tag, Transaction
from finance.selectors import categories_for_user

CENT = Decimal("0.01")
# The longest text each of a transaction's fields takes, for every path that writes one (forms, API, imports).
TEXT_LIMITS = {
    field: Transaction._meta.get_field(field).max_length
    for field in ("merchant", "description", "location", "external_id")
}
MAX_TAGS = 20  # per transaction


class Errors(dict):
    """Collects field errors so one answer names every bad field."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def currency_clean(value) -> str:
    code = str(value or "").strip().upper()
    if code not in MINOR_UNITS:
        raise ValidationError(f"'{value}' is not an ISO 4217 currency code such as USD.", code="invalid_currency")
    return code


def money_clean(value, *, currency: str = "USD", allow_zero: bool = False) -> Decimal:
    """A positive, finite amount within MAX_AMOUNT with no more decimals than the currency has."""
    if value is None or isinstance(value, bool):
        raise ValidationError("Enter an amount such as 12.50.", code="invalid")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (ArithmeticError, ValueError):  # InvalidOperation, Overflow
        raise ValidationError("Enter an amount such as 12.50.", code="invalid")
    if not amount.is_finite():
        raise ValidationError("The amount must be a finite number.", code="invalid")
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError("The amount must be positive; the kind says which way the money went.", code="min_value")
    if amount > MAX_AMOUNT:
        raise ValidationError(f"The amount must be at most {MAX_AMOUNT}.", code="max_value")
    places = min(2, MINOR_UNITS.get(currency, 2))
    if amount != amount.quantize(Decimal(1).scaleb(-places)):
        raise ValidationError(f"{currency} amounts have at most {places} decimal places.", code="max_decimal_places")
    return amount.quantize(CENT)


def user_account(*, user, value, archived_ok: Iterable[int] = ()) -> Account:
    """The user's account given as an Account or its id; anyone else's is 'unknown', never 'forbidden'.
    An archived account takes no new transactions (`archived_ok`: ids a change may keep, e.g. its current ones)."""
    if isinstance(value, Account) and value.user_id == user.pk:
        account = value  # already the user's, as read by the caller
    else:
        account_id = value.pk if isinstance(value, Account) else value
        try:
            account_id = int(account_id)
            if not 0 < account_id < 2**63:
                raise ValueError
            account = Account.objects.get(pk=account_id, user=user)
        except (Account.DoesNotExist, TypeError, ValueError):
            raise ValidationError("Unknown account.", code="does_not_exist")
    if account.is_archived and account.pk not in archived_ok:
        raise ValidationError(f"“{account.name}” is archived: restore it to record on it.", code="archived")
    return account


def default_account(*, user) -> Account:
    """Where a transaction goes when no account is named: the user's default account."""
    account = Account.objects.filter(user=user, is_default=True).first()
    if account is None:
        raise ValidationError("Choose an account: you have no default account yet.", code="required")
    return account


def user_category(*, user, value) -> Category:
    """A system category or the user's own, given as a Category, a slug or an id."""
    if isinstance(value, Category) and value.user_id in (None, user.pk):
        return value  # a system category or the user's own, as read by the caller
    query = categories_for_user(user=user)
    try:
        if isinstance(value, Category):
            return query.get(pk=value.pk)
        if isinstance(value, int):
            return query.get(pk=value if 0 < value < 2**63 else 0)
        return query.order_by("user_id").get(slug=str(value))
    except (Category.DoesNotExist, Category.MultipleObjectsReturned, ValueError):
        raise ValidationError("Unknown category.", code="does_not_exist")


def moment_clean(value, *, user) -> datetime:
    """An aware datetime; a naive one is read in the user's time zone."""
    if value is None:
        return timezone.now()
    if isinstance(value, str):
        parsed = parse_datetime(value.strip())
        if parsed is None:
            raise ValidationError("Enter a date and time in ISO 8601, e.g. 2026-01-31T23:30:00+01:00.", code="invalid")
        value = parsed
    if not isinstance(value, datetime):
        raise ValidationError("Enter a date and time.", code="invalid")
    if timezone.is_naive(value):
        value = timezone.make_aware(value, zoneinfo.ZoneInfo(user.timezone))
    if not 1970 <= value.year <= 2200:
        raise ValidationError("The date must lie between 1970 and 2200.", code="invalid")
    return value


def text_clean(value, *, max_length: int) -> str:
    text = "" if value is None else str(value).strip()
    if len(text) > max_length:
        raise ValidationError(f"At most {max_length} characters.", code="max_length")
    return text


def text_fit(value: str, *, field: str) -> str:
    """A bank's text cut to what the transaction's `field` holds (an import keeps the row rather than refuse it)."""
    return value[: TEXT_LIMITS[field]]


def tag_names_clean(values: Iterable[str] | None) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    values = list(itertools.islice(values, MAX_TAGS + 1))
    if len(values) > MAX_TAGS:
        raise ValidationError(f"At most {MAX_TAGS} tags per transaction.", code="max_length")
    names: list[str] = []
    for value in values:
        name = str(value).strip()
        if not name:
            raise ValidationError("A tag needs a name.", code="blank")
        if len(name) > Tag._meta.get_field("name").max_length:
            raise ValidationError(f"Tag '{name[:20]}…' is too long.", code="max_length")
        if name not in names:
            names.append(name)
    return names


def tags_for_names(*, user, names: list[str]) -> list[Tag]:
    existing = {tag.name: tag for tag in Tag.objects.filter(user=user, name__in=names)}
    return [existing.get(name) or Tag.objects.get_or_create(user=user, name=name)[0] for name in names]


def check(errors: Errors, field: str, clean, *args, **kwargs):
    """Run one cleaner, filing its complaint under `field`; returns None when it failed."""
    try:
        return clean(*args, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            errors.add(field, message)
        return None
