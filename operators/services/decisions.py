"""Operators' decisions on recommendations: the admin and the operator API both call these.

Each decision changes the recommendation and writes its ReviewDecision audit row in one
database transaction; an approved or overridden recommendation notifies its user.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction

from alerts.services import notify
from insights.choices import ReviewStatus
from insights.services.reviews import (
    TITLE_MAX_LENGTH,
    RecommendationNotPending,
    recommendation_pending_lock,
    recommendation_review_save,
    recommendation_reviewed_fields,
    recommendations_pending_lock,
)
from operators.models import DecisionAction, ReviewDecision

if TYPE_CHECKING:
    from insights.models import Recommendation

# The recommendation was decided already: the API answers 409, the admin shows the message.
DecisionConflict = RecommendationNotPending


@dataclass
class BulkResult:
    approved: list[int] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    @property
    def failed(self) -> list[int]:
        return [error["id"] for error in self.errors]


def _decide(*, operator, recommendation, action: str, reason: str = "", notes: str = "", **changes):
    before = recommendation_reviewed_fields(recommendation)
    recommendation_review_save(recommendation=recommendation, **changes)
    ReviewDecision.objects.create(
        recommendation=recommendation,
        operator=operator,
        action=action,
        reason=reason,
        notes=notes,
        before=before,
        after=recommendation_reviewed_fields(recommendation),
    )
    if recommendation.status in (ReviewStatus.APPROVED, ReviewStatus.OVERRIDDEN):
        notify(
            user=recommendation.user,
            kind="recommendation",
            severity="info",
            title=recommendation.title,
            body=recommendation.body,
            data={"recommendation_id": recommendation.id, "kind": recommendation.kind},
            dedup_key=f"recommendation:{recommendation.id}",
        )
    return recommendation


def _decide_pending(
    *,
    operator,
    recommendation_id: int,
    action: str,
    status: str,
    reason: str = "",
    notes: str = "",
    title: str | None = None,
    body: str | None = None,
) -> Recommendation:
    """Lock the pending recommendation and decide; a new title or body keeps the original text beside it."""
    recommendation = recommendation_pending_lock(recommendation_id=recommendation_id)
    changes: dict = {"status": status}
    if title is not None or body is not None:
        changes |= {
            "original_title": recommendation.title,
            "original_body": recommendation.body,
            "title": title or recommendation.title,
            "body": body or recommendation.body,
        }
    return _decide(
        operator=operator, recommendation=recommendation, action=action, reason=reason, notes=notes, **changes
    )  # fmt: skip


def _reason_required(reason: str | None, doing: str) -> dict[str, list[str]]:
    return {} if (reason or "").strip() else {"reason": [f"A reason is required to {doing} a recommendation."]}


@transaction.atomic
def recommendation_approve(*, operator, recommendation_id: int, notes: str = "") -> Recommendation:
    return _decide_pending(
        operator=operator, recommendation_id=recommendation_id, action=DecisionAction.APPROVE,
        status=ReviewStatus.APPROVED, notes=notes.strip(),
    )  # fmt: skip


@transaction.atomic
def recommendation_reject(*, operator, recommendation_id: int, reason: str) -> Recommendation:
    errors = _reason_required(reason, "reject")
    if errors:
        raise ValidationError(errors)
    return _decide_pending(
        operator=operator, recommendation_id=recommendation_id, action=DecisionAction.REJECT,
        status=ReviewStatus.REJECTED, reason=reason.strip(),
    )  # fmt: skip


@transaction.atomic
def recommendation_override(
    *, operator, recommendation_id: int, reason: str, title: str | None = None, body: str | None = None
) -> Recommendation:
    errors = _reason_required(reason, "override")
    title = (title or "").strip() or None
    body = (body or "").strip() or None
    if title is None and body is None:
        errors["title"] = ["Give a new title, a new body, or both."]
    if title is not None and len(title) > TITLE_MAX_LENGTH:
        errors["title"] = ["The title is too long (200 characters at most)."]
    if errors:
        raise ValidationError(errors)
    return _decide_pending(
        operator=operator, recommendation_id=recommendation_id, action=DecisionAction.OVERRIDE,
        status=ReviewStatus.OVERRIDDEN, reason=reason.strip(), title=title, body=body,
    )  # fmt: skip


def recommendations_bulk_approve(*, operator, recommendation_ids: list[int], notes: str = "") -> BulkResult:
    """Approve each one in its own transaction, so one conflict does not undo the others."""
    result = BulkResult()
    for recommendation_id in dict.fromkeys(recommendation_ids):
        try:
            recommendation_approve(operator=operator, recommendation_id=recommendation_id, notes=notes)
        except ObjectDoesNotExist:
            result.errors.append({"id": recommendation_id, "message": "No such recommendation."})
        except DecisionConflict as conflict:
            result.errors.append({"id": recommendation_id, "message": str(conflict)})
        else:
            result.approved.append(recommendation_id)
    return result


@transaction.atomic
def recommendations_withdraw_pending(*, user, reason: str) -> int:
    """The user withdrew consent: their pending recommendations never reach them."""
    pending = recommendations_pending_lock(user=user)
    for recommendation in pending:
        _decide(
            operator=None,
            recommendation=recommendation,
            action=DecisionAction.WITHDRAW,
            reason=reason,
            status=ReviewStatus.WITHDRAWN,
        )
    return len(pending)
