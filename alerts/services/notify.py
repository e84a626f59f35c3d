"""notify(): the only door through which a notification is created and sent."""

import logging
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from celery.exceptions import Retry
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from alerts.models import (
    AlertRule,
    ChannelKind,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationChannel,
    NotificationKind,
    Severity,
)
from alerts.rules import QuietHours, quiet_hours_end
from alerts.services.deliveries import DeliveryRetry, delivery_send, delivery_send_claimed
from core.months import day_bounds
from users.models import ConsentScope
from users.selectors import consent_is_granted

logger = logging.getLogger(__name__)

# Kinds that are the cure for alert fatigue themselves: never held back by the daily limit.
LIMIT_EXEMPT_KINDS = {"digest", "summary", "test"}
NO_ENDPOINT_MESSAGE = {
    "email": "No verified email address.",
    "sms": "No verified phone number: add one under Settings → Channels.",
    "push": "No browser subscribed to push: enable it under Settings → Channels.",
    "webhook": "No verified webhook: add one under Settings → Channels.",
}


def rule_quiet_hours(rule: AlertRule | None) -> QuietHours | None:
    if rule is None or rule.quiet_hours_start is None or rule.quiet_hours_end is None:
        return None
    return QuietHours(start=rule.quiet_hours_start, end=rule.quiet_hours_end, timezone=rule.timezone)


def default_channels(user) -> list[str]:
    """Without a rule: in-app, plus every kind of channel the user has verified for notifications."""
    kinds = ["in_app"]
    for channel in NotificationChannel.objects.filter(user=user, verified=True).order_by("kind", "id"):
        if channel.kind not in kinds and _wants_notifications(channel):
            kinds.append(channel.kind)
    return kinds


def _wants_notifications(channel: NotificationChannel) -> bool:
    return channel.kind != ChannelKind.WEBHOOK or not channel.events or "notification" in channel.events


def _endpoints(user, kind: str) -> list[NotificationChannel | None]:
    """Where one channel kind delivers: the verified channels of that kind (email falls back to the account's address)."""
    if kind == ChannelKind.IN_APP:
        return [None]
    found = [
        c for c in NotificationChannel.objects.filter(user=user, kind=kind, verified=True) if _wants_notifications(c)
    ]
    if not found and kind == ChannelKind.EMAIL:
        return [None]
    return found


def _non_in_app_sent_today(user, now: datetime) -> int:
    start, end = day_bounds(day=now.astimezone(ZoneInfo(user.timezone or "UTC")).date(), tz=user.timezone)
    return (
        Delivery.objects.filter(user=user, notification__isnull=False, created_at__gte=start, created_at__lt=end)
        .exclude(channel=ChannelKind.IN_APP)
        .exclude(status=DeliveryStatus.SUPPRESSED)
        .exclude(notification__kind__in=LIMIT_EXEMPT_KINDS)
        .count()
    )


def _plan(*, notification, kinds, quiet_hours, daily_limit, now) -> list[Delivery]:
    deliveries = []
    deferred_until = quiet_hours_end(quiet_hours=quiet_hours, now=now)
    limited = daily_limit is not None and any(kind != ChannelKind.IN_APP for kind in kinds)
    already = _non_in_app_sent_today(notification.user, now) if limited else 0
    for kind in kinds:
        endpoints = _endpoints(notification.user, kind)
        if not endpoints:
            deliveries.append(
                Delivery(channel=kind, status=DeliveryStatus.FAILED, error=NO_ENDPOINT_MESSAGE.get(kind, ""))
            )
            continue
        for endpoint in endpoints:
            delivery = Delivery(channel=kind, endpoint=endpoint, status=DeliveryStatus.PENDING)
            if kind == ChannelKind.IN_APP:
                delivery.claimed_at = now  # this process sends it as soon as the notification commits
            else:
                if daily_limit is not None and already >= daily_limit:
                    delivery.status = DeliveryStatus.SUPPRESSED
                    delivery.error = f"Daily limit of {daily_limit} reached; included in the daily digest."
                else:
                    already += 1
                    if deferred_until is not None:
                        delivery.status, delivery.deliver_after = DeliveryStatus.DEFERRED, deferred_until
            deliveries.append(delivery)
    for delivery in deliveries:
        delivery.user, delivery.notification, delivery.created_at = notification.user, notification, now
    return Delivery.objects.bulk_create(deliveries)


