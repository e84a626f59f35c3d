"""The transactional outbox (docs/architecture-and-data-flow.md, "The main flows").

Services call `outbox_emit(...)` inside their `transaction.atomic()`; the event row commits
with the change or not at all. On commit a relay task is queued; `outbox_sweep` (beat)
relays anything left behind. Other apps subscribe with `@register("topic", queue=...)` in
their `handlers.py` (imported from their AppConfig.ready), so finance imports none of them.

Each queue gets a relay task of its own that runs only that queue's handlers: the alerts
evaluation (latency-sensitive) never waits behind the insights refresh (batch work). The
queues are relayed in the order their handlers registered (INSTALLED_APPS order: alerts
before insights). The request queues only the first relay, which hands on to the next queue
when its handlers are done, so a write costs one broker publish however many queues listen.
The event is processed once every handler on every queue has handled it.

Topics and payloads:
- "transaction.changed": {"action": create|update|delete|undo|import|import_revert|sync, "transaction_ids": [...],
  "count"? (bulk actions), "months": ["YYYY-MM", ...], "categories": [slug, ...],
  "undone_action": create|update|delete|revert (undo only)}
- "budget.updated": {"budget_id": id, "category": slug|null, "month": "YYYY-MM"|null, "deleted": bool}
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.utils import timezone

from finance.models import OutboxEvent, OutboxHandled
from finance.signals import ledger_changed_on_commit

logger = logging.getLogger(__name__)

Handler = Callable[[OutboxEvent], None]
_handlers: dict[str, list[Handler]] = defaultdict(list)
_queues: dict[Handler, str] = {}
DEFAULT_QUEUE = "outbox"

# Give up relaying an event after this many failed attempts; it stays visible in the admin.
MAX_ATTEMPTS = 10
# The sweep leaves young events to the on-commit relay that is surely already on its way.
SWEEP_GRACE = timedelta(seconds=30)


def register(*topics: str, queue: str = DEFAULT_QUEUE) -> Callable[[Handler], Handler]:
    """Subscribe a handler to topics; its relay runs on the Celery `queue`."""

    def decorator(handler: Handler) -> Handler:
        _queues[handler] = queue
        for topic in topics:
            if handler not in _handlers[topic]:
                _handlers[topic].append(handler)
        return handler

    return decorator


def handlers_for(topic: str, *, queue: str | None = None) -> list[Handler]:
    """The topic's handlers, in registration order; only those on `queue` when given."""
    return [h for h in _handlers.get(topic, ()) if queue is None or _queues[h] == queue]


def queues_for(topic: str) -> list[str]:
    """The queues with handlers of the topic, in the order they first registered one."""
    return list(dict.fromkeys(_queues[h] for h in _handlers.get(topic, ())))


def outbox_pending_after(*, event: OutboxEvent, handler: Handler) -> list[OutboxEvent]:
    """The same user's later events, of the handler's topics, that it has not handled yet; oldest first.

    For handlers that read the user's current state rather than the event's own rows: one of
    them may leave an event to a later one, which will see this change too."""
    topics = [topic for topic, handlers in _handlers.items() if handler in handlers]
    return list(
        OutboxEvent.objects.filter(user_id=event.user_id, id__gt=event.id, topic__in=topics, processed_at__isnull=True)
        .exclude(handled__handler=_handler_name(handler))
        .order_by("id")
    )


def _handler_name(handler: Handler) -> str:
    return f"{handler.__module__}.{handler.__qualname__}"


def outbox_emit(*, topic: str, user, payload: dict) -> OutboxEvent:
    """Write an event; call inside the service's atomic block."""
    event = OutboxEvent.objects.create(topic=topic, user=user, payload=payload)
    if user is not None:
        ledger_changed_on_commit(user_ids=[user.pk])
    transaction.on_commit(lambda: outbox_relay_queue(event_id=event.id, queues=queues_for(topic)))
    return event


def outbox_relay_queue(*, event_id: int, queues: list[str]) -> None:
    """Queue the relay of the first queue; it queues the next one when its handlers are done."""
    if not queues:
        return
    from finance.tasks import outbox_relay

    first, rest = queues[0], queues[1:]
    try:
        outbox_relay.apply_async((event_id,), {"queue": first, "then": rest}, queue=first)
    except Exception:  # broker down: the sweep relays it later
        logger.warning("outbox relay of event %s on %s not queued; the sweep will", event_id, first, exc_info=True)


