"""docs/api.md, "Alerts", with the access cast: owner, another user (404), anonymous (401), staff."""

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework import serializers
from rest_framework.utils.encoders import JSONEncoder

from alerts import services
from alerts.models import AlertRule, Delivery, Notification
from alerts.serializers import DeliverySerializer, NotificationSerializer
from alerts.tests.factories import AccountFactory

RULES = "/api/v1/alert-rules/"
CHANNELS = "/api/v1/notification-channels/"
NOTIFICATIONS = "/api/v1/notifications/"


def test_create_a_rule_with_the_defaults(alice_api):
    response = alice_api.post(RULES, {"name": "Groceries", "category": "groceries"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body | {"id": None} == {
        "id": None, "name": "Groceries", "category": "groceries",
        "thresholds": [
            {"percent": 80, "severity": "info"}, {"percent": 95, "severity": "warning"},
            {"percent": 100, "severity": "danger"}, {"percent": 150, "severity": "critical"},
        ],
        "channels": ["in_app"], "quiet_hours_start": "20:00", "quiet_hours_end": "08:00", "timezone": "Europe/Berlin",
        "daily_limit": 3, "cooldown_minutes": 60, "enabled": True,
    }  # fmt: skip


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"thresholds": [{"percent": -10, "severity": "info"}]}, "thresholds"),
        ({"thresholds": [{"percent": 100, "severity": "danger"}, {"percent": 80, "severity": "info"}]}, "thresholds"),
        ({"thresholds": [{"percent": 80, "severity": "loud"}]}, "thresholds"),
        ({"thresholds": []}, "thresholds"),
        ({"channels": ["carrier_pigeon"]}, "channels"),
        ({"quiet_hours_start": "25:99"}, "quiet_hours_start"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"category": "no-such-category"}, "category"),
        ({"daily_limit": -1}, "daily_limit"),
        ({"cooldown_minutes": "soon"}, "cooldown_minutes"),
    ],
)
def test_bad_rules_are_400_naming_the_field(alice_api, body, field):
    response = alice_api.post(RULES, body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_update_and_delete_disables_keeping_history(alice, alice_api, committed):
    rule_id = alice_api.post(RULES, {}, format="json").json()["id"]
    response = alice_api.patch(
        f"{RULES}{rule_id}/", {"quiet_hours_start": None, "quiet_hours_end": None}, format="json"
    )
    assert response.status_code == 200 and response.json()["quiet_hours_start"] is None
    committed(
        services.notify,
        user=alice,
        kind="overspend",
        severity="danger",
        title="t",
        body="b",
        rule=AlertRule.objects.get(id=rule_id),
    )
    assert alice_api.delete(f"{RULES}{rule_id}/").status_code == 204
    assert alice_api.get(f"{RULES}{rule_id}/").json()["enabled"] is False
    assert Notification.objects.filter(rule_id=rule_id).count() == 1


def test_rules_access_cast(alice_api, bob_api, anon_api, staff_api):
    rule_id = alice_api.post(RULES, {}, format="json").json()["id"]
    for client in (bob_api, staff_api):
        assert client.get(f"{RULES}{rule_id}/").status_code == 404
        assert client.patch(f"{RULES}{rule_id}/", {"enabled": False}, format="json").status_code == 404
        assert client.delete(f"{RULES}{rule_id}/").status_code == 404
        assert client.get(RULES).json()["results"] == []
    assert anon_api.get(RULES).status_code == 401
    assert anon_api.post(RULES, {}, format="json").status_code == 401


def test_channels_crud_with_verification(alice_api, committed):
    response = committed(alice_api.post, CHANNELS, {"kind": "email", "target": "alice.work@example.com"}, format="json")
    assert response.status_code == 201
    channel = response.json()
    assert channel["verified"] is False and "secret" not in channel
    code = next(word for word in mail.outbox[0].body.split() if word.isdigit() and len(word) == 6)
    assert alice_api.post(f"{CHANNELS}{channel['id']}/verify/", {"code": "12345"}, format="json").status_code == 400
    verified = alice_api.post(f"{CHANNELS}{channel['id']}/verify/", {"code": code}, format="json")
    assert verified.status_code == 200 and verified.json()["verified"] is True
    test = committed(alice_api.post, f"{CHANNELS}{channel['id']}/test/")
    assert test.status_code == 202 and test.json()["deliveries"][0]["status"] == "pending"
    sent = alice_api.get(f"{NOTIFICATIONS}{test.json()['id']}/").json()
    assert sent["kind"] == "test" and sent["deliveries"][0]["status"] == "sent"
    assert mail.outbox[-1].to == ["alice.work@example.com"]
    assert alice_api.delete(f"{CHANNELS}{channel['id']}/").status_code == 204
    assert alice_api.get(CHANNELS).json()["results"] == []


def test_webhook_secret_is_write_only_and_targets_validated(alice_api, settings):
    settings.DEBUG = False
    refused = alice_api.post(CHANNELS, {"kind": "webhook", "target": "http://example.com/hook"}, format="json")
    assert refused.status_code == 400 and "target" in refused.json()
    private = alice_api.post(CHANNELS, {"kind": "webhook", "target": "https://127.0.0.1/hook"}, format="json")
    assert private.status_code == 400 and "private" in private.json()["target"][0]
    bad_kind = alice_api.post(CHANNELS, {"kind": "in_app", "target": "x"}, format="json")
    assert bad_kind.status_code == 400 and "kind" in bad_kind.json()
    bad_sms = alice_api.post(CHANNELS, {"kind": "sms", "target": "12345"}, format="json")
    assert bad_sms.status_code == 400 and "target" in bad_sms.json()


def test_push_key_says_why_push_is_off(alice_api, settings):
    settings.VAPID_PUBLIC_KEY = ""
    body = alice_api.get(f"{CHANNELS}push-key/").json()
    assert body["enabled"] is False and "VAPID_PUBLIC_KEY" in body["detail"]


def test_channels_access_cast(alice, alice_api, bob_api, anon_api, staff_api):
    channel = services.channel_create(user=alice, kind="email", target="alice@example.com")
    for client in (bob_api, staff_api):
        assert client.get(f"{CHANNELS}{channel.id}/").status_code == 404
        assert client.post(f"{CHANNELS}{channel.id}/test/").status_code == 404
        assert client.post(f"{CHANNELS}{channel.id}/verify/", {"code": "123456"}, format="json").status_code == 404
        assert client.delete(f"{CHANNELS}{channel.id}/").status_code == 404
    assert anon_api.get(CHANNELS).status_code == 401


def test_a_recorded_transaction_shows_up_as_a_notification(alice, alice_api, committed):
    account = AccountFactory(user=alice)
    committed(alice_api.post, "/api/v1/budgets/", {"category": "groceries", "amount": "100.00"}, format="json")
    response = committed(
        alice_api.post,
        "/api/v1/transactions/",
        {"account": account.id, "amount": "85.00", "category": "groceries"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    listing = alice_api.get(NOTIFICATIONS, {"kind": "budget_threshold"}).json()["results"]
    assert len(listing) == 1
    notification = listing[0]
    assert notification["title"] == "Groceries: 80% of budget used" and notification["severity"] == "info"
    assert notification["read_at"] is None
    assert notification["deliveries"] == [
        {
            "channel": "in_app",
            "status": "sent",
            "attempts": 1,
            "error": "",
            "deliver_after": None,
            "sent_at": notification["deliveries"][0]["sent_at"],
        }
    ]


def test_notifications_read_as_drf_would_write_them(alice, alice_api, committed):
    """NotificationSerializer writes its answer out by hand for speed; it must say what DRF's fields say,
    in the list and on its own, whatever time zone is active."""
    quiet = committed(services.notify, user=alice, kind="anomaly", severity="warning", title="Odd", body="b",
                      data={"amount": "12.50", "nested": {"k": [1, 2]}})  # fmt: skip
    loud = committed(services.notify, user=alice, kind="recommendation", severity="info", title="Tip", body="b")
    Delivery.objects.create(user=alice, notification=loud, channel="email", status="deferred",
                            deliver_after=datetime(2026, 7, 1, 6, 30, tzinfo=UTC), created_at=timezone.now())  # fmt: skip
    Delivery.objects.create(user=alice, notification=loud, channel="sms", status="failed", attempts=5,
                            error="No verified phone number.", created_at=timezone.now())  # fmt: skip
    Notification.objects.filter(pk=quiet.pk).update(read_at=datetime(2026, 3, 29, 0, 30, tzinfo=UTC))
    answer = alice_api.get(NOTIFICATIONS).json()["results"]

    def generic(notification):
        drf = serializers.ModelSerializer.to_representation(NotificationSerializer(), notification)
        drf["deliveries"] = [serializers.ModelSerializer.to_representation(DeliverySerializer(), d)
                             for d in notification.delivery_list]  # fmt: skip
        return json.loads(json.dumps(drf, cls=JSONEncoder))

    assert [d["status"] for d in answer[0]["deliveries"]] == ["sent", "deferred", "failed"]
    assert answer[1]["read_at"] is not None
    with timezone.override(ZoneInfo(alice.timezone)):  # the API answers in the user's zone
        assert answer == [generic(n) for n in Notification.objects.filter(user=alice).order_by("-created_at")]
    for zone in (ZoneInfo(alice.timezone), None):
        with timezone.override(zone):
            for notification in Notification.objects.filter(user=alice):
                assert NotificationSerializer(notification).data == generic(notification)


def test_filter_and_mark_read(alice, alice_api, committed):
    first = committed(services.notify, user=alice, kind="anomaly", severity="warning", title="Odd", body="b")
    committed(services.notify, user=alice, kind="recommendation", severity="info", title="Tip", body="b")
    assert [n["title"] for n in alice_api.get(NOTIFICATIONS, {"kind": "anomaly"}).json()["results"]] == ["Odd"]
    assert alice_api.get(NOTIFICATIONS, {"kind": "nonsense"}).status_code == 400
    read = alice_api.post(f"{NOTIFICATIONS}{first.id}/read/")
    assert read.status_code == 200 and read.json()["read_at"] is not None
    assert [n["title"] for n in alice_api.get(NOTIFICATIONS, {"unread": "true"}).json()["results"]] == ["Tip"]
    assert alice_api.post(f"{NOTIFICATIONS}read-all/").json() == {"marked": 1}
    assert alice_api.get(NOTIFICATIONS, {"unread": "true"}).json()["results"] == []


def test_notifications_access_cast(alice, bob_api, anon_api, staff_api, committed):
    notification = committed(services.notify, user=alice, kind="anomaly", severity="info", title="Odd", body="b")
    for client in (bob_api, staff_api):
        assert client.get(f"{NOTIFICATIONS}{notification.id}/").status_code == 404
        assert client.post(f"{NOTIFICATIONS}{notification.id}/read/").status_code == 404
        assert client.get(NOTIFICATIONS).json()["results"] == []
        assert client.post(f"{NOTIFICATIONS}read-all/").json() == {"marked": 0}
    assert anon_api.get(NOTIFICATIONS).status_code == 401
    assert anon_api.post(f"{NOTIFICATIONS}read-all/").status_code == 401
    notification.refresh_from_db()
    assert notification.read_at is None


def test_schema_describes_the_alerts_endpoints(alice_api):
    schema = alice_api.get("/api/schema/", {"format": "json"}).json()
    for path in (RULES, CHANNELS, NOTIFICATIONS, f"{NOTIFICATIONS}read-all/", f"{CHANNELS}{{id}}/verify/"):
        assert path in schema["paths"]
