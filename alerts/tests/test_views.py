"""Pages: alert rules, notification centre, channels; owner, another user, anonymous, staff."""

from django.core import mail

from alerts import services
from alerts.models import AlertRule, NotificationChannel


def threshold_rows(*rows, removed=()) -> dict:
    """The thresholds formset as the page posts it: (percent, severity) rows, some ticked Remove."""
    data = {"thresholds-TOTAL_FORMS": str(len(rows)), "thresholds-INITIAL_FORMS": "0"}
    for index, (percent, severity) in enumerate(rows):
        data |= {f"thresholds-{index}-percent": str(percent), f"thresholds-{index}-severity": severity}
        if index in removed:
            data[f"thresholds-{index}-DELETE"] = "on"
    return data


RULE_FORM = {
    "name": "Groceries watch", "category": "groceries", "channels": ["in_app", "email"],
    "quiet_hours_start": "21:00", "quiet_hours_end": "07:30", "timezone": "Europe/Berlin", "daily_limit": "2",
    "cooldown_minutes": "30", "enabled": "on", **threshold_rows((50, "info"), (100, "danger"), ("", "warning")),
}  # fmt: skip


def test_add_a_rule_on_the_page(alice, alice_client):
    page = alice_client.get("/alerts/rules/add/")
    html = page.content.decode()
    assert page.status_code == 200 and "<legend>Thresholds</legend>" in html
    # The defaults as four rows, one empty row to add a fifth without JavaScript, the zone from a list.
    assert 'name="thresholds-3-percent" id="id_thresholds-3-percent" value="150"' in html
    assert 'name="thresholds-4-percent" id="id_thresholds-4-percent" value=""' in html
    assert '<select name="timezone"' in html and '<option value="Asia/Tokyo">Asia/Tokyo</option>' in html
    response = alice_client.post("/alerts/rules/add/", RULE_FORM, follow=True)
    assert response.redirect_chain[-1][0] == "/alerts/rules/"
    assert "Groceries watch" in response.content.decode() and "50% info" in response.content.decode()
    rule = AlertRule.objects.get(user=alice)
    assert rule.thresholds == [{"percent": 50, "severity": "info"}, {"percent": 100, "severity": "danger"}]
    assert rule.quiet_hours_end.strftime("%H:%M") == "07:30"


def test_the_rules_list_writes_the_time_zone_in_words(alice_client):
    response = alice_client.post("/alerts/rules/add/", {**RULE_FORM, "timezone": "America/New_York"}, follow=True)
    html = response.content.decode()
    assert "21:00–07:30 (America/New York)" in html and "New_York" not in html


