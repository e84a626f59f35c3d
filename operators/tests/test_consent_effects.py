"""What revoking each consent does to the operators' queue and the insights jobs."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from conftest import make_user
from finance.services import account_create, transaction_record
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
