"""Reads shared by the API, the pages and the bell."""

from django.db.models import Prefetch, QuerySet

from alerts.models import AlertRule, Delivery, Notification, NotificationChannel, NotificationKind


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
