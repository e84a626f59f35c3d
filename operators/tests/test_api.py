import pytest

from conftest import api_client_for
from operators.models import ReviewDecision
from operators.tests.factories import RecommendationFactory

QUEUE = "/api/v1/operator/recommendations/"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", QUEUE),
        ("post", QUEUE + "{id}/approve/"),
        ("post", QUEUE + "{id}/reject/"),
        ("post", QUEUE + "{id}/override/"),
        ("post", QUEUE + "bulk-approve/"),
        ("get", "/api/v1/operator/dashboard/"),
        ("get", "/api/v1/operator/users/{user}/signals/"),
    ],
)
def test_only_staff_may_use_the_operator_api(method, path, anon_api, alice_api, pending):
    path = path.format(id=pending.id, user=pending.user_id)
    assert getattr(anon_api, method)(path).status_code == 401
    assert getattr(alice_api, method)(path).status_code == 403
    pending.refresh_from_db()
    assert pending.status == "pending_review"
    assert not ReviewDecision.objects.exists()


def test_queue_lists_oldest_first_with_user_persona_and_signals(staff_api, pending, alice):
    newer = RecommendationFactory(user=alice)
    response = staff_api.get(QUEUE, {"status": "pending_review"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [row["id"] for row in results] == [pending.id, newer.id]
    first = results[0]
    assert first["user"] == alice.id
    assert first["status"] == "pending_review"
    assert first["persona"] == "general"
    assert first["signals"]["category"] == "dining"


def test_queue_rejects_an_unknown_status(staff_api):
    response = staff_api.get(QUEUE, {"status": "maybe"})
    assert response.status_code == 400
    assert "status" in response.json()


def test_approve_then_the_user_sees_it(staff_api, alice_api, pending, django_capture_on_commit_callbacks):
    assert alice_api.get("/api/v1/recommendations/").json()["results"] == []
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_api.post(f"{QUEUE}{pending.id}/approve/", {"notes": "fine"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    shown = alice_api.get("/api/v1/recommendations/").json()["results"]
    assert [row["id"] for row in shown] == [pending.id]
    assert alice_api.get("/api/v1/notifications/", {"kind": "recommendation"}).json()["results"][0]["title"] == (
        pending.title
    )


def test_deciding_twice_is_a_conflict(staff_api, pending):
    assert staff_api.post(f"{QUEUE}{pending.id}/approve/").status_code == 200
    response = staff_api.post(f"{QUEUE}{pending.id}/reject/", {"reason": "late"}, format="json")
    assert response.status_code == 409
    assert "approved" in response.json()["detail"]


def test_reject_requires_a_reason(staff_api, pending):
    response = staff_api.post(f"{QUEUE}{pending.id}/reject/", {}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    assert not ReviewDecision.objects.exists()


def test_override_keeps_the_original(staff_api, pending):
    response = staff_api.post(
        f"{QUEUE}{pending.id}/override/", {"body": "A gentler body.", "reason": "tone"}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["body"], body["original_body"]) == ("overridden", "A gentler body.", pending.body)


def test_override_without_reason_names_the_field(staff_api, pending):
    response = staff_api.post(f"{QUEUE}{pending.id}/override/", {"title": "New"}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()


def test_deciding_a_missing_recommendation_is_404(staff_api, db):
    assert staff_api.post(f"{QUEUE}999999/approve/").status_code == 404


def test_bulk_approve_counts(staff_api, pending, alice):
    done = RecommendationFactory(user=alice, status="approved")
    response = staff_api.post(f"{QUEUE}bulk-approve/", {"ids": [pending.id, done.id]}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["approved"], body["failed"]) == (1, 1)
    assert body["approved_ids"] == [pending.id]
    assert body["errors"][0]["id"] == done.id


@pytest.mark.parametrize("payload", [{}, {"ids": []}, {"ids": ["x"]}, {"ids": [-1]}])
def test_bulk_approve_validates_ids(staff_api, payload, db):
    response = staff_api.post(f"{QUEUE}bulk-approve/", payload, format="json")
    assert response.status_code == 400
    assert "ids" in response.json()


def test_dashboard_figures(staff_api, operator, pending, alice, django_capture_on_commit_callbacks):
    RecommendationFactory(user=alice, status="approved", user_status="accepted")
    RecommendationFactory(user=alice, status="approved", user_status="dismissed")
    with django_capture_on_commit_callbacks(execute=True):
        api_client_for(operator).post(f"{QUEUE}{pending.id}/reject/", {"reason": "no"}, format="json")

    body = staff_api.get("/api/v1/operator/dashboard/").json()
    assert body["total_users"] >= 3
    assert body["users_with_consent"]["recommendations"] == 1
    assert body["recommendations"]["rejected"] == 1
    assert body["recommendations"]["approved"] == 2
    assert body["decisions_per_operator"][0]["operator"] == operator.email
    assert body["health"]["recommendation_acceptance_rate"] == 0.5
    for key in ("persona_distribution", "notifications_last_24h", "deliveries", "oldest_pending_age_seconds"):
        assert key in body


def test_user_signals_for_an_unknown_user_is_404(staff_api, db):
    assert staff_api.get("/api/v1/operator/users/999999/signals/").status_code == 404


def test_user_signals_has_both_windows(staff_api, alice):
    response = staff_api.get(f"/api/v1/operator/users/{alice.id}/signals/")
    assert response.status_code == 200
    windows = response.json()["windows"]
    assert set(windows) == {"30", "180"}
    assert windows["30"]["persona"]["slug"]


def test_dashboard_measures_transaction_to_in_app_latency(staff_api, alice, transactional_db):
    from decimal import Decimal

    from finance.services import account_create, budget_create, transaction_record

    account = account_create(user=alice, name="Checking", currency="EUR")
    budget_create(user=alice, category="groceries", amount=Decimal("100.00"))
    transaction_record(user=alice, account=account, amount=Decimal("90.00"), category="groceries")

    health = staff_api.get("/api/v1/operator/dashboard/").json()["health"]
    assert health["transaction_to_in_app_p95_ms"] is not None
    assert health["transaction_to_in_app_p95_ms"] >= 0
