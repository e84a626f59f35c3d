"""A recommendation as operators' review changes it. operators.services.decisions decides and keeps
the audit trail; these lock and save the recommendation, and make the user's next read show it."""

from django.db import transaction
from django.utils import timezone

from insights import cache
from insights.models import Recommendation, ReviewStatus

# What a review may change, and what its audit row records before and after.
REVIEWED_FIELDS = ("status", "title", "body", "original_title", "original_body", "user_status")
TITLE_MAX_LENGTH = Recommendation._meta.get_field("title").max_length


class RecommendationNotPending(Exception):
    """The recommendation is no longer waiting for review."""


def recommendation_pending_lock(*, recommendation_id: int) -> Recommendation:
    """The pending recommendation, locked until the caller's transaction ends; Recommendation.DoesNotExist
    for an unknown id, RecommendationNotPending once it has been decided."""
    recommendation = Recommendation.objects.select_for_update().select_related("user").get(id=recommendation_id)
    if recommendation.status != ReviewStatus.PENDING_REVIEW:
        raise RecommendationNotPending(
            f"Recommendation {recommendation_id} is {recommendation.status}, not pending review."
        )
    return recommendation


def recommendations_pending_lock(*, user) -> list[Recommendation]:
    """The user's pending recommendations, locked until the caller's transaction ends."""
    return list(Recommendation.objects.select_for_update().filter(user=user, status=ReviewStatus.PENDING_REVIEW))


def recommendation_reviewed_fields(recommendation: Recommendation) -> dict:
    return {name: getattr(recommendation, name) for name in REVIEWED_FIELDS}


def recommendation_review_save(*, recommendation: Recommendation, **changes) -> Recommendation:
    """Apply a review's `changes` (among REVIEWED_FIELDS) inside the caller's transaction."""
    unknown = set(changes) - set(REVIEWED_FIELDS)
    if unknown:
        raise ValueError(f"A review does not change {', '.join(sorted(unknown))}.")
    for name, value in changes.items():
        setattr(recommendation, name, value)
    recommendation.reviewed_at = timezone.now()
    recommendation.save(update_fields=[*changes, "reviewed_at"])
    transaction.on_commit(lambda: cache.user_changed(recommendation.user_id))
    return recommendation
