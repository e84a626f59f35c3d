"""Subscribers: every ledger change (page, API, import, sync, undo) reaches the alerts (outbox),
and every revoked sign-in closes its open notification sockets (users.signals.access_revoked)."""

import logging

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from alerts import realtime
from alerts.services import webhook_events_fan_out
from alerts.services.evaluation import evaluate_user
from alerts.turns import evaluation_turn
from core.months import format_month, month_start, parse_month
from finance.outbox import outbox_pending_after, register
from finance.selectors import categories_watched_by_budgets
from users.signals import access_revoked

logger = logging.getLogger(__name__)


def _months(event, *, timezone_name: str) -> list:
    payload = event.payload
    if event.topic == "budget.updated":
        return [parse_month(payload["month"]) if payload.get("month") else month_start(timezone.now(), timezone_name)]
    return [parse_month(text) for text in payload.get("months", [])]


def _concerns(event, *, watched: set[str] | None) -> bool:
    """Whether the event can move one of the month's budgets: a change of a budget always does, a change
    of transactions only when one of its categories (before or after) counts towards a budget."""
    if event.topic != "transaction.changed" or watched is None:
        return True
    return not watched.isdisjoint(event.payload.get("categories", []))


@register("transaction.changed", "budget.updated", queue="alerts")
def evaluate_budgets(event) -> None:
    """Evaluations of one user take turns; a burst of changes (a sync pushing one transaction at a
    time) is evaluated once, by its last event that concerns a budget, which sees them all (one alert
    for the highest threshold crossed, as when one transaction crosses several). A change no budget
    watches is not evaluated at all."""
    user = event.user
    current = month_start(timezone.now(), user.timezone)
    watched = categories_watched_by_budgets(user=user, month=current)
    if not _concerns(event, watched=watched):
        return
    evaluation_turn(user_id=user.pk)
    later = outbox_pending_after(event=event, handler=evaluate_budgets)
    if any(
        current in _months(newer, timezone_name=user.timezone) and _concerns(newer, watched=watched) for newer in later
    ):
        return
    evaluate_user(user=user, months=_months(event, timezone_name=user.timezone), caused_at=event.created_at)


@register("transaction.changed", "budget.updated", queue="alerts")
def push_ledger_changed(event) -> None:
    """Tells the person's open pages to show the new figures once the relay commits: after the evaluation's
    alert, so a page that refreshes on it also shows the alert's effect. A lost push only delays a refresh."""
    months = [format_month(month) for month in _months(event, timezone_name=event.user.timezone)]
    transaction.on_commit(lambda: _push_ledger_changed(user_id=event.user_id, months=months))


def _push_ledger_changed(*, user_id: int, months: list[str]) -> None:
    try:
        realtime.send_event(user_id=user_id, event={"type": "ledger_changed", "months": months})
    except Exception:  # the channel layer down or slow: the figures are right on the next load
        logger.warning("Could not push ledger_changed to user %s", user_id, exc_info=True)


@register("transaction.changed", "budget.updated", queue="alerts")
def send_ledger_webhooks(event) -> None:
    webhook_events_fan_out(
        user=event.user, event_id=event.id, topic=event.topic, payload=event.payload, occurred_at=event.created_at
    )


@receiver(access_revoked, dispatch_uid="alerts.handlers.close_revoked_sockets")
def close_revoked_sockets(sender, *, user_id: int, credential: str | None, **kwargs) -> None:
    realtime.sockets_revoke(user_id=user_id, credential=credential)
