"""Outbox subscribers: every ledger change (page, API, import, sync, undo) reaches the alerts."""

from django.utils import timezone

from alerts.services import webhook_events_fan_out
from alerts.services.evaluation import evaluate_user, evaluation_turn
from core.months import month_start, parse_month
from finance.outbox import outbox_pending_after, register


def _months(event, *, timezone_name: str) -> list:
    payload = event.payload
    if event.topic == "budget.updated":
        return [parse_month(payload["month"]) if payload.get("month") else month_start(timezone.now(), timezone_name)]
    return [parse_month(text) for text in payload.get("months", [])]


@register("transaction.changed", "budget.updated", queue="alerts")
def evaluate_budgets(event) -> None:
    """Evaluations of one user take turns; a burst of changes (a sync pushing one transaction at a
    time) is evaluated once, by its last event, which sees them all (one alert for the highest
    threshold crossed, as when one transaction crosses several)."""
    user = event.user
    evaluation_turn(user_id=user.pk)
    current = month_start(timezone.now(), user.timezone)
    later = outbox_pending_after(event=event, handler=evaluate_budgets)
    if any(current in _months(newer, timezone_name=user.timezone) for newer in later):
        return
    evaluate_user(user=user, months=_months(event, timezone_name=user.timezone), caused_at=event.created_at)


@register("transaction.changed", "budget.updated", queue="alerts")
def send_ledger_webhooks(event) -> None:
    webhook_events_fan_out(
        user=event.user, event_id=event.id, topic=event.topic, payload=event.payload, occurred_at=event.created_at
    )
