import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from finance import outbox, tasks
from finance.models import OutboxEvent, OutboxHandled
from finance.tests.factories import AccountFactory, UserFactory, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def checking(alice):
    return AccountFactory(user=alice, currency="EUR", balance=Decimal("100.00"))


@pytest.fixture
def received():
    """A handler registered like another app's handlers.py would; removed afterwards. Like theirs, what it does
    outside the database waits for the relay's commit."""
    seen: list[int] = []

    def remember_transaction_change(event):
        transaction.on_commit(lambda: seen.append(event.id))

    outbox.register("transaction.changed")(remember_transaction_change)
    yield seen
    outbox._handlers["transaction.changed"].remove(remember_transaction_change)


@pytest.fixture
def flaky():
    """A handler that fails until told to recover."""
    state = {"broken": True, "calls": 0}

    def flaky_listener(event):
        state["calls"] += 1
        if state["broken"]:
            raise RuntimeError("listener is down")

    outbox.register("transaction.changed")(flaky_listener)
    yield state
    outbox._handlers["transaction.changed"].remove(flaky_listener)


def test_the_event_commits_with_the_change_and_is_relayed_once(
    alice, checking, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        txn = record(alice, checking, "12.00", category="dining")
    event = OutboxEvent.objects.get()
    assert received == [event.id]
    assert event.payload["transaction_ids"] == [txn.pk]
    event.refresh_from_db()
    assert event.processed_at is not None and event.last_error == ""

    outbox.outbox_relay_event(event_id=event.id)  # a duplicate delivery of the task
    tasks.outbox_relay(event.id)
    assert received == [event.id]


@pytest.fixture
def on_two_queues():
    """Two handlers on different queues, like the alerts evaluation and the insights refresh."""
    seen: dict[str, list] = {"fast": [], "slow": [], "order": []}

    def fast_listener(event):
        seen["fast"].append(event.id)
        seen["order"].append("alerts")

    def slow_listener(event):
        seen["slow"].append(event.id)
        seen["order"].append("insights")

    outbox.register("transaction.changed", queue="alerts")(fast_listener)
    outbox.register("transaction.changed", queue="insights")(slow_listener)
    yield seen
    outbox._handlers["transaction.changed"].remove(fast_listener)
    outbox._handlers["transaction.changed"].remove(slow_listener)


def test_each_queue_relays_only_its_own_handlers_and_the_last_one_completes_the_event(alice, checking, on_two_queues):
    record(alice, checking, "12.00", category="dining")  # on-commit relays not run: we relay by hand
    event = OutboxEvent.objects.get()
    assert {"alerts", "insights"} <= set(outbox.queues_for("transaction.changed"))

    tasks.outbox_relay(event.id, queue="alerts")
    event.refresh_from_db()
    assert on_two_queues["fast"] == [event.id] and on_two_queues["slow"] == []
    assert event.processed_at is None  # the insights handler has not run yet

    for queue in outbox.queues_for("transaction.changed"):
        tasks.outbox_relay(event.id, queue=queue)
    event.refresh_from_db()
    assert on_two_queues["fast"] == [event.id] and on_two_queues["slow"] == [event.id]  # nothing ran twice
    assert event.processed_at is not None


def test_a_ledger_change_costs_one_relay_which_evaluates_alerts_first():
    assert outbox.queues_for("transaction.changed") == ["alerts"]
    names = [f"{h.__module__}.{h.__qualname__}" for h in outbox.handlers_for("transaction.changed")]
    assert names.index("alerts.handlers.evaluate_budgets") < names.index("insights.handlers.transaction_changed")


def test_a_relay_hands_the_event_on_to_the_next_queue(alice, checking, on_two_queues):
    record(alice, checking, "12.00", category="dining")  # on-commit relays not run: we relay by hand
    event = OutboxEvent.objects.get()

    tasks.outbox_relay(event.id, queue="alerts", then=["insights"])  # Celery runs the next one eagerly here
    assert on_two_queues["order"] == ["alerts", "insights"]
    event.refresh_from_db()
    assert event.processed_at is not None


def test_on_commit_the_relay_reaches_every_queue_in_order(
    alice, checking, on_two_queues, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record(alice, checking, "12.00", category="dining")
    event = OutboxEvent.objects.get()
    assert on_two_queues == {"fast": [event.id], "slow": [event.id], "order": ["alerts", "insights"]}
    assert event.processed_at is not None


def test_a_rolled_back_change_leaves_no_event_and_relays_nothing(
    alice, checking, received, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        record(alice, checking, "12.00", category="dining")
        raise RuntimeError("something later in the request failed")
    assert not OutboxEvent.objects.exists() and not callbacks and received == []


def test_a_failing_handler_is_retried_by_the_sweep_without_repeating_the_others(
    alice, checking, received, flaky, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record(alice, checking, "12.00", category="dining")
    event = OutboxEvent.objects.get()
    assert event.processed_at is None and "listener is down" in event.last_error and event.attempts == 1
    assert received == [event.id]

    OutboxEvent.objects.filter(pk=event.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    flaky["broken"] = False
    assert tasks.outbox_sweep() == 1
    event.refresh_from_db()
    assert event.processed_at is not None and event.last_error == ""
    # the failing handler ran with the others, then alone (each relay), and the others' work committed once
    assert received == [event.id] and flaky["calls"] == 3
    for name in ("remember_transaction_change", "flaky_listener"):
        assert OutboxHandled.objects.filter(event=event, handler__endswith=name).count() == 1
    assert tasks.outbox_sweep() == 0


def test_the_sweep_leaves_young_events_to_their_own_relay(alice, checking):
    record(alice, checking, "12.00", category="dining")  # on-commit relay not run: as if the broker were down
    assert outbox.outbox_pending_ids() == []
    OutboxEvent.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    assert outbox.outbox_pending_ids() == [OutboxEvent.objects.get().id]


@pytest.fixture
def held():
    """A handler on a queue of its own that holds its event until the test says go (failing once if told)."""
    state = {"entered": threading.Event(), "go": threading.Event(), "fail_once": False, "calls": 0}

    def held_listener(event):
        state["calls"] += 1
        state["entered"].set()
        assert state["go"].wait(10)
        if state["fail_once"]:
            state["fail_once"] = False
            raise RuntimeError("held listener failed")

    outbox.register("transaction.changed", queue="held")(held_listener)
    yield state
    outbox._handlers["transaction.changed"].remove(held_listener)


def waiting_on_a_row_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0]


@pytest.mark.skipif(not settings.USES_POSTGRES, reason="needs PostgreSQL row locks: set DATABASE_URL=postgres://...")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first_fails", [False, True], ids=["first succeeds", "first fails"])
def test_a_second_relay_of_an_event_waits_for_the_first_and_runs_the_handler_only_if_that_failed(held, first_fails):
    user = UserFactory()
    event = OutboxEvent.objects.create(topic="transaction.changed", user=user, payload={"action": "create"})
    held["fail_once"] = first_fails

    def relay() -> bool:
        try:
            return outbox.outbox_relay_event(event_id=event.id, queue="held")
        finally:
            connection.close()  # each thread's own connection, so the test database can be flushed

    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(relay)
        assert held["entered"].wait(10)
        second = pool.submit(relay)
        for _ in range(200):  # the second relay's claim waits for the first one's transaction
            if waiting_on_a_row_lock():
                break
            time.sleep(0.05)
        assert waiting_on_a_row_lock() == 1 and not second.done() and held["calls"] == 1
        held["go"].set()
        # when the first one fails, the second takes the claim it gave back, and the first's retry finds it taken
        assert first.result(timeout=10) is True and second.result(timeout=10) is True

    assert held["calls"] == (2 if first_fails else 1)
    assert OutboxHandled.objects.filter(event=event, handler__endswith="held_listener").count() == 1
