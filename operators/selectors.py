"""The operator dashboard's figures: one read per figure, shared by the admin page and the API."""

from datetime import timedelta

from django.db.models import Count, Max
from django.utils import timezone

from alerts import selectors as alerts
from insights.selectors import review
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


def decisions_per_operator() -> list[dict]:
    rows = (
        ReviewDecision.objects.filter(operator__isnull=False)
        .values("operator__email")
        .annotate(decisions=Count("id"), last=Max("created_at"))
        .order_by("-decisions")
    )
    return [{"operator": row["operator__email"], "decisions": row["decisions"], "last": row["last"]} for row in rows]


def dashboard_figures(*, now=None) -> dict:
    now = now or timezone.now()
    oldest = review.oldest_pending_created_at()
    answered = review.recommendations_answered()
    read = alerts.notifications_since(since=now - timedelta(days=30))
    rules = alerts.alert_rules_enabled_counts()
    generation = review.recent_generation_ms(sample=RECENT_SAMPLE)
    return {
        "total_users": User.objects.filter(is_active=True).count(),
        "users_with_consent": {scope: users_with_consent(scope=scope).count() for scope in ConsentScope.values},
        "persona_distribution": review.persona_distribution(),
        "recommendations": review.recommendations_by_status(),
        "decisions_per_operator": decisions_per_operator(),
        "notifications_last_24h": alerts.notifications_since(since=now - timedelta(hours=24))["total"],
        "deliveries": alerts.deliveries_by_status(),
        "failing_channels": alerts.failing_channels(since=now - timedelta(days=7)),
        "oldest_pending_age_seconds": int((now - oldest).total_seconds()) if oldest else None,
        "health": {
            "recommendation_acceptance_rate": _ratio(answered["accepted"], answered["total"]),
            "notification_read_rate": _ratio(read["read"], read["total"]),
            "alert_rules_disabled_share": _ratio(rules["disabled"], rules["total"]),
            "transaction_to_in_app_p95_ms": _percentile(alerts.in_app_latencies_ms(sample=RECENT_SAMPLE), 0.95),
            "recommendation_generation_ms": {"p50": _percentile(generation, 0.5), "p95": _percentile(generation, 0.95)},
        },
    }
