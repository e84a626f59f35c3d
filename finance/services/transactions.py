"""Recording, changing and deleting transactions: the one door every page, API call, import and sync uses.

Each write, in one database transaction: the row, the monthly aggregate (exact), the account
balances, an undo entry, what the categoriser learns, and an outbox event.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction as db_transaction
from django.utils import timezone

from core.months import format_month, month_start
from finance.models import (
    Category,
    CategorySource,
    Transaction,
    TransactionKind,
    TransactionSource,
    UndoAction,
    UndoEntry,
)
from finance.outbox import outbox_emit
from finance.services.accounts import balance_moves, balances_apply
from finance.services.aggregates import ledger_line, totals_add
from finance.services.categorizer import categorizer_for, model_teach
from finance.services.validation import (
    TEXT_LIMITS,
    Errors,
    check,
    currency_clean,
    default_account,
    moment_clean,
    money_clean,
    tag_names_clean,
    tags_for_names,
    text_clean,
    user_account,
    user_category,
)
from users.services import data_processing_require

EDITABLE_FIELDS = (
    "account", "to_account", "kind", "amount", "currency", "occurred_at", "merchant", "description", "location",
    "category", "tags", "external_id",
)  # fmt: skip


def _values_clean(*, user, values: dict, archived_ok: tuple = ()) -> dict:
    """Validate a full set of transaction values; raises ValidationError naming every bad field.
    No account means the user's default one; archived accounts are refused unless in `archived_ok`."""
    errors = Errors()
    cleaned = dict(values)
    if values["account"] is None:
        cleaned["account"] = check(errors, "account", default_account, user=user)
    else:
        account = values["account"]
        cleaned["account"] = check(errors, "account", user_account, user=user, value=account, archived_ok=archived_ok)
    kind = values["kind"]
    if kind not in TransactionKind.values:
        errors.add("kind", f"Choose one of: {', '.join(TransactionKind.values)}.")
    if values["to_account"] is not None:
        to_account = values["to_account"]
        cleaned["to_account"] = check(
            errors, "to_account", user_account, user=user, value=to_account, archived_ok=archived_ok
        )
        if kind != TransactionKind.TRANSFER:
            errors.add("to_account", "Only a transfer has a destination account.")
        elif cleaned["to_account"] is not None and cleaned["to_account"] == cleaned["account"]:
            errors.add("to_account", "A transfer needs two different accounts.")
    account = cleaned["account"]
    currency = values["currency"] or (account.currency if account else user.currency)
    cleaned["currency"] = check(errors, "currency", currency_clean, currency)
    cleaned["amount"] = check(errors, "amount", money_clean, values["amount"], currency=cleaned["currency"] or "USD")
    cleaned["occurred_at"] = check(errors, "occurred_at", moment_clean, values["occurred_at"], user=user)
    for field, limit in TEXT_LIMITS.items():
        cleaned[field] = check(errors, field, text_clean, values[field], max_length=limit)
    cleaned["external_id"] = cleaned["external_id"] or None
    if values["category"] is not None:
        cleaned["category"] = check(errors, "category", user_category, user=user, value=values["category"])
    cleaned["tags"] = check(errors, "tags", tag_names_clean, values["tags"])
    if values["source"] not in TransactionSource.values:
        errors.add("source", f"Choose one of: {', '.join(TransactionSource.values)}.")
    errors.raise_if_any()
    return cleaned


def _external_id_check(*, user, source: str, external_id: str | None, other_than: int | None = None) -> None:
    if not external_id:
        return
    seen = Transaction.all_objects.filter(user=user, source=source, external_id=external_id).exclude(pk=other_than)
    if seen.exists():
        raise ValidationError({"external_id": ["A transaction with this external id was already recorded."]})


def _categorize(*, user, txn: Transaction) -> None:
    categorizer = categorizer_for(user=user)
    decision = categorizer.categorize(
        merchant=txn.merchant, description=txn.description, kind=txn.kind, amount=txn.amount
    )
    txn.category = categorizer.category(decision)
    txn.category_source = decision.source
    txn.category_confidence = decision.confidence


