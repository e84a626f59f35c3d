import zoneinfo
from decimal import Decimal

import pytest

from finance.services import transaction_delete, transaction_update
from insights.models import DailySpending, Profile
from insights.services import daily_spending_rebuild, profiles_compute
from insights.tests.factories import checking, days_ago, spend

pytestmark = pytest.mark.django_db


def daily_total(user) -> Decimal:
    return sum((row.total for row in DailySpending.objects.filter(user=user, kind="expense")), Decimal("0.00"))


def test_daily_spending_follows_record_update_and_delete(alice, django_capture_on_commit_callbacks):
    account = checking(alice)
    with django_capture_on_commit_callbacks(execute=True):
        txn = spend(alice, account, "12.50", when=days_ago(2))
    assert daily_total(alice) == Decimal("12.50")
    row = DailySpending.objects.get(user=alice, kind="expense")
    assert (row.category.slug, row.count) == ("groceries", 1)

    with django_capture_on_commit_callbacks(execute=True):
        transaction_update(user=alice, transaction=txn, amount=Decimal("20.00"))
    assert daily_total(alice) == Decimal("20.00")

    with django_capture_on_commit_callbacks(execute=True):
        transaction_delete(user=alice, transaction=txn)
    assert daily_total(alice) == Decimal("0.00")


def test_days_are_the_users_local_days_in_the_refresh_and_the_nightly_rebuild(
    alice, bob, django_capture_on_commit_callbacks
):
    alice.timezone, bob.timezone = "Pacific/Auckland", "America/Los_Angeles"
    alice.save(update_fields=["timezone"])
    bob.save(update_fields=["timezone"])
    late_evening_utc = days_ago(3).replace(hour=22, minute=30)  # tomorrow in Auckland, today in Los Angeles
    with django_capture_on_commit_callbacks(execute=True):
        spend(alice, checking(alice), "30.00", when=late_evening_utc)
        spend(bob, checking(bob), "40.00", when=late_evening_utc)
    expected = {
        alice.pk: late_evening_utc.astimezone(zoneinfo.ZoneInfo("Pacific/Auckland")).date(),
        bob.pk: late_evening_utc.astimezone(zoneinfo.ZoneInfo("America/Los_Angeles")).date(),
    }
    assert expected[alice.pk] != expected[bob.pk]

    def days() -> dict:
        rows = DailySpending.objects.filter(kind="expense", user__in=[alice, bob])
        return {row.user_id: (row.day, row.total) for row in rows}

    assert days() == {alice.pk: (expected[alice.pk], Decimal("30.00")), bob.pk: (expected[bob.pk], Decimal("40.00"))}
    refreshed = days()
    DailySpending.objects.all().delete()
    daily_spending_rebuild()
    assert days() == refreshed


def test_a_new_transaction_makes_the_profile_stale(alice, django_capture_on_commit_callbacks):
    account = checking(alice)
    spend(alice, account, "10.00")
    profiles_compute(user_ids=[alice.pk])
    assert not Profile.objects.filter(user=alice, stale=True).exists()
    with django_capture_on_commit_callbacks(execute=True):
        spend(alice, account, "10.00")
    assert Profile.objects.filter(user=alice, stale=True).count() == 2
