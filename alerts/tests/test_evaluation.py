"""Evaluation through the real ledger: transactions recorded with finance.services reach the alerts via the outbox."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from freezegun import freeze_time

from alerts.models import AlertRule, Notification
from alerts.services.evaluation import evaluate_user, remind_inactive_users
from alerts.tests.factories import AccountFactory, UserFactory, budget, rule, spend
from config.testing.concurrency import run_at_once
from finance import services as finance_services

THRESHOLD_KINDS = ("budget_threshold", "overspend")


def thresholds_seen(user):
    """What the user sees of threshold alerts, oldest first: (kind, severity, threshold)."""
    rows = Notification.objects.filter(user=user, kind__in=THRESHOLD_KINDS).order_by("created_at", "id")
    return [(n.kind, n.severity, n.data["threshold"]) for n in rows]


def tune(user, **changes):
    """Change the default rule every user gets with their first budget event."""
    from alerts.services import alert_rule_update

    return alert_rule_update(user=user, rule=AlertRule.objects.get(user=user, name="All budgets"), **changes)


@pytest.fixture
def groceries(alice, committed):
    AccountFactory(user=alice)
    committed(budget, alice, "100.00", "groceries")
    return alice


def test_threshold_fires_once_per_month(groceries, committed):
    committed(spend, groceries, "50.00")
    assert thresholds_seen(groceries) == []
    committed(spend, groceries, "30.00")
    committed(spend, groceries, "5.00")
    assert thresholds_seen(groceries) == [("budget_threshold", "info", 80)]
    committed(spend, groceries, "11.00")
    committed(spend, groceries, "10.00")
    assert thresholds_seen(groceries) == [
        ("budget_threshold", "info", 80),
        ("budget_threshold", "warning", 95),
        ("overspend", "danger", 100),
    ]


def test_a_user_without_rules_gets_the_default_rule(groceries, committed):
    committed(spend, groceries, "81.00")
    default = AlertRule.objects.get(user=groceries)
    assert default.name == "All budgets" and default.channels == ["in_app"] and default.timezone == "Europe/Berlin"


def test_crossing_two_thresholds_at_once_sends_one_danger(groceries, committed):
    committed(spend, groceries, "100.00")
    assert thresholds_seen(groceries) == [("overspend", "danger", 100)]
    committed(spend, groceries, "1.00")
    assert thresholds_seen(groceries) == [("overspend", "danger", 100)]


def test_the_notification_says_what_was_spent(groceries, committed):
    committed(spend, groceries, "85.00")
    notification = Notification.objects.get(user=groceries, kind="budget_threshold")
    assert notification.title == "Groceries: 80% of budget used"
    assert "85.00 EUR of your 100.00 EUR groceries budget" in notification.body
    assert notification.data["spent"] == "85.00" and notification.data["budget"] == "100.00"
    assert [d.channel for d in notification.deliveries.all()] == ["in_app"]
    assert notification.deliveries.get().status == "sent"


def test_delete_rearms_and_fires_again_after_cooldown(groceries, committed):
    tune(groceries, cooldown_minutes=0)
    purchase = committed(spend, groceries, "85.00")
    committed(finance_services.transaction_delete, user=groceries, transaction=purchase)
    committed(spend, groceries, "90.00")
    assert thresholds_seen(groceries) == [("budget_threshold", "info", 80)] * 2


def test_undo_rearms(groceries, committed):
    tune(groceries, cooldown_minutes=0)
    committed(spend, groceries, "85.00")
    committed(finance_services.transaction_undo_last, user=groceries)
    committed(spend, groceries, "85.00")
    assert thresholds_seen(groceries) == [("budget_threshold", "info", 80)] * 2


def test_cooldown_stops_flapping(groceries, committed):
    purchase = committed(spend, groceries, "85.00")
    committed(finance_services.transaction_delete, user=groceries, transaction=purchase)
    committed(spend, groceries, "85.00")  # within the default 60 minutes
    assert thresholds_seen(groceries) == [("budget_threshold", "info", 80)]
    with freeze_time(datetime.now(UTC) + timedelta(minutes=61)):
        committed(spend, groceries, "1.00")
    assert thresholds_seen(groceries) == [("budget_threshold", "info", 80)]  # still above: it never re-armed since


def test_lowering_the_budget_can_cross_a_threshold(groceries, committed):
    committed(spend, groceries, "60.00")
    groceries_budget = groceries.budgets.get()
    committed(finance_services.budget_update, user=groceries, budget=groceries_budget, amount=Decimal("70.00"))
    assert thresholds_seen(groceries) == [("budget_threshold", "info", 80)]


def test_a_category_rule_replaces_the_general_one_for_its_budget(groceries, committed):
    rule(groceries, category="groceries", thresholds=[{"percent": 50, "severity": "warning"}])
    committed(spend, groceries, "85.00")
    assert thresholds_seen(groceries) == [("budget_threshold", "warning", 50)]


def test_disabled_rules_stay_silent(groceries, committed):
    tune(groceries, enabled=False)
    committed(spend, groceries, "120.00")
    assert thresholds_seen(groceries) == []


def test_the_overall_budget_is_watched_too(alice, committed):
    AccountFactory(user=alice)
    committed(finance_services.budget_create, user=alice, amount=Decimal("100.00"))
    committed(spend, alice, "50.00", category="groceries")
    committed(spend, alice, "45.00", category="dining")
    notification = Notification.objects.get(user=alice, kind="budget_threshold", severity="warning")
    assert notification.title == "All spending: 95% of budget used"


def test_another_users_spending_never_alerts_alice(groceries, bob, committed):
    AccountFactory(user=bob)
    committed(budget, bob, "10.00")
    committed(spend, bob, "50.00")
    assert thresholds_seen(groceries) == []
    assert thresholds_seen(bob) == [("overspend", "critical", 150)]


@freeze_time("2026-11-10 12:00:00")
def test_forecast_warns_once_when_the_pace_passes_the_budget(groceries, committed):
    for day in range(1, 7):
        committed(spend, groceries, "10.00", occurred_at=datetime(2026, 11, day, 12, tzinfo=UTC))
    forecasts = Notification.objects.filter(user=groceries, kind="forecast")
    assert forecasts.count() == 1
    assert "projected to exceed" in forecasts.get().body
    assert forecasts.get().data["month"] == "2026-11"
    committed(spend, groceries, "5.00")
    assert forecasts.count() == 1


@freeze_time("2026-11-03 12:00:00")
def test_no_forecast_with_less_than_five_days_of_data(groceries, committed):
    committed(spend, groceries, "40.00", occurred_at=datetime(2026, 11, 1, 12, tzinfo=UTC))
    committed(spend, groceries, "30.00")
    assert not Notification.objects.filter(user=groceries, kind="forecast").exists()


def test_back_dated_spending_in_a_past_month_does_not_alert(groceries, committed):
    committed(spend, groceries, "500.00", occurred_at=datetime.now(UTC) - timedelta(days=62))
    assert thresholds_seen(groceries) == []


def test_evaluate_user_is_idempotent(groceries, committed):
    committed(spend, groceries, "85.00")
    assert committed(evaluate_user, user=groceries) == []
    assert thresholds_seen(groceries) == [("budget_threshold", "info", 80)]


def test_inactivity_reminder_once_per_stretch(alice, committed):
    start = datetime(2026, 11, 1, 9, tzinfo=UTC)
    with freeze_time(start):
        committed(spend, alice, "5.00")
    assert remind_inactive_users(now=start + timedelta(days=4)) == 0
    assert remind_inactive_users(now=start + timedelta(days=5)) == 1
    assert remind_inactive_users(now=start + timedelta(days=6)) == 0
    with freeze_time(start + timedelta(days=7)):
        committed(spend, alice, "5.00")
    assert remind_inactive_users(now=start + timedelta(days=12)) == 1
    reminders = Notification.objects.filter(user=alice, kind="inactivity")
    assert reminders.count() == 2
    assert "since you last logged a transaction" in reminders.first().body


@pytest.mark.skipif(not settings.USES_POSTGRES, reason="needs PostgreSQL row locking: set DATABASE_URL=postgres://...")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_crossing_transactions_make_one_notification():
    user = UserFactory(timezone="UTC")
    account = AccountFactory(user=user)
    budget(user, "100.00")  # its outbox event gives the user the default rule
    run_at_once(lambda _: spend(user, "50.00", account=account), times=2)
    assert thresholds_seen(user) == [("overspend", "danger", 100)]


@pytest.mark.skipif(not settings.USES_POSTGRES, reason="needs PostgreSQL row locking: set DATABASE_URL=postgres://...")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_evaluations_of_the_same_crossing_notify_once():
    user = UserFactory(timezone="UTC")
    account = AccountFactory(user=user)
    budget(user, "100.00")
    tune(user, enabled=False)
    spend(user, "120.00", account=account)
    tune(user, enabled=True)
    sent = [n for batch in run_at_once(lambda _: evaluate_user(user=user), times=2) for n in batch]
    assert len([n for n in sent if n.kind in THRESHOLD_KINDS]) == 1
    assert thresholds_seen(user) == [("overspend", "danger", 100)]


@pytest.mark.faults
@pytest.mark.skipif(not settings.USES_POSTGRES, reason="needs PostgreSQL row locking: set DATABASE_URL=postgres://...")
@pytest.mark.django_db(transaction=True)
def test_a_budget_and_ones_own_rule_at_once_leave_only_ones_own_rule_and_one_alert(fault_counts):
    """The race of issue 23: the budget's evaluation gives the default rule while the user adds their own."""
    users = [UserFactory(timezone="UTC") for _ in range(12)]
    accounts = {user.pk: AccountFactory(user=user) for user in users}

    def at_once(number: int) -> None:
        user = users[number // 2]
        if number % 2:
            rule(user, name="Everything I spend")
        else:
            budget(user, "100.00")

    run_at_once(at_once, times=2 * len(users))
    extra_rules = duplicated_alerts = 0
    for user in users:
        names = list(AlertRule.objects.filter(user=user).values_list("name", flat=True))
        extra_rules += len(names) - 1
        spend(user, "120.00", account=accounts[user.pk])
        duplicated_alerts += len(thresholds_seen(user)) - 1
        assert names == ["Everything I spend"]
        assert thresholds_seen(user) == [("overspend", "danger", 100)]
    fault_counts(requests=2 * len(users), duplicated=extra_rules + duplicated_alerts, note="12 users, 24 threads")


def test_ones_own_rule_replaces_the_default_and_keeps_what_it_announced(groceries, committed):
    committed(spend, groceries, "85.00")
    assert thresholds_seen(groceries) == [("budget_threshold", "info", 80)]
    own = committed(rule, groceries, name="Mine")
    assert list(AlertRule.objects.filter(user=groceries)) == [own]
    committed(spend, groceries, "1.00")  # still past 80%: announced already, by the default
    assert thresholds_seen(groceries) == [("budget_threshold", "info", 80)]
    committed(spend, groceries, "20.00")
    assert thresholds_seen(groceries) == [("budget_threshold", "info", 80), ("overspend", "danger", 100)]