def snapshot(txn: Transaction) -> dict:
    """Everything undo needs to put a transaction back exactly as it was (JSON-safe)."""
    return {
        "account": txn.account_id,
        "to_account": txn.to_account_id,
        "kind": txn.kind,
        "amount": str(txn.amount),
        "currency": txn.currency,
        "occurred_at": txn.occurred_at.isoformat(),
        "merchant": txn.merchant,
        "description": txn.description,
        "location": txn.location,
        "category": txn.category_id,
        "category_source": txn.category_source,
        "category_confidence": txn.category_confidence,
        "tags": txn.tag_names,
        "external_id": txn.external_id,
        "deleted": txn.deleted_at is not None,
    }


def ledger_apply(*, txn: Transaction, sign: int) -> None:
    """Add a live transaction to (sign 1) or take it out of (sign -1) the aggregate and the balances."""
    totals_add(line=ledger_line(transaction=txn, timezone_name=txn.user.timezone), sign=sign)
    balances_apply(
        moves=balance_moves(kind=txn.kind, amount=txn.amount, account=txn.account, to_account=txn.to_account),
        sign=sign,
    )


def lessons_between(before: dict | None, after: dict | None) -> list[tuple[str, str, str, int, int]]:
    """What the categoriser must forget and learn when a transaction goes from `before` to `after`.

    It learns only from transactions the user categorised (category_source manual) that are not deleted.
    """

    def taught(state: dict | None) -> tuple | None:
        if not state or state["deleted"] or state["category_source"] != CategorySource.MANUAL:
            return None
        return state["merchant"], state["description"], state["kind"], state["category"]

    old, new = taught(before), taught(after)
    if old == new:
        return []
    return ([(*old, -1)] if old else []) + ([(*new, 1)] if new else [])


def changed_event(*, user, action: str, txn: Transaction, states: list[dict | None], undone: str = "") -> None:
    months, category_ids = set(), set()
    for state in states:
        if state:
            months.add(format_month(month_start(datetime.fromisoformat(state["occurred_at"]), user.timezone)))
            category_ids.add(state["category"])
    slugs = {txn.category_id: txn.category.slug}
    missing = category_ids - slugs.keys()  # a category the change moved the transaction out of
    if missing:
        slugs.update(Category.objects.filter(pk__in=missing).values_list("pk", "slug"))
    payload = {
        "action": action,
        "transaction_ids": [txn.pk],
        "months": sorted(months),
        "categories": sorted(slugs[pk] for pk in category_ids),
    }
    if undone:
        payload["undone_action"] = undone
    outbox_emit(topic="transaction.changed", user=user, payload=payload)


def _undo_push(*, user, action: str, txn: Transaction, before: dict | None, after: dict | None) -> None:
    UndoEntry.objects.create(user=user, action=action, transaction=txn, before=before, after=after)


@db_transaction.atomic
def transaction_record(
    *,
    user,
    amount,
    account=None,
    kind: str = TransactionKind.EXPENSE,
    currency: str | None = None,
    occurred_at=None,
    merchant: str = "",
    description: str = "",
    category=None,
    tags=(),
    source: str = TransactionSource.MANUAL,
    external_id: str | None = None,
    to_account=None,
    location: str = "",
) -> Transaction:
    """Record one transaction; with no account it goes on the user's default account, with no category it is
    categorised automatically. Nothing new is recorded without data processing consent (PermissionDenied)."""
    data_processing_require(user=user)
    values = {
        "account": account, "to_account": to_account, "kind": kind, "amount": amount, "currency": currency,
        "occurred_at": occurred_at, "merchant": merchant, "description": description, "location": location,
        "category": category, "tags": tags, "external_id": external_id, "source": source,
    }  # fmt: skip
    cleaned = _values_clean(user=user, values=values)
    tag_names = cleaned.pop("tags")
    _external_id_check(user=user, source=source, external_id=cleaned["external_id"])
    txn = Transaction(user=user, created_at=timezone.now(), **cleaned)
    if cleaned["category"] is None:
        _categorize(user=user, txn=txn)
    else:
        txn.category_source, txn.category_confidence = CategorySource.MANUAL, 1.0
    txn.save()
    if tag_names:
        txn.tags.set(tags_for_names(user=user, names=tag_names))
    txn.tag_names = sorted(tag_names)
    ledger_apply(txn=txn, sign=1)
    after = snapshot(txn)
    model_teach(user=user, lessons=lessons_between(None, after))
    _undo_push(user=user, action=UndoAction.CREATE, txn=txn, before=None, after=after)
    changed_event(user=user, action="create", txn=txn, states=[after])
    return txn


