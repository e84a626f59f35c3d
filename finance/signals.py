"""Signals finance sends so other apps can follow the ledger without finance importing them."""

from django.db import transaction
from django.dispatch import Signal

# Sent once the write has committed, before the writer's request or job goes on: `user_ids` are the
# users whose transactions, budgets or aggregates changed, or None for everyone (a full rebuild).
# Receivers forget what they derived from the ledger, so no figure read after a write misses it.
ledger_changed = Signal()


def ledger_changed_on_commit(*, user_ids: list[int] | None) -> None:
    """Announce a ledger change when the caller's transaction commits (at once outside one)."""
    transaction.on_commit(lambda: ledger_changed.send(sender=None, user_ids=user_ids))
