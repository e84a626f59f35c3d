import pytest
from django.urls import reverse

from conftest import make_user, page_client_for
from insights.models import Recommendation
from operators.models import ReviewDecision
from operators.tests.factories import RecommendationFactory

QUEUE = reverse("admin:insights_recommendation_changelist")


def change_url(recommendation):
    return reverse("admin:insights_recommendation_change", args=[recommendation.id])


def decide_url(recommendation, action):
    return reverse("admin:operators_recommendation_decide", args=[recommendation.id, action])


def test_non_staff_are_sent_to_the_admin_login(alice_client, pending):
    response = alice_client.get(QUEUE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_staff_without_the_operators_permissions_get_403(staff_client, pending):
    assert staff_client.get(QUEUE).status_code == 403
    assert staff_client.post(decide_url(pending, "approve")).status_code == 403
    assert staff_client.get("/admin/operators/dashboard/").status_code == 403


def test_queue_shows_pending_first_then_oldest_first(operator, alice, pending):
    decided = RecommendationFactory(user=alice, status="approved", title="Already approved")
    newer = RecommendationFactory(user=alice, title="Newer pending")
    response = page_client_for(operator).get(QUEUE)
    assert response.status_code == 200
    order = [row.pk for row in response.context["cl"].result_list]
    assert order == [pending.pk, newer.pk, decided.pk]


@pytest.mark.parametrize(
    ("query", "expected"),
    [({"status__exact": "approved"}, 1), ({"confidence": "high"}, 1), ({"q": "alice@"}, 3), ({"q": "nobody"}, 0)],
)
def test_queue_filters_and_search(operator, alice, pending, query, expected):
    RecommendationFactory(user=alice, status="approved", confidence=0.9)
    RecommendationFactory(user=alice, persona="subscription_heavy")
    response = page_client_for(operator).get(QUEUE, query)
    assert response.context["cl"].result_count == expected


def test_change_page_shows_persona_signals_rationale_and_decisions(operator, pending):
    response = page_client_for(operator).get(change_url(pending))
    content = response.content.decode()
    assert response.status_code == 200
    assert "general" in content
    assert "412.00" in content
    assert pending.rationale in content
    for action in ("approve", "reject", "override"):
        assert f'action="{decide_url(pending, action)}"' in content


def test_approve_from_the_change_page(operator, pending):
    client = page_client_for(operator)
    response = client.post(decide_url(pending, "approve"), {"notes": "ok"}, follow=True)
    assert response.redirect_chain[-1][0] == QUEUE
    assert "approve recorded" in response.content.decode()
    assert Recommendation.objects.get(id=pending.id).status == "approved"


def test_reject_without_reason_shows_an_error_and_changes_nothing(operator, pending):
    response = page_client_for(operator).post(decide_url(pending, "reject"), {"reason": ""}, follow=True)
    assert "Could not reject" in response.content.decode()
    assert Recommendation.objects.get(id=pending.id).status == "pending_review"
    assert not ReviewDecision.objects.exists()


def test_override_from_the_change_page_keeps_the_original(operator, pending):
    original_title = pending.title
    page_client_for(operator).post(
        decide_url(pending, "override"), {"title": "Kinder title", "body": "", "reason": "tone"}
    )
    pending.refresh_from_db()
    assert (pending.status, pending.title, pending.original_title) == ("overridden", "Kinder title", original_title)
    response = page_client_for(operator).get(change_url(pending))
    assert original_title in response.content.decode()


def test_bulk_approve_action(operator, alice, pending):
    second = RecommendationFactory(user=alice)
    page_client_for(operator).post(
        QUEUE, {"action": "bulk_approve", "_selected_action": [pending.id, second.id]}, follow=True
    )
    assert Recommendation.objects.filter(status="approved").count() == 2
    assert ReviewDecision.objects.filter(action="approve").count() == 2


def test_audit_rows_cannot_be_added_changed_or_deleted_even_by_a_superuser(operator, pending):
    page_client_for(operator).post(decide_url(pending, "approve"), {})
    decision = ReviewDecision.objects.get()
    root = make_user("root@example.com", is_staff=True, is_superuser=True)
    client = page_client_for(root)
    assert client.get(reverse("admin:operators_reviewdecision_add")).status_code == 403
    assert (
        client.post(reverse("admin:operators_reviewdecision_delete", args=[decision.id]), {"post": "yes"}).status_code
        == 403
    )
    client.post(reverse("admin:operators_reviewdecision_change", args=[decision.id]), {"reason": "edited"})
    decision.refresh_from_db()
    assert decision.reason == ""
    assert ReviewDecision.objects.count() == 1


def test_operator_dashboard_page(operator, pending):
    response = page_client_for(operator).get("/admin/operators/dashboard/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "People by profile" in content
    assert "1 waiting for review" in content
    # Statuses and consent scopes in people's words, never the stored values.
    assert '<th scope="row">Waiting for review</th>' in content and "Peer benchmarking" in content
    assert "pending_review" not in content.replace("status__exact=pending_review", "")
    assert "data_processing" not in content