def _locked(*, user, transaction: Transaction) -> Transaction:
    return (
        Transaction.objects.select_for_update(of=("self",))
        .select_related("account", "to_account", "user", "category")
        .get(pk=transaction.pk, user=user)
    )


@db_transaction.atomic
def transaction_update(*, user, transaction: Transaction, **changes) -> Transaction:
    """Change some fields. A new category is the user's correction (and teaches the categoriser);
    `category=None`, or new text on an automatically categorised transaction, categorises again."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({field: ["This field cannot be changed."] for field in sorted(unknown)})
    txn = _locked(user=user, transaction=transaction)
    before = snapshot(txn)
    values = {field: getattr(txn, field) for field in EDITABLE_FIELDS if field != "tags"}
    values.update(tags=before["tags"], source=txn.source)
    if "kind" in changes and changes["kind"] != TransactionKind.TRANSFER and "to_account" not in changes:
        values["to_account"] = None
    values.update(changes)
    recategorize = ("category" in changes and changes["category"] is None) or (
        "category" not in changes
        and txn.category_source != CategorySource.MANUAL
        and any(field in changes for field in ("merchant", "description", "kind"))
    )
    if recategorize:
        values["category"] = None
    kept = (txn.account_id, txn.to_account_id)  # its own accounts stay allowed once archived
    cleaned = _values_clean(user=user, values=values, archived_ok=kept)
    _external_id_check(user=user, source=txn.source, external_id=cleaned["external_id"], other_than=txn.pk)
    ledger_apply(txn=txn, sign=-1)
    tag_names = cleaned.pop("tags")
    cleaned.pop("source")
    for field, value in cleaned.items():
        setattr(txn, field, value)
    if recategorize:
        _categorize(user=user, txn=txn)
    elif "category" in changes:
        txn.category_source, txn.category_confidence = CategorySource.MANUAL, 1.0
    txn.save()
    if "tags" in changes:
        txn.tags.set(tags_for_names(user=user, names=tag_names))
        txn.tag_names = sorted(tag_names)
    ledger_apply(txn=txn, sign=1)
    after = snapshot(txn)
    model_teach(user=user, lessons=lessons_between(before, after))
    _undo_push(user=user, action=UndoAction.UPDATE, txn=txn, before=before, after=after)
    changed_event(user=user, action="update", txn=txn, states=[before, after])
    return txn


@db_transaction.atomic
def transaction_delete(*, user, transaction: Transaction) -> None:
    """Soft-delete: the row stays (deleted_at set) so undo can bring it back."""
    txn = _locked(user=user, transaction=transaction)
    before = snapshot(txn)
    ledger_apply(txn=txn, sign=-1)
    txn.deleted_at = timezone.now()
    txn.save(update_fields=["deleted_at", "updated_at"])
    after = snapshot(txn)
    model_teach(user=user, lessons=lessons_between(before, after))
    _undo_push(user=user, action=UndoAction.DELETE, txn=txn, before=before, after=after)
    changed_event(user=user, action="delete", txn=txn, states=[before])
