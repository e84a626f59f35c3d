"""Reads of the recommendations' review, for operators' queue and dashboard."""

from django.db.models import Count, Q, QuerySet

from insights.models import Profile, Recommendation, ReviewStatus, UserStatus


def review_queue(*, status: str | None = None) -> QuerySet[Recommendation]:
    """Oldest first, with their users; only those in `status` when given."""
    queryset = Recommendation.objects.select_related("user").order_by("created_at", "id")
    return queryset if status is None else queryset.filter(status=status)


def recommendation_for_review(*, recommendation_id: int) -> Recommendation | None:
    return Recommendation.objects.filter(pk=recommendation_id).first()


def persona_distribution(*, window: int = 30) -> dict[str, int]:
    rows = Profile.objects.filter(window=window).values("persona").annotate(users=Count("id")).order_by("-users")
    return {row["persona"]: row["users"] for row in rows}


def recommendations_by_status() -> dict[str, int]:
    counts = dict(Recommendation.objects.values_list("status").annotate(n=Count("id")).order_by())
    return {status: counts.get(status, 0) for status in ReviewStatus.values}


def oldest_pending_created_at():
    return (
        Recommendation.objects.filter(status=ReviewStatus.PENDING_REVIEW)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def recommendations_answered() -> dict[str, int]:
    """Of the recommendations users saw, how many they answered, and how many of those they accepted."""
    return Recommendation.objects.filter(
        status__in=(ReviewStatus.APPROVED, ReviewStatus.OVERRIDDEN),
        user_status__in=(UserStatus.ACCEPTED, UserStatus.DISMISSED),
    ).aggregate(total=Count("id"), accepted=Count("id", filter=Q(user_status=UserStatus.ACCEPTED)))


def recent_generation_ms(*, sample: int) -> list[float]:
    return list(Recommendation.objects.order_by("-id").values_list("generation_ms", flat=True)[:sample])
