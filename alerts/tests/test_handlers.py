"""Outbox subscribers: ledger changes reach webhooks that subscribed to them (filtered by category)."""

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from alerts import services
from alerts.models import Delivery, Notification
from alerts.tests.factories import AccountFactory, UserFactory, budget, spend
from alerts.tests.test_transports import Receiver
from alerts.turns import EVALUATION_LOCK_SPACE, evaluation_turn
from finance import services as finance_services
from finance.models import OutboxEvent, OutboxHandled
from finance.outbox import handlers_for, outbox_relay_event

EVALUATE = "alerts.handlers.evaluate_budgets"


@pytest.fixture
def local_webhooks(settings):
    settings.DEBUG = True
    settings.WEBHOOK_ALLOW_PRIVATE = True


def test_handlers_are_registered_for_both_topics():
    for topic in ("transaction.changed", "budget.updated"):
        names = {handler.__name__ for handler in handlers_for(topic)}
        assert {"evaluate_budgets", "send_ledger_webhooks"} <= names


def events_received(receiver):
    return [json.loads(body) for _, _, body in receiver.requests]


def test_subscribed_ledger_events_reach_the_webhook(alice, committed, local_webhooks):
    AccountFactory(user=alice)
    with Receiver([200]) as receiver:
        services.channel_create(
            user=alice, kind="webhook", target=receiver.url,
            events=["transaction.created", "transaction.deleted", "transaction.updated", "budget.updated"],
        )  # fmt: skip
        purchase = committed(spend, alice, "12.50", category="groceries")
        committed(finance_services.transaction_update, user=alice, transaction=purchase, merchant="Market")
        committed(finance_services.transaction_delete, user=alice, transaction=purchase)
        committed(finance_services.transaction_undo_last, user=alice)
        committed(budget, alice, "300.00", "dining")
    events = events_received(receiver)
    assert [e["type"] for e in events] == [
        "transaction.created", "transaction.updated", "transaction.deleted", "transaction.created", "budget.updated",
    ]  # fmt: skip
    assert events[0]["data"]["transaction_ids"] == [purchase.id]
    assert events[0]["data"]["categories"] == ["groceries"]
    assert events[-1]["data"]["category"] == "dining"
    assert all(d.status == "sent" for d in Delivery.objects.filter(notification__isnull=True))


def test_category_filter_and_unsubscribed_events(alice, committed, local_webhooks):
    AccountFactory(user=alice)
    with Receiver([200]) as receiver:
        services.channel_create(
            user=alice, kind="webhook", target=receiver.url, events=["transaction.created"], categories=["dining"]
        )
        committed(spend, alice, "10.00", category="groceries")
        committed(spend, alice, "20.00", category="dining")
        committed(budget, alice, "300.00", "dining")
    events = events_received(receiver)
    assert [(e["type"], e["data"]["categories"]) for e in events] == [("transaction.created", ["dining"])]


def test_another_users_ledger_never_reaches_alices_webhook(alice, bob, committed, local_webhooks):
    AccountFactory(user=bob)
    with Receiver([200]) as receiver:
        services.channel_create(user=alice, kind="webhook", target=receiver.url, events=["transaction.created"])
        committed(spend, bob, "10.00")
    assert receiver.requests == []


# ------------------------------------------------------------------ a burst of changes of one user


def spends_not_yet_relayed(user, django_capture_on_commit_callbacks, amounts, **fields) -> list[int]:
    """Record spends whose outbox relays have not run yet (as when a sync pushes faster than the worker)."""
    with django_capture_on_commit_callbacks(execute=False):
        for amount in amounts:
            spend(user, amount, **fields)
    return list(
        OutboxEvent.objects.filter(user=user, topic="transaction.changed").order_by("id").values_list("id", flat=True)
    )


def threshold_alerts(user) -> list[tuple[int, str]]:
    rows = Notification.objects.filter(user=user, kind__in=("budget_threshold", "overspend")).order_by("id")
    return [(n.data["threshold"], n.data["event_at"]) for n in rows]


@pytest.fixture
def groceries_budget(alice, committed):
    AccountFactory(user=alice)
    committed(budget, alice, "100.00")
    return alice


