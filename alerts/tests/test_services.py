"""alerts.services: notify (dedup, quiet hours across DST, daily limit and digest), deliveries, channels, reads."""

import re
from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail
from freezegun import freeze_time

from alerts import services
from alerts.models import Delivery, Notification, NotificationChannel
from alerts.tasks import deliver, deliver_deferred, send_daily_digests
from alerts.tests.factories import rule


def alert(user, committed, **fields):
    values = {
        "user": user,
        "kind": "budget_threshold",
        "severity": "info",
        "title": "Groceries: 80% of budget used",
        "body": "…",
    }
    return committed(services.notify, **(values | fields))


def statuses(notification):
    return {d.channel: d.status for d in notification.deliveries.all()}


def test_notify_stores_one_delivery_per_channel_and_sends_in_app_at_once(alice, committed):
    notification = alert(alice, committed, channels=["in_app", "email"])
    assert statuses(notification) == {"in_app": "sent", "email": "sent"}
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert mail.outbox[0].subject == "[Spendwise] Groceries: 80% of budget used"
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_default_channels_are_in_app_plus_verified_ones(alice, committed):
    services.channel_create(user=alice, kind="email", target="alice@example.com")
    services.channel_create(user=alice, kind="sms", target="+491701234567")  # unverified: not used
    notification = alert(alice, committed)
    assert statuses(notification) == {"in_app": "sent", "email": "sent"}


def test_a_channel_without_a_verified_endpoint_shows_why(alice, committed):
    notification = alert(alice, committed, channels=["in_app", "sms"])
    sms = notification.deliveries.get(channel="sms")
    assert sms.status == "failed" and "No verified phone number" in sms.error


def test_the_same_dedup_key_notifies_once(alice, committed):
    first = alert(alice, committed, dedup_key="anomaly:42")
    assert alert(alice, committed, dedup_key="anomaly:42") is None
    assert list(Notification.objects.filter(user=alice)) == [first]


def test_dedup_keys_are_per_user(alice, bob, committed):
    assert alert(alice, committed, dedup_key="k") is not None
    assert alert(bob, committed, dedup_key="k") is not None


def berlin_rule(user, **fields):
    values = {
        "channels": ["in_app", "email"],
        "quiet_hours_start": time(20),
        "quiet_hours_end": time(8),
        "timezone": "Europe/Berlin",
    }
    return rule(user, **(values | fields))


@pytest.mark.parametrize(
    ("evening", "morning_utc"),
    [
        (datetime(2026, 3, 28, 21, 0, tzinfo=UTC), datetime(2026, 3, 29, 6, 0, tzinfo=UTC)),  # 22:00 CET -> 08:00 CEST
        (
            datetime(2026, 10, 24, 20, 0, tzinfo=UTC),
            datetime(2026, 10, 25, 7, 0, tzinfo=UTC),
        ),  # 22:00 CEST -> 08:00 CET
    ],
    ids=["spring-forward", "fall-back"],
)
def test_quiet_hours_defer_other_channels_to_8_local_across_dst(alice, committed, evening, morning_utc):
    with freeze_time(evening):
        notification = alert(alice, committed, rule=berlin_rule(alice))
    assert statuses(notification) == {"in_app": "sent", "email": "deferred"}
    email = notification.deliveries.get(channel="email")
    assert email.deliver_after == morning_utc
    with freeze_time(morning_utc - timedelta(minutes=1)):
        deliver_deferred.delay()
    assert mail.outbox == []
    with freeze_time(morning_utc + timedelta(minutes=1)):
        deliver_deferred.delay()
    assert statuses(notification) == {"in_app": "sent", "email": "sent"}
    assert len(mail.outbox) == 1


def test_daily_limit_suppresses_and_the_digest_rolls_them_up(alice, committed):
    limited = berlin_rule(alice, quiet_hours_start=None, quiet_hours_end=None, daily_limit=2)
    with freeze_time("2026-11-20 11:00:00"):
        sent = [alert(alice, committed, rule=limited, title=f"Alert {n}") for n in range(4)]
    assert [statuses(n)["email"] for n in sent] == ["sent", "sent", "suppressed", "suppressed"]
    assert all(statuses(n)["in_app"] == "sent" for n in sent)
    assert "Daily limit of 2 reached" in sent[2].deliveries.get(channel="email").error
    assert len(mail.outbox) == 2
    with freeze_time("2026-11-21 06:00:00"):  # 07:00 in Berlin: not yet the digest hour (08)
        send_daily_digests.delay()
    assert len(mail.outbox) == 2
    with freeze_time("2026-11-21 07:10:00"):
        committed(send_daily_digests.delay)
        committed(send_daily_digests.delay)
    digest = mail.outbox[-1]
    assert len(mail.outbox) == 3
    assert digest.subject == "[Spendwise] 2 alerts held back by your daily limit"
    assert "Alert 2" in digest.body and "Alert 3" in digest.body and "Alert 1" not in digest.body
    assert Notification.objects.get(user=alice, kind="digest").deliveries.get().status == "sent"


def test_the_daily_limit_starts_again_the_next_local_day(alice, committed):
    limited = berlin_rule(alice, quiet_hours_start=None, quiet_hours_end=None, daily_limit=1)
    with freeze_time("2026-11-20 22:30:00"):  # 23:30 in Berlin
        alert(alice, committed, rule=limited)
    with freeze_time("2026-11-20 23:30:00"):  # 00:30 the next day in Berlin
        later = alert(alice, committed, rule=limited)
    assert statuses(later)["email"] == "sent"