def test_bad_rule_shows_errors_linked_to_their_fields(alice_client):
    response = alice_client.post(
        "/alerts/rules/add/", RULE_FORM | threshold_rows((80, "info"), (80, "danger")) | {"timezone": "Mars/Olympus"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mars/Olympus is not one of the available choices" in html and 'id="id_timezone_errors"' in html
    twice = alice_client.post("/alerts/rules/add/", RULE_FORM | threshold_rows((80, "info"), (80, "danger")))
    assert "each percent once" in twice.content.decode()
    too_high = alice_client.post("/alerts/rules/add/", RULE_FORM | threshold_rows((5000, "info")))
    assert (
        'aria-invalid="true"' in too_high.content.decode() and "less than or equal to 1000" in too_high.content.decode()
    )
    none_left = alice_client.post("/alerts/rules/add/", RULE_FORM | threshold_rows((80, "info"), removed=(0,)))
    assert "Give at least one threshold." in none_left.content.decode()
    assert not AlertRule.objects.exists()
    bad_time = alice_client.post("/alerts/rules/add/", RULE_FORM | {"quiet_hours_start": "25:99"})
    assert 'id="id_quiet_hours_start_errors"' in bad_time.content.decode()


def test_edit_and_disable_a_rule(alice, alice_client):
    rule = services.alert_rule_create(user=alice, name="Old")
    page = alice_client.get(f"/alerts/rules/{rule.id}/")
    assert 'name="thresholds-1-percent" id="id_thresholds-1-percent" value="95"' in page.content.decode()
    # Rows come back in any order and one is removed: saved lowest first, without it.
    rows = threshold_rows((120, "critical"), (60, "info"), (90, "warning"), removed=(2,))
    alice_client.post(f"/alerts/rules/{rule.id}/", RULE_FORM | rows | {"name": "New"})
    rule.refresh_from_db()
    assert rule.name == "New"
    assert rule.thresholds == [{"percent": 60, "severity": "info"}, {"percent": 120, "severity": "critical"}]
    response = alice_client.post(f"/alerts/rules/{rule.id}/disable/", follow=True)
    assert "is disabled; its history is kept" in response.content.decode()
    rule.refresh_from_db()
    assert rule.enabled is False


def test_rule_pages_access_cast(alice, bob_client, staff_client, anon_client):
    rule = services.alert_rule_create(user=alice, name="Alice's rule")
    for client in (bob_client, staff_client):
        assert client.get(f"/alerts/rules/{rule.id}/").status_code == 404
        assert client.post(f"/alerts/rules/{rule.id}/disable/").status_code == 404
        assert "Alice's rule" not in client.get("/alerts/rules/").content.decode()
    for path in ("/alerts/rules/", "/alerts/rules/add/", f"/alerts/rules/{rule.id}/"):
        response = anon_client.get(path)
        assert response.status_code == 302 and "/login/" in response["Location"]
    rule.refresh_from_db()
    assert rule.enabled


def test_notification_centre_shows_each_channels_status_and_error(alice, alice_client, committed):
    committed(
        services.notify,
        user=alice,
        kind="overspend",
        severity="danger",
        title="Dining: budget exceeded",
        body="Over.",
        channels=["in_app", "sms"],
    )
    committed(services.notify, user=alice, kind="anomaly", severity="info", title="Odd purchase", body="Hm.")
    html = alice_client.get("/notifications/").content.decode()
    assert "Dining: budget exceeded" in html and "Odd purchase" in html
    assert "No verified phone number" in html and 'class="delivery-failed"' in html
    filtered = alice_client.get("/notifications/", {"kind": "anomaly"}).content.decode()
    assert "Odd purchase" in filtered and "Dining: budget exceeded" not in filtered


def test_mark_read_from_the_page(alice, alice_client, committed):
    notification = committed(
        services.notify, user=alice, kind="anomaly", severity="info", title="Odd purchase", body="Hm."
    )
    alice_client.post(f"/notifications/{notification.id}/read/")
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "Odd purchase" not in alice_client.get("/notifications/", {"unread": "on"}).content.decode()
    committed(services.notify, user=alice, kind="anomaly", severity="info", title="Another", body="Hm.")
    response = alice_client.post("/notifications/read-all/", follow=True)
    assert "Marked 1 notification as read." in response.content.decode()


def test_notification_pages_access_cast(alice, bob_client, staff_client, anon_client, committed):
    notification = committed(services.notify, user=alice, kind="anomaly", severity="info", title="Alice only", body="b")
    for client in (bob_client, staff_client):
        assert "Alice only" not in client.get("/notifications/").content.decode()
        assert client.post(f"/notifications/{notification.id}/read/").status_code == 404
    assert anon_client.get("/notifications/").status_code == 302
    assert anon_client.post("/notifications/read-all/").status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is None


def test_channels_page_add_verify_test_delete(alice, alice_client, committed):
    response = committed(
        alice_client.post, "/settings/channels/", {"kind": "email", "target": "alice.work@example.com"}, follow=True
    )
    assert "enter the code we just sent" in response.content.decode()
    channel = NotificationChannel.objects.get(user=alice)
    code = next(word for word in mail.outbox[0].body.split() if word.isdigit() and len(word) == 6)
    wrong = alice_client.post(f"/settings/channels/{channel.id}/verify/", {"code": "abc"}, follow=True)
    assert "Enter the 6-digit code" in wrong.content.decode()
    alice_client.post(f"/settings/channels/{channel.id}/verify/", {"code": code})
    html = alice_client.get("/settings/channels/").content.decode()
    assert "Verified" in html and "Send test notification" in html
    committed(alice_client.post, f"/settings/channels/{channel.id}/test/")
    assert mail.outbox[-1].subject == "[Spendwise] Test notification"
    alice_client.post(f"/settings/channels/{channel.id}/delete/")
    assert not NotificationChannel.objects.filter(user=alice).exists()


def test_channels_page_explains_bad_input_and_push_state(alice_client, settings):
    settings.VAPID_PUBLIC_KEY = ""
    response = alice_client.post("/settings/channels/", {"kind": "sms", "target": "0170"})
    html = response.content.decode()
    assert "E.164" in html and 'id="id_target_errors"' in html
    assert "Web Push is disabled" in html


def test_channel_pages_access_cast(alice, bob_client, staff_client, anon_client):
    channel = services.channel_create(user=alice, kind="email", target="alice@example.com")
    for client in (bob_client, staff_client):
        assert "alice@example.com" not in client.get("/settings/channels/").content.decode()
        for action in ("verify", "test", "resend", "delete"):
            assert client.post(f"/settings/channels/{channel.id}/{action}/", {"code": "123456"}).status_code == 404
    assert anon_client.get("/settings/channels/").status_code == 302
    assert NotificationChannel.objects.filter(id=channel.id).exists()
