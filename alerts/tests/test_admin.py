"""The admin: operators see notifications with their deliveries and can send failed ones again."""

from django.core import mail

from alerts import services
from alerts.models import Delivery


def test_staff_see_notifications_and_retry_a_failed_delivery(
    alice, staff, staff_client, django_capture_on_commit_callbacks
):
    staff.is_superuser = True
    staff.save()
    notification = services.notify(
        user=alice, kind="anomaly", severity="info", title="Odd purchase", body="b", channels=["email"]
    )
    delivery = notification.deliveries.get()
    Delivery.objects.filter(id=delivery.id).update(status="failed", attempts=5, error="SMTP down")
    assert "Odd purchase" in staff_client.get("/admin/alerts/notification/").content.decode()
    assert "SMTP down" in staff_client.get(f"/admin/alerts/notification/{notification.id}/change/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/admin/alerts/delivery/", {"action": "retry", "_selected_action": [delivery.id]}, follow=True
        )
    assert "1 deliveries queued." in response.content.decode()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)
    assert len(mail.outbox) == 1


def test_non_staff_cannot_open_the_alerts_admin(alice_client, anon_client):
    assert alice_client.get("/admin/alerts/delivery/").status_code == 302
    assert anon_client.get("/admin/alerts/delivery/").status_code == 302
