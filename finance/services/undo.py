"""The undo stack: each undo compensates the user's most recent open step, and is itself additive.

Undo a create = soft-delete it; undo a delete = restore it; undo an update = re-apply the
`before` snapshot. The step is marked undone, never removed, and the aggregate, balances and
learned model move exactly as they would for the equivalent forward write.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction as db_transaction
from django.utils import timezone

from finance.imports.revert import import_revert_undo
from finance.models import ImportJob, Transaction, UndoAction, UndoEntry
from finance.services.categorizer import model_teach
from finance.services.transactions import changed_event, ledger_apply, lessons_between, snapshot
from finance.services.validation import tags_for_names


class NothingToUndo(Exception):  # noqa: N818 (the name is part of the contract)
    """The user has no step left to undo."""


@dataclass(frozen=True)
class UndoResult:
    action: str  # the action that was undone: create | update | delete | revert (an import's revert)
    transaction: Transaction | None  # None for a revert
    import_job: ImportJob | None = None  # the import whose transactions came back (revert)
    count: int = 1  # how many transactions the undo brought back or changed


def _restore_fields(txn: Transaction, state: dict) -> None:
    txn.account_id = state["account"]
    txn.to_account_id = state["to_account"]
    txn.kind = state["kind"]
    txn.amount = Decimal(state["amount"])
    txn.currency = state["currency"]
    txn.occurred_at = datetime.fromisoformat(state["occurred_at"])
    for field in ("merchant", "description", "location", "category_source", "category_confidence", "external_id"):
        setattr(txn, field, state[field])
    txn.category_id = state["category"]


def _reload(txn: Transaction) -> Transaction:
    """Fresh related objects after ids changed (the ledger needs the accounts' kinds and the user's zone)."""
    return Transaction.all_objects.select_related("account", "to_account", "user", "category").get(pk=txn.pk)


@db_transaction.atomic
def transaction_undo_last(*, user) -> UndoResult:
    entry = (
        UndoEntry.objects.select_for_update(of=("self",))
        .filter(user=user, undone_at__isnull=True)
        .order_by("-id")
        .first()
    )
    if entry is None:
        raise NothingToUndo("Nothing left to undo.")
    if entry.action == UndoAction.REVERT:
        count = import_revert_undo(user=user, entry=entry)
        entry.undone_at = timezone.now()
        entry.save(update_fields=["undone_at"])
        return UndoResult(action=entry.action, transaction=None, import_job=entry.import_job, count=count)
    txn = (
        Transaction.all_objects.select_for_update(of=("self",))
        .select_related("account", "to_account", "user")
        .get(pk=entry.transaction_id)
    )
    before = snapshot(txn)
    was_live = txn.deleted_at is None
    if was_live:
        ledger_apply(txn=txn, sign=-1)
    if entry.action == UndoAction.CREATE:
        txn.deleted_at = txn.deleted_at or timezone.now()
    elif entry.action == UndoAction.DELETE:
        txn.deleted_at = None
    else:
        _restore_fields(txn, entry.before)
        txn.tags.set(tags_for_names(user=user, names=entry.before["tags"]))
    txn.save()
    txn = _reload(txn)
    if txn.deleted_at is None:
        ledger_apply(txn=txn, sign=1)
    after = snapshot(txn)
    model_teach(user=user, lessons=lessons_between(before, after))
    entry.undone_at = timezone.now()
    entry.save(update_fields=["undone_at"])
    changed_event(user=user, action="undo", txn=txn, states=[before, after], undone=entry.action)
    return UndoResult(action=entry.action, transaction=txn)
