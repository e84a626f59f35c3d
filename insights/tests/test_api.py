from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from insights.models import Anomaly, Recommendation
from insights.services import anomalies_detect, benchmarks_compute
from insights.tests.factories import approve, bulk_spending, checking, days_ago, revoke, spend

pytestmark = pytest.mark.django_db

INSIGHTS = ["/api/v1/insights/summary/", "/api/v1/insights/score/", "/api/v1/insights/profile/",
            "/api/v1/insights/anomalies/", "/api/v1/recommendations/"]  # fmt: skip


def recommendation_for(user, **fields) -> Recommendation:
    values = {"kind": "education", "title": "Three habits", "body": "Log daily.", "rationale": "Because.",
              "confidence": 0.5, "difficulty": "easy", "subject_key": "education:general"}  # fmt: skip
    return Recommendation.objects.create(user=user, **{**values, **fields})


@pytest.mark.parametrize("path", INSIGHTS)
def test_anonymous_gets_401(anon_api, path):
    assert anon_api.get(path).status_code == 401


@pytest.mark.parametrize("path", INSIGHTS)
def test_staff_sees_their_own_insights(staff_api, path):
    assert staff_api.get(path).status_code == 200


def test_summary_of_the_month(alice, alice_api, django_capture_on_commit_callbacks):
    account = checking(alice)
    with django_capture_on_commit_callbacks(execute=True):
        spend(alice, account, "30.00", merchant="Bakery", category="dining")
    body = alice_api.get("/api/v1/insights/summary/").json()
    assert body["total_spent"] == "30.00"
    assert body["currency"] == "EUR"
    assert body["by_category"][0] == {"category": "dining", "spent": "30.00", "budget": None, "percent": None}
    assert body["top_merchants"] == [{"merchant": "Bakery", "spent": "30.00", "count": 1}]
    assert set(body["burn_rate"]) == {"per_day", "projected_total", "days_left"}
    assert {"previous", "average", "daily", "start", "end", "period", "month"} <= set(body)


def test_cached_summary_is_invalidated_by_a_new_transaction(alice, alice_api, django_capture_on_commit_callbacks):
    account = checking(alice)
    with django_capture_on_commit_callbacks(execute=True):
        spend(alice, account, "30.00")
    assert alice_api.get("/api/v1/insights/summary/").json()["total_spent"] == "30.00"
    with django_capture_on_commit_callbacks(execute=True):
        spend(alice, account, "5.00")
    assert alice_api.get("/api/v1/insights/summary/").json()["total_spent"] == "35.00"


def test_others_spending_never_shows(alice, bob_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        spend(alice, checking(alice), "30.00")
    assert bob_api.get("/api/v1/insights/summary/").json()["total_spent"] == "0.00"


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/insights/summary/?period=decade", "period"),
        ("/api/v1/insights/summary/?date=yesterday", "date"),
        ("/api/v1/insights/score/?month=2026-13", "month"),
        ("/api/v1/insights/profile/?window=7", "window"),
        ("/api/v1/insights/anomalies/?month=june", "month"),
    ],
)
def test_bad_input_is_400_naming_the_field(alice_api, path, field):
    response = alice_api.get(path)
    assert response.status_code == 400
    assert field in response.json()


def test_score_shows_its_components(alice, alice_api):
    spend(alice, checking(alice), "10.00")
    body = alice_api.get("/api/v1/insights/score/").json()
    assert 0 <= body["score"] <= 100
    assert body["components"]["tracking_discipline"] == {"score": 100, "weight": 0.4}
    assert body["components"]["budget_adherence"]["weight"] == 0.3


def test_benchmark_and_comparison_with_a_cohort_of_10(alice_consents, alice_api, peers):
    bulk_spending([(alice_consents, checking(alice_consents), "groceries", Decimal("500.00"), timezone.now())])
    benchmarks_compute()
    body = alice_api.get("/api/v1/insights/benchmarks/groceries/").json()
    assert body["cohort_size"] == 10
    assert body["p50"] == "145.00"
    comparison = alice_api.get("/api/v1/insights/comparison/groceries/").json()
    assert comparison["amount"] == "500.00"
    assert comparison["outlier"] == "high"
    assert comparison["percentile_rank"] == 100.0


def test_cohort_under_10_is_404_saying_so(alice_consents, alice_api, peers):
    revoke(peers[0], "benchmarking")
    bulk_spending([(alice_consents, checking(alice_consents), "groceries", Decimal("50.00"), timezone.now())])
    benchmarks_compute()
    response = alice_api.get("/api/v1/insights/benchmarks/groceries/")
    assert response.status_code == 404
    assert "fewer than 10" in response.json()["detail"]
    assert alice_api.get("/api/v1/insights/comparison/groceries/").status_code == 404


def test_benchmarks_need_benchmarking_consent(alice_api, bob_api):
    assert alice_api.get("/api/v1/insights/benchmarks/groceries/").status_code == 403
    assert alice_api.get("/api/v1/insights/comparison/groceries/").status_code == 403


