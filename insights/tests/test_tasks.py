import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from config.celery import BEAT_SCHEDULE
from insights import tasks
from insights.models import Profile, Recommendation
from insights.tests.factories import checking, grant, spend

pytestmark = pytest.mark.django_db


def test_every_job_is_on_the_insights_queue_and_scheduled():
    names = [
        "compute_benchmarks",
        "compute_signals",
        "detect_anomalies",
        "generate_recommendations",
    ]
    scheduled = {entry["task"] for entry in BEAT_SCHEDULE.values()}
    for name in names:
        assert getattr(tasks, name).queue == "insights"
        assert f"insights.tasks.{name}" in scheduled


def test_jobs_run_as_tasks_and_are_idempotent(alice):
    grant(alice, "recommendations")
    spend(alice, checking(alice), "10.00")
    for _ in range(2):
        tasks.compute_signals.delay()
        tasks.compute_benchmarks.delay()
        tasks.detect_anomalies.delay()
        tasks.generate_recommendations.delay()
    assert Profile.objects.filter(user=alice).count() == 2
    assert Recommendation.objects.filter(user=alice, kind="education").count() == 1


def test_commands(alice, capsys):
    spend(alice, checking(alice), "10.00")
    call_command("compute_benchmarks", "--month", "2026-01")
    call_command("compute_signals", "--user", str(alice.pk))
    call_command("detect_anomalies")
    call_command("generate_recommendations", "--user", str(alice.pk))
    call_command("load_products")
    output = capsys.readouterr().out
    assert "profiles written" in output and "products loaded" in output
    with pytest.raises(CommandError):
        call_command("compute_benchmarks", "--month", "January")