@transaction.atomic(savepoint=False)  # inside the caller's transaction: nobody goes on after notify() fails
def notify(
    *,
    user,
    kind: str,
    severity: str,
    title: str,
    body: str,
    data: dict | None = None,
    channels: list[str] | None = None,
    rule: AlertRule | None = None,
    dedup_key: str | None = None,
    quiet_hours: QuietHours | None = None,
    daily_limit: int | None = None,
) -> Notification | None:
    """Store a notification with one delivery per channel, and send them after commit.

    Returns None when `dedup_key` was used before for this user (also under a race:
    the unique constraint decides). In-app is always sent at once; other channels are
    deferred to the end of the quiet hours, or suppressed past the daily limit.
    """
    now = timezone.now()
    kinds = list(channels if channels is not None else (rule.channels if rule else default_channels(user)))
    if (
        kind not in NotificationKind.values
        or severity not in Severity.values
        or not set(kinds) <= set(ChannelKind.values)
    ):
        raise ValueError(f"notify(): unknown kind {kind!r}, severity {severity!r} or channels {kinds!r}")
    if kind != NotificationKind.TEST and not consent_is_granted(user=user, scope=ConsentScope.DATA_PROCESSING):
        return None  # alerts are paused while data processing is off (docs/consent.md)
    if quiet_hours is None:
        quiet_hours = rule_quiet_hours(rule)
    if daily_limit is None and kind not in LIMIT_EXEMPT_KINDS:
        daily_limit = rule.daily_limit if rule else settings.ALERTS_DAILY_LIMIT
    if kind in LIMIT_EXEMPT_KINDS:
        daily_limit = None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, kind=kind, severity=severity, title=title[:200], body=body, data=data or {},
                rule=rule, dedup_key=dedup_key, created_at=now,
            )  # fmt: skip
    except IntegrityError:
        if dedup_key is None:
            raise
        return None
    deliveries = _plan(
        notification=notification, kinds=kinds, quiet_hours=quiet_hours, daily_limit=daily_limit, now=now
    )
    notification.delivery_list = deliveries
    in_app = [d for d in deliveries if d.status == DeliveryStatus.PENDING and d.channel == ChannelKind.IN_APP]
    queued = [d.id for d in deliveries if d.status == DeliveryStatus.PENDING and d.channel != ChannelKind.IN_APP]
    transaction.on_commit(lambda: _send_after_commit(in_app=in_app, queued=queued))
    return notification


def _send_after_commit(*, in_app: list[Delivery], queued: list[int]) -> None:
    """In-app goes out at once from what is in memory (claimed when it was created: no read, no claim);
    the other channels through the `deliver` task. Should this process die first, the sweep sends
    the in-app one once its claim has timed out."""
    for delivery in in_app:
        _send_or_leave_to_sweep(delivery.id, lambda delivery=delivery: delivery_send_claimed(delivery))
    dispatch(queued)


def dispatch(delivery_ids: list[int]) -> None:
    """After commit: in-app goes out right here (no broker hop); the rest through the `deliver` task."""
    from alerts.tasks import deliver

    if not delivery_ids:
        return
    for delivery_id, channel in Delivery.objects.filter(id__in=delivery_ids).values_list("id", "channel"):
        if channel == ChannelKind.IN_APP:
            _send_or_leave_to_sweep(delivery_id, lambda delivery_id=delivery_id: delivery_send(delivery_id=delivery_id))
        else:
            _send_or_leave_to_sweep(delivery_id, lambda delivery_id=delivery_id: deliver.delay(delivery_id))


def _send_or_leave_to_sweep(delivery_id: int, send: Callable[[], object]) -> None:
    try:
        send()
    except (Retry, DeliveryRetry):  # a transient failure (or eager mode without a worker): the sweep retries it
        logger.info("delivery %s failed; the sweep will retry it", delivery_id)
    except Exception:  # broker down or a push failed: the minute sweep sends it later
        logger.warning("delivery %s not sent at once; the sweep will retry it", delivery_id, exc_info=True)