def test_unknown_category_is_404(alice_consents, alice_api):
    assert alice_api.get("/api/v1/insights/benchmarks/no-such-thing/").status_code == 404


def test_profile_is_fresh_after_new_data(alice, alice_api, django_capture_on_commit_callbacks):
    account = checking(alice)
    body = alice_api.get("/api/v1/insights/profile/?window=30").json()
    assert body["persona"]["slug"] == "general"
    assert body["signals"]["subscriptions"]["count"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        for days in (5, 35, 65):
            spend(alice, account, "9.99", merchant="Netflix", category="subscriptions", when=days_ago(days))
    body = alice_api.get("/api/v1/insights/profile/?window=30").json()
    assert body["signals"]["subscriptions"]["count"] == 1
    assert body["window"] == 30


def test_profile_needs_data_processing(alice, alice_api):
    revoke(alice, "data_processing")
    assert alice_api.get("/api/v1/insights/profile/").status_code == 403


def test_anomalies_of_the_month(alice, alice_api, bob_api):
    account = checking(alice)
    for days, amount in zip(range(20, 80, 10), ("18.00", "20.00", "22.00", "19.00", "21.00", "20.00"), strict=True):
        spend(alice, account, amount, when=days_ago(days))
    big = spend(alice, account, "400.00", when=timezone.now())
    anomalies_detect(user_ids=[alice.pk])
    month = Anomaly.objects.get().month.strftime("%Y-%m")
    results = alice_api.get(f"/api/v1/insights/anomalies/?month={month}").json()["results"]
    assert [r["transaction"] for r in results] == [big.pk]
    assert results[0]["score"] > 3.5 and "400.00" in results[0]["reason"]
    assert bob_api.get(f"/api/v1/insights/anomalies/?month={month}").json()["results"] == []


def test_only_approved_recommendations_are_listed(alice, alice_api, bob_api):
    recommendation_for(alice, subject_key="a")
    shown = recommendation_for(alice, subject_key="b", title="Shown")
    approve(shown)
    results = alice_api.get("/api/v1/recommendations/").json()["results"]
    assert [r["title"] for r in results] == ["Shown"]
    assert results[0]["user_status"] == "new"
    assert results[0]["estimated_monthly_savings"] == "0.00"
    assert bob_api.get("/api/v1/recommendations/").json()["results"] == []


def test_times_are_written_in_the_users_zone_as_the_ledger_api_writes_them(alice, alice_api):
    shown = recommendation_for(alice, created_at=datetime(2026, 7, 1, 6, 30, tzinfo=UTC))
    approve(shown)
    listed = alice_api.get("/api/v1/recommendations/").json()["results"]  # now cached
    assert listed[0]["created_at"] == "2026-07-01T08:30:00+02:00"  # alice lives in Berlin (summer time)

    alice.timezone = "Asia/Tokyo"  # the cached list follows a move (nothing else changed that would bump it)
    alice.save(update_fields=["timezone"])
    assert alice_api.get("/api/v1/recommendations/").json()["results"][0]["created_at"] == "2026-07-01T15:30:00+09:00"
    answered = alice_api.post(f"/api/v1/recommendations/{shown.pk}/accept/").json()
    assert answered["created_at"] == "2026-07-01T15:30:00+09:00"

    computed_at = datetime.fromisoformat(alice_api.get("/api/v1/insights/profile/?window=30").json()["computed_at"])
    assert computed_at.utcoffset() == timedelta(hours=9)


def test_accept_and_dismiss_with_the_access_cast(alice, alice_api, bob_api, anon_api, staff_api):
    first, second = recommendation_for(alice, subject_key="a"), recommendation_for(alice, subject_key="b")
    approve(first)
    approve(second)
    for client, code in ((anon_api, 401), (bob_api, 404), (staff_api, 404)):
        assert client.post(f"/api/v1/recommendations/{first.pk}/accept/").status_code == code
    response = alice_api.post(f"/api/v1/recommendations/{first.pk}/accept/")
    assert response.status_code == 200 and response.json()["user_status"] == "accepted"
    assert alice_api.post(f"/api/v1/recommendations/{first.pk}/accept/").status_code == 400
    response = alice_api.post(f"/api/v1/recommendations/{second.pk}/dismiss/", {"feedback": "Not for me"})
    assert response.json()["user_status"] == "dismissed"
    second.refresh_from_db()
    assert second.feedback == "Not for me"
    listed = {r["id"]: r["user_status"] for r in alice_api.get("/api/v1/recommendations/").json()["results"]}
    assert listed == {first.pk: "accepted", second.pk: "dismissed"}


def test_pending_recommendation_cannot_be_answered(alice, alice_api):
    pending = recommendation_for(alice)
    assert alice_api.post(f"/api/v1/recommendations/{pending.pk}/accept/").status_code == 404


def test_dismiss_feedback_too_long_is_400(alice, alice_api):
    shown = recommendation_for(alice)
    approve(shown)
    response = alice_api.post(f"/api/v1/recommendations/{shown.pk}/dismiss/", {"feedback": "x" * 2001})
    assert response.status_code == 400 and "feedback" in response.json()