def outbox_relay_event(*, event_id: int, queue: str | None = None) -> bool:
    """Hand one event to every handler (on `queue`, when given) that has not yet handled it.

    True when they all succeeded. A handler's writes commit together with its OutboxHandled row, the claim:
    a handler's writes commit exactly once, and a second relay of the same event (a duplicated task, the sweep)
    waits for the first one's claim and skips. All the handlers run in one transaction, with one claim
    statement; should one of them fail, that transaction is rolled back and each runs in a transaction of its
    own, so the others' work still commits and only the failing one is tried again later.
    """
    event = OutboxEvent.objects.filter(id=event_id, processed_at__isnull=True).select_related("user").first()
    if event is None:
        return True
    handlers = handlers_for(event.topic, queue=queue)
    # The last queue's relay (or the sweep's, which runs them all) completes the event, once every handler on
    # every queue has handled it; an earlier queue's relay leaves that to the last one. When this relay ran every
    # handler of the topic (the sweep, or the topic's only queue), all of them have handled it once it is done.
    queues = queues_for(event.topic)
    completes = queue is None or queues[-1:] == [queue]
    ran_all = queue is None or queues == [queue]
    try:
        with transaction.atomic():
            claimed = _claim_handling(event_id=event.id, handlers=[_handler_name(h) for h in handlers])
            for handler in handlers:
                if _handler_name(handler) in claimed:
                    handler(event)
            if completes:
                _mark_processed(event=event, ran_all=ran_all)
        return True
    except Exception:
        logger.info("an outbox handler failed on event %s; running each on its own", event.id, exc_info=True)
    errors = []
    for handler in handlers:
        name = _handler_name(handler)
        try:
            with transaction.atomic():
                if _claim_handling(event_id=event.id, handlers=[name]):
                    handler(event)
        except Exception as exc:
            logger.exception("outbox handler %s failed on event %s", name, event.id)
            errors.append(f"{name}: {exc.__class__.__name__}: {exc}")
    if errors:
        OutboxEvent.objects.filter(id=event.id).update(attempts=F("attempts") + 1, last_error="\n".join(errors)[:2000])
        return False
    if completes:
        _mark_processed(event=event, ran_all=ran_all)
    return True


def _claim_handling(*, event_id: int, handlers: list[str]) -> set[str]:
    """Record that `handlers` handle the event, in the caller's transaction; those that had not yet.

    One statement, no read first: a concurrent claim of the same rows waits for the first one's
    transaction and then finds them taken (or takes them, if that transaction rolled back)."""
    if not handlers:
        return set()
    table = OutboxHandled._meta.db_table
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = ", ".join(["(%s, %s, %s)"] * len(handlers))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (event_id, handler, handled_at) VALUES {rows} "  # noqa: S608 (our table)
            "ON CONFLICT (event_id, handler) DO NOTHING RETURNING handler",
            [value for name in handlers for value in (event_id, name, now)],
        )
        return {row[0] for row in cursor.fetchall()}


def _mark_processed(*, event: OutboxEvent, ran_all: bool) -> None:
    """Processed, in one statement, when every handler of its topic has handled the event (`ran_all`: they all
    have, in this relay; otherwise their claims are counted)."""
    pending = OutboxEvent.objects.filter(id=event.id, processed_at__isnull=True)
    if not ran_all:
        everyone = [_handler_name(h) for h in handlers_for(event.topic)]
        handled = (
            OutboxHandled.objects.filter(event=OuterRef("pk"), handler__in=everyone)
            .order_by()
            .values("event")
            .annotate(count=Count("*"))
            .values("count")
        )
        pending = pending.alias(done=Subquery(handled)).filter(done=len(everyone))
    pending.update(processed_at=timezone.now(), attempts=F("attempts") + 1, last_error="")


def outbox_pending_ids(*, limit: int = 500) -> list[int]:
    """Events the on-commit relay did not finish (broker down, worker killed, handler failed)."""
    cutoff = timezone.now() - SWEEP_GRACE
    return list(
        OutboxEvent.objects.filter(processed_at__isnull=True, created_at__lt=cutoff, attempts__lt=MAX_ATTEMPTS)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


def outbox_waiting_ids(*, user) -> list[int]:
    """One person's events not yet relayed, at once (no grace): for a command that relays them itself."""
    waiting = OutboxEvent.objects.filter(user=user, processed_at__isnull=True).order_by("id")
    return list(waiting.values_list("id", flat=True))
