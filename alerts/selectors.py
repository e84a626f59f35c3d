"""Reads shared by the API, the pages and the bell."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.dateparse import parse_datetime

from alerts.models import AlertRule, Delivery, DeliveryStatus, Notification, NotificationChannel, NotificationKind


def alert_rules_for_user(*, user) -> QuerySet[AlertRule]:
    return AlertRule.objects.filter(user=user).select_related("category").order_by("-enabled", "id")


def channels_for_user(*, user) -> QuerySet[NotificationChannel]:
    return NotificationChannel.objects.filter(user=user).order_by("kind", "id")


def notifications_for_user(*, user, unread: bool = False, kind: str | None = None) -> QuerySet[Notification]:
    """Newest first, with their deliveries; `kind` must be a NotificationKind value (ValueError otherwise)."""
    rows = Notification.objects.filter(user=user).prefetch_related(
        Prefetch("deliveries", queryset=Delivery.objects.order_by("id"))
    )
    if unread:
        rows = rows.filter(read_at__isnull=True)
    if kind:
        if kind not in NotificationKind.values:
            raise ValueError(f"Unknown kind '{kind}'; choose from {', '.join(NotificationKind.values)}.")
        rows = rows.filter(kind=kind)
    return rows


def unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


# Figures of the operator dashboard (operators.selectors puts them together).


def deliveries_by_status() -> dict[str, int]:
    counts = dict(Delivery.objects.values_list("status").annotate(n=Count("id")).order_by())
    return {status: counts.get(status, 0) for status in DeliveryStatus.values}


def failing_channels(*, since) -> list[dict]:
    failed = Delivery.objects.filter(status=DeliveryStatus.FAILED, created_at__gte=since)
    summary = []
    for row in failed.values("channel").annotate(failures=Count("id")).order_by("-failures"):
        last = failed.filter(channel=row["channel"]).order_by("-id").values("error", "created_at").first()
        summary.append({"channel": row["channel"], "failures": row["failures"], **(last or {})})
    return summary


def notifications_since(*, since) -> dict[str, int]:
    """How many notifications were made since `since`, and how many of them were read."""
    return Notification.objects.filter(created_at__gte=since).aggregate(
        total=Count("id"), read=Count("id", filter=Q(read_at__isnull=False))
    )


def alert_rules_enabled_counts() -> dict[str, int]:
    return AlertRule.objects.aggregate(total=Count("id"), disabled=Count("id", filter=Q(enabled=False)))


def in_app_latencies_ms(*, sample: int) -> list[float]:
    """For the last `sample` in-app deliveries sent: from the ledger change (the outbox event's time,
    carried in the notification's data) to the push."""
    rows = (
        Delivery.objects.filter(channel="in_app", status=DeliveryStatus.SENT, notification__isnull=False)
        .order_by("-id")
        .values_list("sent_at", "notification__data", "notification__created_at")[:sample]
    )
    latencies = []
    for sent_at, data, created_at in rows:
        event_at = (data or {}).get("event_at")
        started = parse_datetime(event_at) if event_at else created_at
        if sent_at and started:
            latencies.append((sent_at - started).total_seconds() * 1000)
    return latencies
