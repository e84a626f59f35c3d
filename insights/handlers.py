"""Ledger subscribers: mark profiles stale (outbox) and forget cached reads (at once, on the writer's commit)."""

from django.dispatch import receiver

from finance.outbox import register
from finance.signals import ledger_changed
from insights import cache
from insights.selectors.consent import user_consents
from insights.services.profiles import profiles_mark_stale


# One UPDATE: it rides on the alerts relay (after the evaluation) rather than costing every write a
# relay task of its own; the insights queue keeps the batch jobs.
@register("transaction.changed", queue="alerts")
def transaction_changed(event) -> None:
    user = event.user
    if user is not None and user_consents(user=user):
        profiles_mark_stale(user=user)


@receiver(ledger_changed, dispatch_uid="insights.ledger_changed")
def ledger_written(sender, user_ids: list[int] | None, **kwargs) -> None:
    """Runs in the writer's process as its transaction commits, so its next read is computed afresh."""
    if user_ids is None:
        cache.everything_changed()
    for user_id in user_ids or ():
        cache.user_changed(user_id)
