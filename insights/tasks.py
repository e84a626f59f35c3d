"""Insights jobs on the "insights" queue. Each re-reads consent when it runs; all are idempotent."""

from celery import shared_task

from core.months import parse_month
from insights import services


@shared_task(queue="insights")
def compute_benchmarks(month: str | None = None) -> int:
    return services.benchmarks_compute(months=[parse_month(month)] if month else None)


@shared_task(queue="insights")
def compute_signals(user_ids: list[int] | None = None) -> int:
    return services.profiles_compute(user_ids=user_ids)


@shared_task(queue="insights")
def detect_anomalies(user_ids: list[int] | None = None) -> int:
    return services.anomalies_detect(user_ids=user_ids)


@shared_task(queue="insights")
def generate_recommendations(user_ids: list[int] | None = None) -> int:
    return services.recommendations_generate_all(user_ids=user_ids)
