"""Outbox subscribers: every ledger change (page, API, import, sync, undo) reaches the alerts."""

from django.utils import timezone

from alerts.evaluation import evaluate_user
from alerts.services import webhook_events_fan_out
from finance.months import month_start, parse_month
from finance.outbox import register


def _months(event) -> list:
    payload = event.payload
    if event.topic == "budget.updated":
        return [
            parse_month(payload["month"]) if payload.get("month") else month_start(timezone.now(), event.user.timezone)
        ]
    return [parse_month(text) for text in payload.get("months", [])]


@register("transaction.changed", "budget.updated", queue="alerts")
def evaluate_budgets(event) -> None:
    evaluate_user(user=event.user, months=_months(event), caused_at=event.created_at)


@register("transaction.changed", "budget.updated", queue="alerts")
def send_ledger_webhooks(event) -> None:
    webhook_events_fan_out(
        user=event.user, event_id=event.id, topic=event.topic, payload=event.payload, occurred_at=event.created_at
    )
