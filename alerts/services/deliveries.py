"""Sending one delivery, and releasing the ones that waited (quiet hours, a lost task, a dead worker)."""

import time
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from alerts.models import Delivery, DeliveryStatus
from alerts.transports.base import TransportError
from alerts.transports.registry import transport_for

MAX_ATTEMPTS = 5
# A claim older than this belongs to a worker that died mid-send.
CLAIM_TIMEOUT = timedelta(minutes=5)
# Pending rows older than this were never picked up (broker down when queued).
LOST_AFTER = timedelta(minutes=2)


class DeliveryRetry(Exception):
    """A transient failure; the task retries with backoff."""


def _claim(delivery_id: int, now) -> bool:
    """Take the row for this worker: one conditional UPDATE, so a duplicated task never sends twice."""
    stale = now - CLAIM_TIMEOUT
    return (
        Delivery.objects.filter(id=delivery_id, status=DeliveryStatus.PENDING)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
        .update(claimed_at=now)
        == 1
    )


def delivery_send(*, delivery_id: int) -> str:
    """Attempt one delivery and record the attempt. Returns its status, or "skipped" when not ours to send.

    Raises DeliveryRetry on a transient failure with attempts left (the row is pending again).
    """
    now = timezone.now()
    if not _claim(delivery_id, now):
        return "skipped"
    delivery = Delivery.objects.select_related("notification__user", "endpoint", "user").get(id=delivery_id)
    return _attempt(delivery, claimed_at=now)


def delivery_send_claimed(delivery: Delivery) -> str:
    """Send a delivery that this process created already claimed, with its notification in memory."""
    return _attempt(delivery, claimed_at=delivery.claimed_at)


def _attempt(delivery: Delivery, *, claimed_at) -> str:
    """Send a delivery claimed at `claimed_at`, record the attempt and release the claim."""
    started = time.monotonic()
    error, permanent = "", False
    try:
        if delivery.channel != "in_app" and delivery.endpoint_id is None and delivery.channel != "email":
            raise TransportError("The channel was deleted.", permanent=True)
        transport_for(delivery.channel).send(delivery)
    except TransportError as exc:
        error, permanent = exc.message, exc.permanent
    except Exception as exc:  # a bug in a transport must not leave the row claimed forever
        error = f"Unexpected error: {exc.__class__.__name__}: {exc}"
    duration_ms = int((time.monotonic() - started) * 1000)
    attempts = delivery.attempts + 1
    if not error:
        status = DeliveryStatus.SENT
    elif permanent or attempts >= MAX_ATTEMPTS:
        status = DeliveryStatus.FAILED
    else:
        status = DeliveryStatus.PENDING
    Delivery.objects.filter(id=delivery.id, claimed_at=claimed_at).update(
        status=status,
        attempts=attempts,
        error=error[:2000],
        duration_ms=duration_ms,
        sent_at=timezone.now() if status == DeliveryStatus.SENT else None,
        claimed_at=None,
        # when the task's backoff retries it; the sweep leaves it alone until then
        deliver_after=timezone.now() + timedelta(seconds=2**attempts)
        if status == DeliveryStatus.PENDING
        else delivery.deliver_after,
    )
    if status == DeliveryStatus.PENDING:
        raise DeliveryRetry(error)
    return status


def deliveries_release_due(*, now=None) -> list[int]:
    """Deferred deliveries whose quiet hours ended become pending; returns every id to queue now.

    Also returns pending rows that were never picked up or whose worker died, so nothing is lost.
    """
    now = now or timezone.now()
    due = list(
        Delivery.objects.filter(status=DeliveryStatus.DEFERRED, deliver_after__lte=now).values_list("id", flat=True)
    )
    Delivery.objects.filter(id__in=due, status=DeliveryStatus.DEFERRED).update(status=DeliveryStatus.PENDING)
    lost = (
        Delivery.objects.filter(status=DeliveryStatus.PENDING, created_at__lt=now - LOST_AFTER)
        .filter(Q(deliver_after__isnull=True) | Q(deliver_after__lt=now - LOST_AFTER))
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
    )
    return sorted(set(due) | set(lost.values_list("id", flat=True)))


@transaction.atomic
def deliveries_retry(*, delivery_ids: list[int]) -> list[int]:
    """Operators: send failed or deferred deliveries again from scratch; returns the ids queued."""
    from alerts.services.notify import dispatch

    rows = Delivery.objects.select_for_update().filter(
        id__in=delivery_ids, status__in=[DeliveryStatus.FAILED, DeliveryStatus.DEFERRED]
    )
    ids = list(rows.values_list("id", flat=True))
    Delivery.objects.filter(id__in=ids).update(
        status=DeliveryStatus.PENDING, attempts=0, claimed_at=None, deliver_after=None
    )
    transaction.on_commit(lambda: dispatch(ids))
    return ids
