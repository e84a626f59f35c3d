"""The transactional outbox of DESIGN.md.

Services call `outbox_emit(...)` inside their `transaction.atomic()`; the event row commits
with the change or not at all. On commit a relay task is queued; `outbox_sweep` (beat)
relays anything left behind. Other apps subscribe with `@register("topic")` in their
`handlers.py` (imported from their AppConfig.ready), so finance imports none of them.

Topics and payloads:
- "transaction.changed": {"action": create|update|delete|undo|import|sync, "transaction_ids": [...],
  "months": ["YYYY-MM", ...], "categories": [slug, ...], "undone_action": create|update|delete (undo only)}
- "budget.updated": {"budget_id": id, "category": slug|null, "month": "YYYY-MM"|null, "deleted": bool}
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from finance.models import OutboxEvent, OutboxHandled

logger = logging.getLogger(__name__)

Handler = Callable[[OutboxEvent], None]
_handlers: dict[str, list[Handler]] = defaultdict(list)

# Give up relaying an event after this many failed attempts; it stays visible in the admin.
MAX_ATTEMPTS = 10
# The sweep leaves young events to the on-commit relay that is surely already on its way.
SWEEP_GRACE = timedelta(seconds=30)


def register(*topics: str) -> Callable[[Handler], Handler]:
    def decorator(handler: Handler) -> Handler:
        for topic in topics:
            if handler not in _handlers[topic]:
                _handlers[topic].append(handler)
        return handler

    return decorator


def handlers_for(topic: str) -> list[Handler]:
    return list(_handlers.get(topic, ()))


def _handler_name(handler: Handler) -> str:
    return f"{handler.__module__}.{handler.__qualname__}"


def outbox_emit(*, topic: str, user, payload: dict) -> OutboxEvent:
    """Write an event; call inside the service's atomic block."""
    event = OutboxEvent.objects.create(topic=topic, user=user, payload=payload)
    transaction.on_commit(lambda: _queue_relay(event.id))
    return event


def _queue_relay(event_id: int) -> None:
    from finance.tasks import outbox_relay

    try:
        outbox_relay.delay(event_id)
    except Exception:  # broker down: the sweep relays it later
        logger.warning("outbox relay for event %s not queued; the sweep will pick it up", event_id, exc_info=True)


def outbox_relay_event(*, event_id: int) -> bool:
    """Hand one event to every handler that has not yet handled it. True when all succeeded.

    Each handler runs in its own atomic block together with its OutboxHandled row, so a
    handler's writes commit exactly once even when two relays race on the same event.
    """
    event = OutboxEvent.objects.filter(id=event_id, processed_at__isnull=True).first()
    if event is None:
        return True
    done = set(OutboxHandled.objects.filter(event=event).values_list("handler", flat=True))
    errors = []
    for handler in handlers_for(event.topic):
        name = _handler_name(handler)
        if name in done:
            continue
        try:
            with transaction.atomic():
                handler(event)
                OutboxHandled.objects.create(event=event, handler=name)
        except IntegrityError:
            continue  # another relay handled it first; its writes stand, ours rolled back
        except Exception as exc:
            logger.exception("outbox handler %s failed on event %s", name, event.id)
            errors.append(f"{name}: {exc.__class__.__name__}: {exc}")
    if errors:
        OutboxEvent.objects.filter(id=event.id).update(attempts=event.attempts + 1, last_error="\n".join(errors)[:2000])
        return False
    OutboxEvent.objects.filter(id=event.id, processed_at__isnull=True).update(
        processed_at=timezone.now(), attempts=event.attempts + 1, last_error=""
    )
    return True


def outbox_pending_ids(*, limit: int = 500) -> list[int]:
    """Events the on-commit relay did not finish (broker down, worker killed, handler failed)."""
    cutoff = timezone.now() - SWEEP_GRACE
    return list(
        OutboxEvent.objects.filter(processed_at__isnull=True, created_at__lt=cutoff, attempts__lt=MAX_ATTEMPTS)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
