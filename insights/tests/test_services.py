from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from alerts.models import Notification
from finance.models import Budget
from finance.services import account_create, budget_create
from insights import services
from insights.models import Anomaly, Benchmark, Profile, Recommendation
from insights.tests.factories import approve, bulk_spending, checking, days_ago, person, revoke, spend

pytestmark = pytest.mark.django_db


def test_benchmarks_count_only_users_consenting_to_benchmarking(alice_consents, peers):
    outsider = person(scopes=())  # data processing only
    bulk_spending([(alice_consents, checking(alice_consents), "groceries", Decimal("50.00"), timezone.now()),
                   (outsider, checking(outsider), "groceries", Decimal("9999.00"), timezone.now())])  # fmt: skip
    services.benchmarks_compute()
    row = Benchmark.objects.get(cohort="all", category="groceries", month=timezone.now().date().replace(day=1))
    assert row.cohort_size == 10
    assert row.maximum == Decimal("180.00")


def test_benchmark_of_fewer_than_10_users_is_not_published(peers):
    services.benchmarks_compute()
    assert not Benchmark.objects.exists()


def test_revoked_data_processing_means_no_job_touches_the_user(alice_consents):
    account = checking(alice_consents)
    for days in (1, 20, 40, 60, 80, 100):
        spend(alice_consents, account, "10.00", when=days_ago(days))
    spend(alice_consents, account, "900.00", merchant="Jeweller", when=days_ago(1))
    revoke(alice_consents, "data_processing")

    services.profiles_compute()
    services.anomalies_detect()
    services.recommendations_generate_all()

    assert not Profile.objects.filter(user=alice_consents).exists()
    assert not Anomaly.objects.filter(user=alice_consents).exists()
    assert not Recommendation.objects.filter(user=alice_consents).exists()


def test_profiles_for_both_windows(alice):
    spend(alice, checking(alice), "10.00")
    assert services.profiles_compute(user_ids=[alice.pk]) == 2
    assert set(Profile.objects.filter(user=alice).values_list("window", flat=True)) == {30, 180}


def test_recommendations_wait_for_review_and_are_not_repeated_while_open(alice_consents):
    spend(alice_consents, checking(alice_consents), "10.00")
    first = services.recommendations_generate(user=alice_consents)
    assert first and {r.status for r in first} == {"pending_review"}
    assert services.recommendations_generate(user=alice_consents) == []

    education = Recommendation.objects.get(user=alice_consents, kind="education")
    approve(education)
    assert services.recommendations_generate(user=alice_consents) == []
    services.recommendation_dismiss(user=alice_consents, recommendation=education, feedback="Knew it")
    again = services.recommendations_generate(user=alice_consents)
    assert [r.kind for r in again] == ["education"]


def test_revoked_recommendations_consent_generates_none(alice_consents):
    spend(alice_consents, checking(alice_consents), "10.00")
    revoke(alice_consents, "recommendations")
    assert services.recommendations_generate(user=alice_consents) == []
    assert services.recommendations_generate_all() == 0


def test_generated_recommendation_carries_persona_signals_and_timing(alice_consents):
    spend(alice_consents, checking(alice_consents), "10.00")
    services.recommendations_generate(user=alice_consents)
    education = Recommendation.objects.get(user=alice_consents, kind="education")
    assert education.persona == "general"
    assert education.data["persona"] == "general"
    assert education.body.endswith("not financial advice.")
    assert education.generation_ms >= 0


def test_accepting_a_budget_adjustment_applies_it_through_finance(alice_consents):
    dining = budget_create(user=alice_consents, amount="200.00", category="dining")
    change = {"budget_id": dining.pk, "category": "dining", "from": "200.00", "to": "260.00"}
    recommendation = Recommendation.objects.create(
        user=alice_consents, kind="budget_adjustment", title="Raise dining", body="b", rationale="r", confidence=0.7,
        difficulty="easy", subject_key="budget_adjustment:dining", data={"changes": [change]},
    )  # fmt: skip
    approve(recommendation)
    accepted = services.recommendation_accept(user=alice_consents, recommendation=recommendation)
    assert Budget.objects.get(pk=dining.pk).amount == Decimal("260.00")
    assert accepted.user_status == "accepted"
    assert accepted.data["applied"][0]["from"] == "200.00"
    with pytest.raises(ValidationError):
        services.recommendation_accept(user=alice_consents, recommendation=recommendation)


def test_an_anomaly_notifies_once(alice, django_capture_on_commit_callbacks):
    account = checking(alice)
    for days, amount in zip(range(20, 80, 10), ("18.00", "20.00", "22.00", "19.00", "21.00", "20.00"), strict=True):
        spend(alice, account, amount, when=days_ago(days))
    spend(alice, account, "400.00", when=days_ago(1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.anomalies_detect(user_ids=[alice.pk]) == 1
        assert services.anomalies_detect(user_ids=[alice.pk]) == 0
    assert Notification.objects.filter(user=alice, kind="anomaly").count() == 1


def test_products_load_bundled_and_rejects_unknown_conditions(db):
    assert services.products_load() >= 5
    with pytest.raises(ValidationError) as error:
        services.products_load(
            catalogue=[{"slug": "x", "name": "X", "kind": "card", "description": "d", "conditions": {"vibes": 1}}]
        )
    assert "conditions" in error.value.message_dict


def test_product_offer_respects_utilisation(alice_consents):
    services.products_load()
    account = checking(alice_consents)
    spend(alice_consents, account, "10.00")
    account_create(
        user=alice_consents, name="Card", kind="credit", balance=Decimal("800.00"), credit_limit=Decimal("1000.00")
    )
    services.recommendations_generate(user=alice_consents)
    offers = Recommendation.objects.filter(user=alice_consents, kind="product_offer").values_list(
        "data__product", flat=True
    )
    assert "balance-transfer-card" not in list(offers)
    assert "credit-counselling" in list(offers)
