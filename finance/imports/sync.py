"""External sync: card, QRIS, e-wallet and bank programs push transactions as they happen.

Stored with source "sync" and external_id "<provider>:<their id>", so the ledger's unique key
(user, source, external_id) makes a push idempotent, even when two copies arrive at once.
Each provider gets one account per user ("Card (synced)" ...), created on its first push.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from finance.models import Account, AccountKind, Transaction, TransactionSource
from finance.services import account_create, transaction_record
from users.models import User
from users.selectors import consent_history
from users.services import consent_set, data_processing_require

SYNC_SOURCES = ("card", "qris", "ewallet", "bank")
CONSENT_SCOPE = "external_sync"
ACCOUNT_KINDS = {"card": AccountKind.CREDIT, "qris": AccountKind.CASH, "ewallet": AccountKind.CASH}
ACCOUNT_NAMES = {"card": "Card", "qris": "QRIS", "ewallet": "E-wallet", "bank": "Bank"}


def sync_consent_check(*, user, consent_given: bool, ip: str | None = None) -> None:
    """Raise PermissionDenied unless this push may be stored; record the consent the first time.

    An explicit revoke (the latest external_sync event says no) wins over consent_given in a push:
    the person has to grant it again in their settings.
    """
    data_processing_require(user=user)
    if not consent_given:
        raise PermissionDenied("The person has not consented to external sync (consent_given is false).")
    latest = consent_history(user=user).filter(scope=CONSENT_SCOPE).first()
    if latest is not None and not latest.granted:
        raise PermissionDenied("External sync was turned off by the person; it must be granted again first.")
    if latest is None:
        consent_set(user=user, scope=CONSENT_SCOPE, granted=True, source="sync", ip=ip)


def _sync_account(*, user, source: str, currency: str) -> Account:
    key = f"sync:{source}"
    account = Account.objects.filter(user=user, external_id=key).order_by("id").first()
    if account is None:
        account = account_create(
            user=user, name=f"{ACCOUNT_NAMES[source]} (synced)", kind=ACCOUNT_KINDS.get(source, AccountKind.CHECKING),
            currency=currency or user.currency, external_id=key,
        )  # fmt: skip
    return account


def _seen(*, user, key: str) -> Transaction | None:
    return Transaction.all_objects.filter(user=user, source=TransactionSource.SYNC, external_id=key).first()


def transaction_sync(
    *, user, source: str, external_id: str, amount, currency: str, occurred_at, merchant: str = "",
    description: str = "", location: str = "", kind: str = "expense",
) -> tuple[Transaction, bool]:  # fmt: skip
    """Record one pushed transaction. Returns (transaction, created); a repeat returns the first one."""
    if source not in SYNC_SOURCES:
        raise ValidationError({"source": [f"Choose one of: {', '.join(SYNC_SOURCES)}."]})
    key = f"{source}:{external_id}"
    seen = _seen(user=user, key=key)
    if seen is not None:
        return seen, False
    try:
        with transaction.atomic():
            # One push per person at a time: a concurrent copy waits here, then finds the first one.
            User.objects.select_for_update().filter(pk=user.pk).first()
            seen = _seen(user=user, key=key)
            if seen is not None:
                return seen, False
            account = _sync_account(user=user, source=source, currency=currency)
            created = transaction_record(
                user=user, account=account, amount=amount, kind=kind, currency=currency, occurred_at=occurred_at,
                merchant=merchant, description=description, location=location, source=TransactionSource.SYNC,
                external_id=key,
            )  # fmt: skip
    except (IntegrityError, ValidationError) as exc:
        # A concurrent copy of this push won the race for the unique key: answer with its row.
        seen = _seen(user=user, key=key)
        if seen is None:
            raise exc from None
        return seen, False
    return created, True
