"""Generate recommendations (pending_review, never twice while one is open) and the user's answers."""

import time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from finance.selectors import budget_of_user
from finance.services import budget_update
from insights import cache
from insights.analytics.recommendations import generate
from insights.analytics.recommendations.text import TemplateText, TextProvider
from insights.models import OPEN, VISIBLE_STATUSES, Recommendation, RecommendationKind, UserStatus
from insights.selectors.consent import RECOMMENDATIONS, user_consents, users_consenting
from insights.selectors.recommendations import recommendation_context
from insights.services.profiles import profile_fresh


def text_provider() -> TextProvider:
    """INSIGHTS_TEXT_PROVIDER (a dotted path to a class), or the templates' own words."""
    path = getattr(settings, "INSIGHTS_TEXT_PROVIDER", "")
    return import_string(path)() if path else TemplateText()


def recommendations_generate(*, user) -> list[Recommendation]:
    """New drafts for one user, saved as pending_review; nothing without recommendations consent."""
    if not user_consents(user=user, scopes=(RECOMMENDATIONS,)):
        return []
    started = time.perf_counter()
    profile = profile_fresh(user=user, window=180)
    drafts = generate(recommendation_context(user=user, profile=profile), text=text_provider())
    elapsed_ms = round((time.perf_counter() - started) * 1000)
    with transaction.atomic():
        open_subjects = set(Recommendation.objects.filter(OPEN, user=user).values_list("subject_key", flat=True))
        rows = [
            Recommendation(
                user=user, kind=d.kind, title=d.title, body=d.body, rationale=d.rationale,
                confidence=round(min(1.0, max(0.0, d.confidence)), 3), difficulty=d.difficulty,
                estimated_monthly_savings=d.estimated_monthly_savings,
                data={**d.data, "persona": profile.persona, "criteria_met": profile.criteria_met},
                persona=profile.persona, subject_key=d.subject_key, generation_ms=elapsed_ms,
            )
            for d in drafts
            if d.subject_key not in open_subjects
        ]  # fmt: skip
        # a concurrent run may have opened the same subject meanwhile: the partial unique constraint decides
        return Recommendation.objects.bulk_create(rows, ignore_conflicts=True)


def recommendations_generate_all(*, user_ids: list[int] | None = None) -> int:
    """Every user who consents to recommendations (consent re-checked per user as it runs)."""
    created = 0
    for user in users_consenting(RECOMMENDATIONS, user_ids=user_ids).iterator():
        created += len(recommendations_generate(user=user))
    return created


def _answerable(*, user, recommendation: Recommendation) -> Recommendation:
    locked = (
        Recommendation.objects.select_for_update()
        .filter(pk=recommendation.pk, user=user, status__in=VISIBLE_STATUSES)
        .first()
    )
    if locked is None:
        raise Recommendation.DoesNotExist
    if locked.user_status != UserStatus.NEW:
        raise ValidationError({"detail": f"This recommendation was already {locked.user_status}."})
    return locked


def _apply_budget_changes(*, user, changes: list[dict]) -> list[dict]:
    applied = []
    for change in changes:
        budget = budget_of_user(user=user, budget_id=change["budget_id"])
        if budget is None:
            raise ValidationError({"detail": f"The {change['category']} budget no longer exists."})
        before = budget.amount
        budget_update(user=user, budget=budget, amount=Decimal(change["to"]))
        applied.append({"budget_id": budget.pk, "category": change["category"], "from": f"{before:.2f}",
                        "to": change["to"], "applied_at": timezone.now().isoformat()})  # fmt: skip
    return applied


@transaction.atomic
def recommendation_accept(*, user, recommendation: Recommendation) -> Recommendation:
    """Accept; a budget_adjustment applies its budget changes (recorded in data["applied"])."""
    recommendation = _answerable(user=user, recommendation=recommendation)
    if recommendation.kind == RecommendationKind.BUDGET_ADJUSTMENT:
        applied = _apply_budget_changes(user=user, changes=recommendation.data.get("changes", []))
        recommendation.data = {**recommendation.data, "applied": applied}
    recommendation.user_status = UserStatus.ACCEPTED
    recommendation.answered_at = timezone.now()
    recommendation.save(update_fields=["user_status", "answered_at", "data"])
    transaction.on_commit(lambda: cache.user_changed(user.pk))
    return recommendation


@transaction.atomic
def recommendation_dismiss(*, user, recommendation: Recommendation, feedback: str = "") -> Recommendation:
    if len(feedback) > 2000:
        raise ValidationError({"feedback": ["Keep feedback under 2000 characters."]})
    recommendation = _answerable(user=user, recommendation=recommendation)
    recommendation.user_status = UserStatus.DISMISSED
    recommendation.feedback = feedback.strip()
    recommendation.answered_at = timezone.now()
    recommendation.save(update_fields=["user_status", "feedback", "answered_at"])
    transaction.on_commit(lambda: cache.user_changed(user.pk))
    return recommendation
