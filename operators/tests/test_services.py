import pytest
from django.core.exceptions import ValidationError

from alerts.models import Notification
from insights.models import Recommendation
from operators.models import ReviewDecision
from operators.services import (
    DecisionConflict,
    recommendation_approve,
    recommendation_override,
    recommendation_reject,
    recommendations_bulk_approve,
)
from operators.tests.factories import RecommendationFactory


def test_approve_records_decision_and_notifies_the_user(operator, pending, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        recommendation_approve(operator=operator, recommendation_id=pending.id, notes="Looks right")

    pending.refresh_from_db()
    assert pending.status == "approved"
    assert pending.reviewed_at is not None
    decision = ReviewDecision.objects.get(recommendation=pending)
    assert (decision.operator, decision.action, decision.notes) == (operator, "approve", "Looks right")
    assert decision.before["status"] == "pending_review"
    assert decision.after["status"] == "approved"
    notification = Notification.objects.get(user=pending.user, kind="recommendation")
    assert notification.title == pending.title
    assert notification.data["recommendation_id"] == pending.id


def test_a_decided_recommendation_cannot_be_decided_again(operator, pending):
    recommendation_approve(operator=operator, recommendation_id=pending.id)
    with pytest.raises(DecisionConflict):
        recommendation_reject(operator=operator, recommendation_id=pending.id, reason="too late")
    assert ReviewDecision.objects.filter(recommendation=pending).count() == 1


@pytest.mark.parametrize("reason", ["", "   "])
def test_reject_needs_a_reason_and_writes_nothing_without_one(operator, pending, reason):
    with pytest.raises(ValidationError) as error:
        recommendation_reject(operator=operator, recommendation_id=pending.id, reason=reason)
    assert "reason" in error.value.message_dict
    pending.refresh_from_db()
    assert pending.status == "pending_review"
    assert not ReviewDecision.objects.exists()


def test_reject_does_not_notify(operator, pending, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        recommendation_reject(operator=operator, recommendation_id=pending.id, reason="Rationale is weak")
    pending.refresh_from_db()
    assert pending.status == "rejected"
    assert ReviewDecision.objects.get(recommendation=pending).reason == "Rationale is weak"
    assert not Notification.objects.filter(kind="recommendation").exists()


def test_override_keeps_the_original_and_notifies_with_the_new_text(
    operator, pending, django_capture_on_commit_callbacks
):
    original_title, original_body = pending.title, pending.body
    with django_capture_on_commit_callbacks(execute=True):
        recommendation_override(
            operator=operator, recommendation_id=pending.id, title="Try a weekly dining budget", reason="Kinder tone"
        )
    pending.refresh_from_db()
    assert pending.status == "overridden"
    assert pending.title == "Try a weekly dining budget"
    assert pending.body == original_body
    assert (pending.original_title, pending.original_body) == (original_title, original_body)
    decision = ReviewDecision.objects.get(recommendation=pending)
    assert decision.before["title"] == original_title
    assert decision.after["title"] == "Try a weekly dining budget"
    assert Notification.objects.get(kind="recommendation").title == "Try a weekly dining budget"


def test_override_needs_a_reason_and_some_new_text(operator, pending):
    with pytest.raises(ValidationError) as error:
        recommendation_override(operator=operator, recommendation_id=pending.id, reason="", title="", body="")
    assert set(error.value.message_dict) == {"reason", "title"}
    assert Recommendation.objects.get(id=pending.id).status == "pending_review"


def test_bulk_approve_reports_each_failure_and_keeps_the_successes(operator, pending, alice):
    second = RecommendationFactory(user=alice)
    already = RecommendationFactory(user=alice, status="rejected")
    result = recommendations_bulk_approve(
        operator=operator, recommendation_ids=[pending.id, second.id, already.id, 999_999]
    )
    assert result.approved == [pending.id, second.id]
    assert result.failed == [already.id, 999_999]
    assert Recommendation.objects.filter(status="approved").count() == 2
    assert ReviewDecision.objects.count() == 2
