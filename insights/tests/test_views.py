from decimal import Decimal

import pytest
from django.utils import timezone

from finance.models import Budget
from finance.services import budget_create
from insights.models import Recommendation
from insights.services import benchmarks_compute
from insights.tests.factories import approve, bulk_spending, checking, spend

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/insights/", "/recommendations/"])
def test_anonymous_is_sent_to_login(anon_client, path):
    response = anon_client.get(path)
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("path", ["/insights/", "/recommendations/"])
def test_staff_sees_their_own_pages(staff_client, path):
    assert staff_client.get(path).status_code == 200


def test_insights_page_shows_breakdown_score_persona_and_peers(
    alice_consents, alice_client, peers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        spend(alice_consents, checking(alice_consents), "42.00", category="groceries")
    bulk_spending([(alice_consents, checking(alice_consents), "groceries", Decimal("1.00"), timezone.now())])
    benchmarks_compute()
    page = alice_client.get("/insights/").content.decode()
    assert "Your score:" in page
    # Categories by the name people gave them, in the table and the peers' chart and sentences.
    assert "<td>Groceries</td>" in page and ">Groceries</text>" in page and "<li>Groceries: you spent" in page
    assert ">groceries" not in page
    assert "43.00" in page  # the bulk row too: the page reads the ledger
    assert "Your profile: General" in page
    assert "Projected month-end: <strong>" in page
    assert 'class="box"' in page and "more than" in page


def test_insights_page_without_benchmarking_consent_says_so(alice, alice_client):
    assert "need your benchmarking consent" in alice_client.get("/insights/").content.decode()


def make_shown(user, **fields) -> Recommendation:
    values = {"kind": "education", "title": "Three habits", "body": "Log daily.", "rationale": "Because you asked.",
              "confidence": 0.5, "difficulty": "easy", "subject_key": "education:general"}  # fmt: skip
    recommendation = Recommendation.objects.create(user=user, **{**values, **fields})
    approve(recommendation)
    return recommendation


def test_recommendations_page_lists_approved_ones_with_forms(alice, alice_client, bob_client):
    make_shown(alice)
    Recommendation.objects.create(user=alice, kind="volatility", title="Pending one", body="b", rationale="r",
                                  confidence=0.5, difficulty="easy", subject_key="volatility:x")  # fmt: skip
    page = alice_client.get("/recommendations/").content.decode()
    assert "Three habits" in page and "Because you asked." in page
    assert "Pending one" not in page
    assert 'for="feedback-' in page and "aria-describedby" in page
    assert "Three habits" not in bob_client.get("/recommendations/").content.decode()


def test_accepting_a_budget_adjustment_from_the_page(alice, alice_client):
    dining = budget_create(user=alice, amount="200.00", category="dining")
    change = {"budget_id": dining.pk, "category": "dining", "from": "200.00", "to": "250.00"}
    shown = make_shown(
        alice, kind="budget_adjustment", subject_key="budget_adjustment:dining", data={"changes": [change]}
    )
    response = alice_client.post(f"/recommendations/{shown.pk}/accept/", follow=True)
    assert "Accepted" in response.content.decode()
    assert Budget.objects.get(pk=dining.pk).amount == Decimal("250.00")


def test_dismiss_with_feedback_from_the_page(alice, alice_client, bob_client, staff_client):
    shown = make_shown(alice)
    assert bob_client.post(f"/recommendations/{shown.pk}/dismiss/", {"feedback": "x"}).status_code == 404
    assert staff_client.post(f"/recommendations/{shown.pk}/dismiss/", {"feedback": "x"}).status_code == 404
    response = alice_client.post(f"/recommendations/{shown.pk}/dismiss/", {"feedback": "Not now"}, follow=True)
    assert "Dismissed" in response.content.decode()
    shown.refresh_from_db()
    assert (shown.user_status, shown.feedback) == ("dismissed", "Not now")
    assert "You dismissed this suggestion." in alice_client.get("/recommendations/").content.decode()
