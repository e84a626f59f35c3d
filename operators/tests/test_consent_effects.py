"""What revoking each consent does to the operators' queue and the insights jobs."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from alerts.models import Notification
from alerts.services.evaluation import evaluate_user
from conftest import make_user
from finance.models import Transaction
from finance.services import account_create, budget_create, budget_update, transaction_record
from insights.models import Benchmark
from insights.services import benchmarks_compute, profile_fresh, recommendations_generate
from operators.models import ReviewDecision
from operators.tests.factories import RecommendationFactory
from users.services import consent_set

MONTH = datetime(2026, 10, 1).date()


def test_revoking_recommendations_withdraws_pending_ones(alice, pending, django_capture_on_commit_callbacks):
    approved = RecommendationFactory(user=alice, status="approved")
    with django_capture_on_commit_callbacks(execute=True):
        consent_set(user=alice, scope="recommendations", granted=False, source="web")

    pending.refresh_from_db()
    approved.refresh_from_db()
    assert pending.status == "withdrawn"
    assert approved.status == "approved"
    decision = ReviewDecision.objects.get(recommendation=pending)
    assert decision.action == "withdraw"
    assert decision.operator is None


def _spender(n: int):
    user = make_user(f"peer{n}@example.com", timezone="UTC")
    for scope in ("benchmarking", "recommendations"):
        consent_set(user=user, scope=scope, granted=True, source="web")
    account = account_create(user=user, name="Checking", currency="USD")
    transaction_record(
        user=user,
        account=account,
        amount=Decimal(100 + n),
        currency="USD",
        occurred_at=datetime(2026, 10, 10, 12, tzinfo=ZoneInfo("UTC")),
        merchant="Corner Grocer",
    )
    return user


def test_revoking_benchmarking_removes_the_user_from_the_next_run(db):
    peers = [_spender(n) for n in range(10)]
    benchmarks_compute(months=[MONTH])
    assert Benchmark.objects.filter(month=MONTH, cohort_size=10).exists()

    consent_set(user=peers[0], scope="benchmarking", granted=False, source="web")
    benchmarks_compute(months=[MONTH])
    assert not Benchmark.objects.filter(month=MONTH, cohort_size=10).exists()
    assert not Benchmark.objects.filter(month=MONTH, cohort_size__gte=10).exists()


def test_revoking_data_processing_stops_insights_jobs_for_the_user(db):
    user = _spender(1)
    assert profile_fresh(user=user, window=30) is not None

    consent_set(user=user, scope="data_processing", granted=False, source="web")
    assert profile_fresh(user=user, window=30) is None
    assert recommendations_generate(user=user) == []


def _revoke_data_processing(user) -> None:
    consent_set(user=user, scope="data_processing", granted=False, source="web")


def test_without_data_processing_nothing_new_is_recorded_by_any_path_and_what_exists_is_kept(alice, alice_api):
    account = account_create(user=alice, name="Everyday")
    kept = transaction_record(user=alice, account=account, amount=Decimal("12.00"), merchant="Corner Grocer")
    _revoke_data_processing(alice)

    typed = alice_api.post("/api/v1/transactions/", {"account": account.pk, "amount": "5.00"}, format="json")
    synced = alice_api.post(
        "/api/v1/transactions/sync/",
        {"source": "card", "external_id": "c-1", "amount": "5.00", "currency": "USD",
         "occurred_at": "2026-10-01T10:00:00Z", "merchant": "Cafe", "consent_given": True},
        format="json",
    )  # fmt: skip
    imported = alice_api.post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("statement.csv", b"Date,Description,Amount\n2026-10-01,Cafe,-5.00\n")},
        format="multipart",
    )
    for answer in (typed, synced, imported):
        assert answer.status_code == 403, answer.content
        assert "Data processing is turned off" in answer.json()["detail"]
    assert list(Transaction.objects.filter(user=alice)) == [kept]
    assert alice_api.get("/api/v1/transactions/").json()["count"] == 1  # kept and shown until erased


def test_an_import_queued_before_data_processing_was_revoked_ends_failed_saying_why(alice):
    from finance.imports.pipeline import import_job_create, import_job_run

    job = import_job_create(
        user=alice, content=b"Date,Description,Amount\n2026-10-01,Cafe,-5.00\n", filename="s.csv", queue=False
    )
    _revoke_data_processing(alice)
    job = import_job_run(job_id=job.pk)
    assert job.status == "failed" and job.message.startswith("Data processing is turned off")
    assert not Transaction.objects.filter(user=alice).exists()


def test_alerts_pause_without_data_processing_and_resume_when_it_is_back(alice, django_capture_on_commit_callbacks):
    account = account_create(user=alice, name="Everyday")
    with django_capture_on_commit_callbacks(execute=True):
        groceries = budget_create(user=alice, amount=Decimal("100.00"), category="groceries")
        transaction_record(user=alice, account=account, amount=Decimal("50.00"), category="groceries")
    before = Notification.objects.filter(user=alice).count()
    _revoke_data_processing(alice)
    with django_capture_on_commit_callbacks(execute=True):  # 50 of 40: over budget, while alerts are paused
        budget_update(user=alice, budget=groceries, amount=Decimal("40.00"))
    assert Notification.objects.filter(user=alice).count() == before

    consent_set(user=alice, scope="data_processing", granted=True, source="web")
    evaluate_user(user=alice)  # the next evaluation, as the next ledger change would run it
    assert Notification.objects.filter(user=alice, kind="overspend").count() == 1
