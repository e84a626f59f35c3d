"""The bell on every page shows the unread count when the page is drawn."""

from django.utils import timezone

from alerts.models import Notification


def test_bell_shows_the_users_unread_count(alice, bob, alice_client):
    Notification.objects.create(user=alice, kind="test", title="Dining at 80%")
    Notification.objects.create(user=alice, kind="test", title="Dining at 95%")
    Notification.objects.create(user=alice, kind="test", title="seen", read_at=timezone.now())
    Notification.objects.create(user=bob, kind="test", title="bob's own")

    page = alice_client.get("/dashboard/").content.decode()

    assert 'aria-label="Notifications, 2 unread"' in page
    assert 'data-count="2">2</span>' in page
    assert "js/notifications.js" in page


def test_anonymous_page_has_no_bell_and_no_socket_script(anon_client, db):
    page = anon_client.get("/").content.decode()

    assert 'id="bell-count"' not in page
    assert "js/notifications.js" not in page
