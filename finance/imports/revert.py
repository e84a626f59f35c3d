"""Reverting an import, and undoing that revert (services).

A revert takes every transaction the import created out of the ledger in one database
transaction: soft-deleted, their sums taken out of the monthly aggregate and the balances
set-wise, one undo entry and one outbox event. Their duplicate keys are freed (kept on the undo
entry), so importing the corrected file again creates them anew. Rows the person changed or
deleted since the import make it refuse (ImportRowsEdited) unless forced.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.months import format_month, month_start
from finance.models import Category, ImportJob, ImportStatus, Transaction, UndoAction, UndoEntry
from finance.outbox import outbox_emit
from finance.services.accounts import balance_moves, balances_apply
from finance.services.aggregates import ledger_line, totals_add_many
from finance.services.bulk import EVENT_IDS_LIMIT


class ImportNotRevertible(Exception):  # noqa: N818 (reads as the answer it is)
    """Still running, or already reverted (HTTP 409)."""


class ImportRowsEdited(Exception):  # noqa: N818
    """The person changed rows of this import since; `force` reverts anyway (HTTP 409)."""

    def __init__(self, count: int):
        self.count = count
        super().__init__(
            f"{count} of this import's transactions were changed or deleted since it ran. "
            "Revert anyway to remove the import's transactions, changes included."
        )


@transaction.atomic
def import_job_revert(*, user, job_id: int, force: bool = False) -> int:
    """Remove what the import created. Returns how many transactions left the ledger.
    Raises ImportJob.DoesNotExist for another user's import."""
    job = ImportJob.objects.select_for_update().defer("content").get(pk=job_id, user=user)
    if job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        raise ImportNotRevertible("This import has not finished yet; revert it once it has.")
    if job.reverted_at is not None:
        raise ImportNotRevertible("This import was already reverted.")
    created = Transaction.all_objects.filter(user=user, import_job_id=job.pk)
    edited = created.filter(Q(updated_at__gt=job.finished_at or job.created_at) | Q(deleted_at__isnull=False)).count()
    if edited and not force:
        raise ImportRowsEdited(edited)
    rows = list(
        created.filter(deleted_at__isnull=True)
        .select_related("account", "to_account")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    _ledger_apply_many(user=user, rows=rows, sign=-1)
    now = timezone.now()
    Transaction.all_objects.filter(pk__in=[row.pk for row in rows]).update(deleted_at=now, external_id=None)
    UndoEntry.objects.create(
        user=user, action=UndoAction.REVERT, import_job=job,
        before={"transactions": [[row.pk, row.external_id] for row in rows]},
    )  # fmt: skip
    ImportJob.objects.filter(pk=job.pk).update(reverted_at=now)
    _changed_event(user=user, action="import_revert", rows=rows)
    return len(rows)


def import_revert_undo(*, user, entry: UndoEntry) -> int:
    """Bring back what a revert removed (inside transaction_undo_last's atomic block). A transaction
    whose duplicate key a later import took stays removed: that import holds it now."""
    saved = {pk: external_id for pk, external_id in entry.before["transactions"]}
    rows = list(
        Transaction.all_objects.filter(user=user, pk__in=list(saved), deleted_at__isnull=False)
        .select_related("account", "to_account")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    keys = [key for key in saved.values() if key]
    taken = set(Transaction.all_objects.filter(user=user, external_id__in=keys).values_list("source", "external_id"))
    rows = [row for row in rows if (row.source, saved[row.pk]) not in taken]
    for row in rows:
        row.external_id, row.deleted_at = saved[row.pk], None
    Transaction.all_objects.bulk_update(rows, ["external_id", "deleted_at"], batch_size=1000)
    _ledger_apply_many(user=user, rows=rows, sign=1)
    ImportJob.objects.filter(pk=entry.import_job_id).update(reverted_at=None)
    _changed_event(user=user, action="undo", rows=rows, undone=UndoAction.REVERT)
    return len(rows)


def _ledger_apply_many(*, user, rows: list[Transaction], sign: int) -> None:
    """Add (1) or take out (-1) many transactions: one write per month/category/kind and per account."""
    totals_add_many(lines=(ledger_line(transaction=row, timezone_name=user.timezone) for row in rows), sign=sign)
    changes: dict[int, Decimal] = defaultdict(Decimal)
    for row in rows:
        for account_id, change in balance_moves(
            kind=row.kind, amount=row.amount, account=row.account, to_account=row.to_account
        ):
            changes[account_id] += change
    balances_apply(moves=list(changes.items()), sign=sign)


def _changed_event(*, user, action: str, rows: list[Transaction], undone: str = "") -> None:
    if not rows:
        return
    months = {format_month(month_start(row.occurred_at, user.timezone)) for row in rows}
    category_ids = {row.category_id for row in rows}
    payload = {
        "action": action,
        "transaction_ids": [row.pk for row in rows] if len(rows) <= EVENT_IDS_LIMIT else [],
        "count": len(rows),
        "months": sorted(months),
        "categories": sorted(set(Category.objects.filter(pk__in=category_ids).values_list("slug", flat=True))),
    }
    if undone:
        payload["undone_action"] = undone
    outbox_emit(topic="transaction.changed", user=user, payload=payload)
