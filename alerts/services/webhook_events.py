"""Ledger events for webhooks that subscribed to them, through the same delivery machinery."""

from django.db import transaction
from django.utils import timezone

from alerts.models import ChannelKind, Delivery, DeliveryStatus, NotificationChannel
from alerts.services.notify import dispatch

# What a transaction.changed action means to a subscriber.
ACTION_EVENTS = {
    "create": "transaction.created",
    "import": "transaction.created",
    "sync": "transaction.created",
    "update": "transaction.updated",
    "delete": "transaction.deleted",
    "import_revert": "transaction.deleted",
}
# Undoing an action is seen as its opposite.
UNDO_EVENTS = {
    "create": "transaction.deleted", "delete": "transaction.created", "update": "transaction.updated",
    "revert": "transaction.created",
}  # fmt: skip


def ledger_event_name(*, topic: str, payload: dict) -> str | None:
    if topic == "budget.updated":
        return "budget.updated"
    if payload.get("action") == "undo":
        return UNDO_EVENTS.get(payload.get("undone_action"))
    return ACTION_EVENTS.get(payload.get("action"))


def _categories(payload: dict) -> set:
    if "categories" in payload:
        return set(payload["categories"] or [])
    return {payload.get("category")}


@transaction.atomic(savepoint=False)  # inside the outbox handler's transaction
def webhook_events_fan_out(*, user, event_id: int, topic: str, payload: dict, occurred_at) -> list[int]:
    """One delivery per subscribed webhook whose category filter matches; queued after commit."""
    name = ledger_event_name(topic=topic, payload=payload)
    if name is None:
        return []
    deliveries = []
    channels = NotificationChannel.objects.filter(user=user, kind=ChannelKind.WEBHOOK, verified=True)
    for channel in channels:
        if name not in channel.events:
            continue
        if channel.categories and not (set(channel.categories) & _categories(payload)):
            continue
        body = {"type": name, "id": f"evt_{event_id}", "occurred_at": occurred_at.isoformat(), "data": payload}
        deliveries.append(
            Delivery(
                user=user,
                event=body,
                channel=ChannelKind.WEBHOOK,
                endpoint=channel,
                status=DeliveryStatus.PENDING,
                created_at=timezone.now(),
            )
        )
    ids = [d.id for d in Delivery.objects.bulk_create(deliveries)]
    if ids:
        transaction.on_commit(lambda: dispatch(ids))
    return ids
