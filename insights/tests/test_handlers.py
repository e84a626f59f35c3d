from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache as django_cache

from finance.services import transaction_delete, transaction_update
from insights import cache
from insights.models import Profile
from insights.selectors.summaries import summary_for
from insights.services import profiles_compute
from insights.tests.factories import bulk_spending, checking, days_ago, spend

pytestmark = pytest.mark.django_db


def spent_this_month(user) -> str:
    return summary_for(user=user)["total_spent"]


def test_each_write_shows_in_the_next_summary_read(alice, django_capture_on_commit_callbacks):
    """The summary is cached; the write's commit, not a later job, makes the next read afresh."""
    account = checking(alice)
    assert spent_this_month(alice) == "0.00"  # cached now
    with django_capture_on_commit_callbacks(execute=True):
        txn = spend(alice, account, "12.50")
    assert spent_this_month(alice) == "12.50"
    with django_capture_on_commit_callbacks(execute=True):
        transaction_update(user=alice, transaction=txn, amount=Decimal("20.00"))
    assert spent_this_month(alice) == "20.00"
    with django_capture_on_commit_callbacks(execute=True):
        transaction_delete(user=alice, transaction=txn)
    assert spent_this_month(alice) == "0.00"


def test_a_bulk_load_that_rebuilds_the_aggregate_shows_at_once(alice, bob, django_capture_on_commit_callbacks):
    """seed_demo and the tests' bulk factory write rows without the per-row services or outbox events."""
    assert (spent_this_month(alice), spent_this_month(bob)) == ("0.00", "0.00")
    with django_capture_on_commit_callbacks(execute=True):
        bulk_spending([(alice, checking(alice), "groceries", Decimal("7.25"), days_ago(0))])
    assert spent_this_month(alice) == "7.25"


def test_days_are_the_users_local_days(alice, bob, django_capture_on_commit_callbacks):
    alice.timezone, bob.timezone = "Pacific/Auckland", "America/Los_Angeles"
    alice.save(update_fields=["timezone"])
    bob.save(update_fields=["timezone"])
    late_evening_utc = days_ago(3).replace(hour=22, minute=30)  # the next day in Auckland, the same in Los Angeles
    with django_capture_on_commit_callbacks(execute=True):
        spend(alice, checking(alice), "30.00", when=late_evening_utc)
        spend(bob, checking(bob), "40.00", when=late_evening_utc)

    def spending_days(user) -> dict[str, str]:
        local_day = late_evening_utc.astimezone(ZoneInfo(user.timezone)).date()
        summary = summary_for(user=user, period="week", day=local_day)
        return {row["date"]: row["spent"] for row in summary["daily"] if row["spent"] != "0.00"}

    assert spending_days(bob) == {late_evening_utc.date().isoformat(): "40.00"}
    assert spending_days(alice) == {(late_evening_utc.date() + timedelta(days=1)).isoformat(): "30.00"}


def test_a_new_transaction_makes_the_profile_stale(alice, django_capture_on_commit_callbacks):
    account = checking(alice)
    spend(alice, account, "10.00")
    profiles_compute(user_ids=[alice.pk])
    assert not Profile.objects.filter(user=alice, stale=True).exists()
    with django_capture_on_commit_callbacks(execute=True):
        spend(alice, account, "10.00")
    assert Profile.objects.filter(user=alice, stale=True).count() == 2


def test_a_version_this_release_writes_can_be_counted_up_by_the_release_before():
    """The release before bumped versions with INCR; during a rolling upgrade or after a rollback it still must."""
    cache.user_changed(41)
    written = cache.version("user:41")
    assert written.isdigit()
    django_cache.incr("insights:version:user:41")  # what the release before does on a write
    assert cache.version("user:41") == str(int(written) + 1)
    cache.user_changed(41)
    assert cache.version("user:41") not in {written, str(int(written) + 1)}
