"""Alert rules, their firing records, notifications, deliveries and channels.

Only alerts.services writes these rows (docs/architecture-and-data-flow.md).
"""

from datetime import time

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone as dj_timezone
from django.utils.functional import cached_property

from users.validators import validate_timezone


class Severity(models.TextChoices):
    INFO = "info"
    WARNING = "warning"
    DANGER = "danger"
    CRITICAL = "critical"


class ChannelKind(models.TextChoices):
    """What a rule may deliver through; `in_app` needs no channel row."""

    IN_APP = "in_app", "In-app"
    EMAIL = "email", "Email"
    SMS = "sms", "SMS"
    PUSH = "push", "Browser push"
    WEBHOOK = "webhook", "Webhook"


class NotificationKind(models.TextChoices):
    BUDGET_THRESHOLD = "budget_threshold", "Budget threshold"
    OVERSPEND = "overspend", "Overspend"
    FORECAST = "forecast", "Forecast"
    INACTIVITY = "inactivity", "Inactivity"
    ANOMALY = "anomaly", "Anomaly"
    RECOMMENDATION = "recommendation", "Recommendation"
    DIGEST = "digest", "Daily digest"
    SUMMARY = "summary", "Monthly summary"
    TEST = "test", "Test"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "On its way"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    DEFERRED = "deferred", "Held for quiet hours"
    SUPPRESSED = "suppressed", "Not sent (daily limit)"


def default_thresholds() -> list[dict]:
    return [
        {"percent": 80, "severity": Severity.INFO.value},
        {"percent": 95, "severity": Severity.WARNING.value},
        {"percent": 100, "severity": Severity.DANGER.value},
        {"percent": 150, "severity": Severity.CRITICAL.value},
    ]


def default_channels() -> list[str]:
    return [ChannelKind.IN_APP.value]


class AlertRule(models.Model):
    """Watch one category's budget (or every budget when category is null) for thresholds and forecasts."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_rules")
    name = models.CharField(max_length=100, blank=True)
    category = models.ForeignKey("finance.Category", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    thresholds = models.JSONField(default=default_thresholds, help_text="[{percent, severity}] in ascending order.")
    channels = models.JSONField(default=default_channels)
    quiet_hours_start = models.TimeField(null=True, blank=True, default=time(20, 0))
    quiet_hours_end = models.TimeField(null=True, blank=True, default=time(8, 0))
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    daily_limit = models.PositiveIntegerField(default=3)
    cooldown_minutes = models.PositiveIntegerField(default=60)
    enabled = models.BooleanField(default=True)
    is_default = models.BooleanField(
        default=False, help_text="Given automatically to a user without rules; their own first rule replaces it."
    )
    created_at = models.DateTimeField(default=dj_timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["user", "enabled"], name="alertrule_user_enabled")]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(is_default=True), name="alertrule_one_default")
        ]

    def __str__(self) -> str:
        return self.name or (f"{self.category} budget" if self.category_id else "All budgets")


class ThresholdFiring(models.Model):
    """One threshold of one rule fired for one budget and month.

    The unique key makes two concurrent evaluations claim it once. `armed` turns back on
    when spending falls below the threshold, so it can fire again (after the cooldown).
    """

    rule = models.ForeignKey(AlertRule, on_delete=models.CASCADE, related_name="firings")
    category = models.CharField(max_length=50, blank=True, help_text="Budget category slug; empty = all spending.")
    month = models.DateField()
    threshold = models.PositiveIntegerField(help_text="Percent of the budget.")
    armed = models.BooleanField(default=False)
    times_fired = models.PositiveIntegerField(default=1)
    fired_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rule", "category", "month", "threshold"], name="threshold_firing_unique")
        ]


class NotificationChannel(models.Model):
    """Somewhere to deliver to: an email address, a phone number, a browser push subscription or a webhook."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_channels")
    kind = models.CharField(max_length=10, choices=[c for c in ChannelKind.choices if c[0] != "in_app"])
    target = models.CharField(max_length=2000, help_text="Address, E.164 number, push endpoint or webhook URL.")
    verified = models.BooleanField(default=False)
    secret = models.CharField(max_length=200, blank=True, help_text="Webhook signing secret.")
    push_keys = models.JSONField(default=dict, blank=True, help_text="Web Push subscription keys {p256dh, auth}.")
    events = models.JSONField(
        default=list, blank=True, help_text="Webhook: what to send (notification, ledger events)."
    )
    categories = models.JSONField(default=list, blank=True, help_text="Webhook ledger events: only these slugs.")
    verification_code_hash = models.CharField(max_length=128, blank=True)
    verification_expires_at = models.DateTimeField(null=True, blank=True)
    verification_attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "target"], name="channel_user_kind_target_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.target[:60]}"


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.INFO)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    rule = models.ForeignKey(AlertRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications")
    dedup_key = models.CharField(max_length=200, null=True, blank=True)
    created_at = models.DateTimeField(default=dj_timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedup_key"],
                condition=Q(dedup_key__isnull=False),
                name="notification_user_dedup_unique",
            )
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_created"),
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self) -> str:
        return self.title

    @cached_property
    def delivery_list(self) -> list["Delivery"]:
        """Its deliveries in the order they were made (prefetch "deliveries" for a page of notifications);
        notify() sets this when it creates them, so pushing the notification reads nothing back."""
        return sorted(self.deliveries.all(), key=lambda delivery: delivery.pk)


class Delivery(models.Model):
    """One notification (or one ledger event, for webhooks) on one channel, with every attempt recorded."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    event = models.JSONField(null=True, blank=True, help_text="A ledger event sent to a webhook (no notification).")
    channel = models.CharField(max_length=10, choices=ChannelKind.choices)
    endpoint = models.ForeignKey(
        NotificationChannel, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True, validators=[MinValueValidator(0)])
    deliver_after = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(
        null=True, blank=True, help_text="When a suppressed delivery went into a digest."
    )
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(
                fields=["status", "deliver_after"],
                condition=Q(status__in=["pending", "deferred"]),
                name="delivery_waiting",
            ),
            models.Index(fields=["user", "created_at"], name="delivery_user_created"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.status}"
