"""The operator dashboard's figures: one read per figure, shared by the admin page and the API."""

from datetime import timedelta

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from alerts.models import AlertRule, Delivery, DeliveryStatus, Notification
from insights.models import Profile, Recommendation, ReviewStatus, UserStatus
from operators.models import ReviewDecision
from users.models import ConsentScope, User
from users.selectors import users_with_consent

# How many recent rows the latency percentiles look at.
RECENT_SAMPLE = 2000


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return round(ordered[index], 1)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def persona_distribution(*, window: int = 30) -> dict[str, int]:
    rows = Profile.objects.filter(window=window).values("persona").annotate(users=Count("id")).order_by("-users")
    return {row["persona"]: row["users"] for row in rows}


def recommendations_by_status() -> dict[str, int]:
    counts = dict(Recommendation.objects.values_list("status").annotate(n=Count("id")).order_by())
    return {status: counts.get(status, 0) for status in ReviewStatus.values}


def decisions_per_operator() -> list[dict]:
    rows = (
        ReviewDecision.objects.filter(operator__isnull=False)
        .values("operator__email")
        .annotate(decisions=Count("id"), last=Max("created_at"))
        .order_by("-decisions")
    )
    return [{"operator": row["operator__email"], "decisions": row["decisions"], "last": row["last"]} for row in rows]


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


def oldest_pending_age_seconds(*, now) -> int | None:
    oldest = (
        Recommendation.objects.filter(status=ReviewStatus.PENDING_REVIEW)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return int((now - oldest).total_seconds()) if oldest else None


def recommendation_acceptance_rate() -> float | None:
    answered = Recommendation.objects.filter(
        status__in=(ReviewStatus.APPROVED, ReviewStatus.OVERRIDDEN),
        user_status__in=(UserStatus.ACCEPTED, UserStatus.DISMISSED),
    ).aggregate(total=Count("id"), accepted=Count("id", filter=Q(user_status=UserStatus.ACCEPTED)))
    return _ratio(answered["accepted"], answered["total"])


def notification_read_rate(*, since) -> float | None:
    counts = Notification.objects.filter(created_at__gte=since).aggregate(
        total=Count("id"), read=Count("id", filter=Q(read_at__isnull=False))
    )
    return _ratio(counts["read"], counts["total"])


def alert_rules_disabled_share() -> float | None:
    counts = AlertRule.objects.aggregate(total=Count("id"), disabled=Count("id", filter=Q(enabled=False)))
    return _ratio(counts["disabled"], counts["total"])


def transaction_to_in_app_p95_ms() -> float | None:
    """From the ledger change (the outbox event's time, carried in the notification's data) to the push."""
    rows = (
        Delivery.objects.filter(channel="in_app", status=DeliveryStatus.SENT, notification__isnull=False)
        .order_by("-id")
        .values_list("sent_at", "notification__data", "notification__created_at")[:RECENT_SAMPLE]
    )
    latencies = []
    for sent_at, data, created_at in rows:
        started = _parse_time((data or {}).get("event_at")) or created_at
        if sent_at and started:
            latencies.append((sent_at - started).total_seconds() * 1000)
    return _percentile(latencies, 0.95)


def _parse_time(value):
    return parse_datetime(value) if value else None


def recommendation_generation_ms() -> dict[str, float | None]:
    values = list(Recommendation.objects.order_by("-id").values_list("generation_ms", flat=True)[:RECENT_SAMPLE])
    return {"p50": _percentile(values, 0.5), "p95": _percentile(values, 0.95)}


def dashboard_figures(*, now=None) -> dict:
    now = now or timezone.now()
    return {
        "total_users": User.objects.filter(is_active=True).count(),
        "users_with_consent": {scope: users_with_consent(scope=scope).count() for scope in ConsentScope.values},
        "persona_distribution": persona_distribution(),
        "recommendations": recommendations_by_status(),
        "decisions_per_operator": decisions_per_operator(),
        "notifications_last_24h": Notification.objects.filter(created_at__gte=now - timedelta(hours=24)).count(),
        "deliveries": deliveries_by_status(),
        "failing_channels": failing_channels(since=now - timedelta(days=7)),
        "oldest_pending_age_seconds": oldest_pending_age_seconds(now=now),
        "health": {
            "recommendation_acceptance_rate": recommendation_acceptance_rate(),
            "notification_read_rate": notification_read_rate(since=now - timedelta(days=30)),
            "alert_rules_disabled_share": alert_rules_disabled_share(),
            "transaction_to_in_app_p95_ms": transaction_to_in_app_p95_ms(),
            "recommendation_generation_ms": recommendation_generation_ms(),
        },
    }
