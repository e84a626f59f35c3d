"""Management commands evaluate_alerts and deliver_deferred."""

from datetime import time
from io import StringIO

from django.core import mail
from django.core.management import call_command
from freezegun import freeze_time

from alerts import services
from alerts.models import Notification
from alerts.tests.factories import AccountFactory, budget, spend


def test_evaluate_alerts_catches_up_and_is_idempotent(alice):
    AccountFactory(user=alice)
    budget(alice, "100.00")
    spend(alice, "85.00")  # no on-commit relay under the db fixture: nothing evaluated yet
    out = StringIO()
    call_command("evaluate_alerts", stdout=out)
    assert Notification.objects.filter(user=alice, kind="budget_threshold").count() == 1
    call_command("evaluate_alerts", "--user", str(alice.id), stdout=out)
    assert Notification.objects.filter(user=alice, kind="budget_threshold").count() == 1
    assert "notification(s) sent" in out.getvalue()


def test_deliver_deferred_sends_what_quiet_hours_held(alice, django_capture_on_commit_callbacks):
    rule = services.alert_rule_create(
        user=alice,
        channels=["in_app", "email"],
        quiet_hours_start=time(20),
        quiet_hours_end=time(8),
        timezone="Europe/Berlin",
    )
    with freeze_time("2026-11-20 21:00:00"):
        with django_capture_on_commit_callbacks(execute=True):
            services.notify(user=alice, kind="overspend", severity="danger", title="Late", body="b", rule=rule)
        out = StringIO()
        call_command("deliver_deferred", stdout=out)
        assert "nothing due" in out.getvalue() and mail.outbox == []
    with freeze_time("2026-11-21 07:05:00"):
        out = StringIO()
        call_command("deliver_deferred", stdout=out)
    assert "1 sent" in out.getvalue()
    assert [m.subject for m in mail.outbox] == ["[Spendwise] Late"]
