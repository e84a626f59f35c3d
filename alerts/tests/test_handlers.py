"""Outbox subscribers: ledger changes reach webhooks that subscribed to them (filtered by category)."""

import json

import pytest

from alerts import services
from alerts.models import Delivery
from alerts.tests.factories import AccountFactory, budget, spend
from alerts.tests.test_transports import Receiver
from finance import services as finance_services
from finance.outbox import handlers_for


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


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