def test_a_burst_of_changes_is_evaluated_once_by_its_last_event(groceries_budget, django_capture_on_commit_callbacks):
    alice = groceries_budget
    burst = spends_not_yet_relayed(alice, django_capture_on_commit_callbacks, ["30.00", "30.00", "30.00"])
    for event_id in burst:
        outbox_relay_event(event_id=event_id, queue="alerts")
    last = OutboxEvent.objects.get(id=burst[-1])
    # one alert, for the highest threshold the burst crossed, sent by the evaluation of its last change
    assert threshold_alerts(alice) == [(80, last.created_at.isoformat())]
    assert OutboxHandled.objects.filter(event_id__in=burst, handler=EVALUATE).count() == 3


def test_a_later_change_in_a_past_month_does_not_hold_back_this_months_alert(
    groceries_budget, django_capture_on_commit_callbacks
):
    alice = groceries_budget
    (first,) = spends_not_yet_relayed(alice, django_capture_on_commit_callbacks, ["90.00"])
    spends_not_yet_relayed(
        alice, django_capture_on_commit_callbacks, ["5.00"], occurred_at=timezone.now() - timedelta(days=62)
    )
    outbox_relay_event(event_id=first, queue="alerts")
    assert [threshold for threshold, _ in threshold_alerts(alice)] == [80]


def test_a_burst_ending_in_a_change_no_budget_watches_still_alerts(
    groceries_budget, django_capture_on_commit_callbacks
):
    alice = groceries_budget
    spends_not_yet_relayed(alice, django_capture_on_commit_callbacks, ["85.00"])
    spends_not_yet_relayed(alice, django_capture_on_commit_callbacks, ["4.00"], category="dining")
    events = list(OutboxEvent.objects.filter(user=alice, topic="transaction.changed").order_by("id"))
    for event in events:
        outbox_relay_event(event_id=event.id, queue="alerts")
    # the groceries change is evaluated although a later (dining) change was still waiting
    assert threshold_alerts(alice) == [(80, events[0].created_at.isoformat())]


def test_spending_no_budget_watches_raises_no_alert(alice, committed):
    AccountFactory(user=alice)
    committed(budget, alice, "100.00")
    committed(spend, alice, "500.00", category="dining")  # no budget on dining
    assert threshold_alerts(alice) == []
    committed(spend, alice, "85.00")  # groceries
    assert [threshold for threshold, _ in threshold_alerts(alice)] == [80]


def test_a_sub_category_counts_for_its_parents_budget(alice, committed):
    AccountFactory(user=alice)
    committed(budget, alice, "100.00")
    corner_shop = committed(finance_services.category_create, user=alice, name="Corner shop", parent="groceries")
    committed(spend, alice, "85.00", category=corner_shop.slug)
    assert [threshold for threshold, _ in threshold_alerts(alice)] == [80]


def test_a_budget_on_all_spending_watches_every_category(alice, committed):
    AccountFactory(user=alice)
    committed(budget, alice, "100.00", category=None)
    committed(spend, alice, "85.00", category="dining")
    assert [threshold for threshold, _ in threshold_alerts(alice)] == [80]


@pytest.mark.skipif(
    not settings.USES_POSTGRES, reason="needs PostgreSQL advisory locks: set DATABASE_URL=postgres://..."
)
@pytest.mark.django_db(transaction=True)
def test_evaluations_of_one_user_take_turns_but_not_other_users():
    alice, bob = UserFactory(), UserFactory()
    holding, done = threading.Event(), threading.Event()

    def evaluation(user, hold: bool):
        try:
            with transaction.atomic():
                evaluation_turn(user_id=user.pk)
                if hold:
                    holding.set()
                    done.wait(10)
        finally:
            connection.close()  # each thread's own connection, so the test database can be flushed

    with ThreadPoolExecutor(max_workers=3) as pool:
        first = pool.submit(evaluation, alice, True)
        assert holding.wait(10)
        second = pool.submit(evaluation, alice, False)
        pool.submit(evaluation, bob, False).result(timeout=10)  # another user's evaluation does not wait
        for _ in range(200):  # alice's second evaluation waits for the first to commit
            if waiting_for_a_turn(alice):
                break
            time.sleep(0.05)
        assert waiting_for_a_turn(alice) == 1 and not second.done()
        done.set()
        first.result(timeout=10), second.result(timeout=10)
    assert waiting_for_a_turn(alice) == 0


def waiting_for_a_turn(user) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = %s AND objid = %s",
            [EVALUATION_LOCK_SPACE, user.pk],
        )
        return cursor.fetchone()[0]
