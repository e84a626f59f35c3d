"""Categorisation through the services: what a person sees when they correct, and the shared fallback."""

import time
from decimal import Decimal

import pytest

from conftest import make_user
from finance import services, tasks
from finance.models import LearnedCategorizer, SharedCategorizer
from finance.services.categorizer import categorizer_cache_clear, categorizers_stale
from finance.tests.factories import AccountFactory, record
from users.services import consent_set

# A person's own shops, as their bank prints them; no built-in keyword knows them.
SHOPS = {
    "dining": ["Kartenzahlung BACKSTUBE KRAUSE Filiale {n} Kiel", "Kartenzahlung Cafe Mondschein {n} Kiel"],
    "groceries": ["Kartenzahlung FRISCHMARKT OTTO {n} Kiel", "Lastschrift Hofladen Petersen {n}"],
    "transport": ["Kartenzahlung RADHAUS PETERSEN {n} Kiel", "SEPA-Lastschrift KVG Kieler Verkehr {n}"],
}


@pytest.fixture
def checking(alice):
    return AccountFactory(user=alice, currency="EUR")


def label_shops(user, account, rounds=3):
    for n in range(rounds):
        for slug, texts in SHOPS.items():
            for text in texts:
                record(user, account, "7.40", description=text.format(n=100 + n), category=slug)


def categorised(user, *, merchant="", description="", amount=Decimal("7.40")):
    decision = services.categorizer_for(user=user).categorize(merchant=merchant, description=description, amount=amount)
    return decision


@pytest.mark.django_db
def test_a_correction_counts_for_the_next_transaction_at_once(alice, checking):
    for n in range(3):
        record(alice, checking, "80.00", merchant=f"COSTCO WHSE #0{n}12", category="groceries")
    fourth = record(alice, checking, "95.00", merchant="COSTCO WHSE #0412")
    assert (fourth.category.slug, fourth.category_source) == ("groceries", "model")
    services.transaction_update(user=alice, transaction=fourth, category="shopping")
    fifth = record(alice, checking, "60.00", merchant="Costco Whse #0977")
    assert (fifth.category.slug, fifth.category_source) == ("shopping", "model")
    # No refit ran (its task waits for a commit this test never makes): the memory alone did it.
    assert LearnedCategorizer.objects.get(user=alice).model is None


@pytest.mark.django_db
def test_a_rule_wins_over_what_was_learned(alice, checking):
    record(alice, checking, "12.00", merchant="Uber", category="dining")
    assert record(alice, checking, "9.00", merchant="UBER").category.slug == "dining"
    services.categorization_rule_create(
        user=alice, field="merchant", operator="contains", value="uber", category="transport"
    )
    txn = record(alice, checking, "9.00", merchant="UBER")
    assert (txn.category.slug, txn.category_source, txn.category_confidence) == ("transport", "rule", 1.0)


@pytest.mark.django_db(transaction=True)  # the refit runs when the labels commit (tasks run eagerly here)
def test_the_fitted_model_survives_a_restart(alice, checking):
    label_shops(alice, checking)
    row = LearnedCategorizer.objects.get(user=alice)
    assert row.model is not None and row.fitted_lessons == row.lessons
    unseen = "Kartenzahlung BACKSTUBE KRAUSE Filiale 977 Flensburg"  # not a line the memory knows
    before = categorised(alice, description=unseen)
    categorizer_cache_clear()  # what a new process starts with
    after = categorised(alice, description=unseen)
    assert (after.source, services.categorizer_for(user=alice).categories[after.category_id].slug) == (
        "model",
        "dining",
    )
    assert after == before and 0 < after.confidence <= 1


@pytest.mark.django_db
def test_the_sweep_refits_what_was_never_queued(alice, checking):
    label_shops(alice, checking, rounds=2)  # no commit: no refit task was queued
    assert categorizers_stale() == [alice.pk]
    assert tasks.categorizer_refit_stale() == 1
    assert categorizers_stale() == [] and LearnedCategorizer.objects.get(user=alice).model is not None


def test_a_worker_process_fits_the_model_this_process_uses_once_for_a_burst_of_labels(
    celery_worker, alice, checking, settings
):
    settings.CATEGORIZER_REFIT_DELAY = 5  # the burst below takes about a second
    since = celery_worker.log_size()
    label_shops(alice, checking)
    labels = LearnedCategorizer.objects.get(user=alice).lessons

    quiet_since: list[float] = []

    def idle() -> bool:
        """The model fitted on every label, and no task of the worker's (the writes' event relays too) left running
        for a second: the test database is flushed after the test, which must not race a task still writing."""
        lines = celery_worker.log(since).splitlines()
        received = sum(line.endswith("] received") for line in lines)
        finished = sum(" succeeded " in line or " raised " in line for line in lines)
        row = LearnedCategorizer.objects.get(user=alice)
        if row.fitted_lessons < labels or finished < received:
            quiet_since.clear()
            return False
        quiet_since.append(time.monotonic())
        return quiet_since[-1] - quiet_since[0] >= 1.0

    celery_worker.wait_until(idle, f"the model fitted on all {labels} labels and every task done")
    refits = sum(
        "categorizer_refit[" in line and " succeeded " in line for line in celery_worker.log(since).splitlines()
    )
    assert 1 <= refits <= 2 < labels  # one fit for the burst (two if a slow machine stretched it past the delay)
    row = LearnedCategorizer.objects.get(user=alice)
    assert row.model is not None and row.fitted_lessons == row.lessons
    decision = categorised(alice, description="SEPA-Lastschrift KVG Kieler Verkehr Monatskarte")
    categories = services.categorizer_for(user=alice).categories
    assert (decision.source, categories[decision.category_id].slug) == ("model", "transport")


@pytest.mark.django_db
def test_only_consenting_users_common_merchants_are_shared(django_capture_on_commit_callbacks):
    people = [make_user(f"person{n}@example.com") for n in range(4)]
    for person in people:
        account = AccountFactory(user=person)
        if person is not people[3]:
            record(person, account, "18.00", merchant="FRESSNAPF 1234", category="shopping")
        if person is not people[2]:
            record(person, account, "4.10", merchant="Kiosk am Markt", category="groceries")
    # the fourth person labelled the kiosk, then withdrew consent: their label no longer counts
    consent_set(user=people[3], scope="data_processing", granted=False, source="api")
    with django_capture_on_commit_callbacks(execute=True):
        built = services.shared_categorizer_build()
    assert (built.merchants, built.contributors) == (1, 3)
    newcomer = make_user("newcomer@example.com")
    account = AccountFactory(user=newcomer)
    shared = record(newcomer, account, "22.00", merchant="Fressnapf 0815")
    assert (shared.category.slug, shared.category_source) == ("shopping", "model")
    assert 0.6 <= shared.category_confidence <= 1
    # Two consenting users and one who revoked: not shared, so the newcomer sees the built-in fallback.
    kiosk = record(newcomer, account, "3.00", merchant="Kiosk am Markt")
    assert (kiosk.category.slug, kiosk.category_source, kiosk.category_confidence) == ("other", "default", 0.0)
    consent_set(user=people[3], scope="data_processing", granted=True, source="api")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.shared_categorizer_build().merchants == 2
    assert record(newcomer, account, "3.00", merchant="KIOSK AM MARKT").category.slug == "groceries"
    assert SharedCategorizer.objects.count() == 2