def test_a_duplicated_delivery_task_sends_once(alice, committed):
    notification = alert(alice, committed, channels=["email"])
    delivery = notification.deliveries.get()
    deliver.delay(delivery.id)
    deliver.delay(delivery.id)
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and delivery.status == "sent" and delivery.duration_ms is not None


def test_a_claimed_delivery_is_not_sent_by_another_worker(alice):
    notification = services.notify(user=alice, kind="test", severity="info", title="t", body="b", channels=["email"])
    delivery = notification.deliveries.get()
    Delivery.objects.filter(id=delivery.id).update(claimed_at=datetime.now(UTC))  # another worker is on it
    assert services.delivery_send(delivery_id=delivery.id) == "skipped"
    assert mail.outbox == []


def test_a_delivery_left_behind_by_a_dead_worker_is_swept(alice):
    with freeze_time("2026-11-20 12:00:00"):
        notification = services.notify(
            user=alice, kind="test", severity="info", title="t", body="b", channels=["email"]
        )
        delivery = notification.deliveries.get()
        Delivery.objects.filter(id=delivery.id).update(claimed_at=datetime.now(UTC))
    with freeze_time("2026-11-20 12:10:00"):
        deliver_deferred.delay()
    delivery.refresh_from_db()
    assert delivery.status == "sent" and len(mail.outbox) == 1


def test_an_in_app_delivery_whose_process_died_before_the_push_is_swept_once_its_claim_is_stale(alice):
    """notify() creates the in-app delivery claimed and pushes it after commit; here the commit hooks never
    run, as when the process dies between the commit and the push."""
    with freeze_time("2026-11-20 12:00:00"):
        notification = services.notify(user=alice, kind="test", severity="info", title="t", body="b")
    delivery = notification.deliveries.get()
    assert (delivery.channel, delivery.status, delivery.claimed_at is not None) == ("in_app", "pending", True)
    with freeze_time("2026-11-20 12:03:00"):  # past LOST_AFTER, but the claim is fresh: someone may be sending it
        assert services.deliveries_release_due() == []
    with freeze_time("2026-11-20 12:06:00"):
        deliver_deferred.delay()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)


def code_from(message) -> str:
    return re.search(r"\b(\d{6})\b", message.body)[1]


def test_another_email_address_is_verified_by_code(alice, committed):
    channel = committed(services.channel_create, user=alice, kind="email", target="Alice.Work@Example.com")
    assert channel.target == "alice.work@example.com" and not channel.verified
    assert mail.outbox[0].to == ["alice.work@example.com"]
    code = code_from(mail.outbox[0])
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(services.channel_verify.__globals__["ValidationError"]) as problem:
        services.channel_verify(user=alice, channel=channel, code=wrong)
    assert problem.value.message_dict == {"code": ["That code is not right."]}
    assert NotificationChannel.objects.get(id=channel.id).verification_attempts == 1
    assert services.channel_verify(user=alice, channel=channel, code=code).verified


def test_the_accounts_own_address_needs_no_code(alice, committed):
    channel = committed(services.channel_create, user=alice, kind="email", target="alice@example.com")
    assert channel.verified and mail.outbox == []


def test_codes_expire_and_lock_after_five_wrong_tries(alice, committed):
    with freeze_time("2026-11-20 12:00:00"):
        channel = committed(services.channel_create, user=alice, kind="sms", target="+491701234567")
    from django.core.exceptions import ValidationError

    with freeze_time("2026-11-20 12:11:00"), pytest.raises(ValidationError, match="expired"):
        services.channel_verify(user=alice, channel=channel, code="123456")
    with freeze_time("2026-11-20 12:20:00"):
        committed(services.channel_resend_code, user=alice, channel=channel)
        for _ in range(5):
            with pytest.raises(ValidationError):
                services.channel_verify(user=alice, channel=channel, code="999999" if _ % 2 else "888888")
        with pytest.raises(ValidationError, match="Too many"):
            services.channel_verify(user=alice, channel=channel, code="123456")


def test_test_notification_goes_to_that_channel_only(alice, committed):
    channel = committed(services.channel_create, user=alice, kind="email", target="alice@example.com")
    notification = committed(services.channel_send_test, user=alice, channel=channel)
    assert notification.kind == "test"
    assert statuses(notification) == {"email": "sent"}
    assert mail.outbox[0].subject == "[Spendwise] Test notification"


def test_mark_read_and_read_all(alice, committed):
    first = alert(alice, committed)
    alert(alice, committed)
    services.notification_mark_read(user=alice, notification=first)
    first.refresh_from_db()
    assert first.read_at is not None
    assert services.notifications_mark_all_read(user=alice) == 1
    assert not Notification.objects.filter(user=alice, read_at__isnull=True).exists()


def test_monthly_summary_once_on_the_first_in_the_users_time_zone(alice, bob, committed):
    from alerts.tests.factories import budget, spend

    with freeze_time("2026-11-12 12:00:00"):
        committed(budget, alice, "100.00")
        committed(spend, alice, "40.00")
        committed(spend, alice, "30.00", category="dining")
    mail.outbox.clear()
    with freeze_time("2026-12-01 00:30:00"):  # Berlin: 1 Dec 01:30; New York: still 30 Nov
        assert committed(services.monthly_summaries_send_due) == 1
        assert committed(services.monthly_summaries_send_due) == 0
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    summary = mail.outbox[0]
    assert summary.subject == "[Spendwise] Your November 2026 summary"
    assert "groceries: 40.00 EUR" in summary.body and "Total: 70.00 EUR" in summary.body
    assert "1 of 1 kept" in summary.body
