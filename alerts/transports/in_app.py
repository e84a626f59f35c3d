"""In-app: push the notification to the user's open pages through the one door to the browser."""

from zoneinfo import ZoneInfo

from django.utils import timezone

from alerts import realtime
from alerts.serializers import NotificationSerializer
from alerts.transports.base import Transport, TransportError


class InAppTransport(Transport):
    kind = "in_app"

    def send(self, delivery) -> None:
        # Times in the user's zone, as the REST API writes them, whatever zone the sending thread had active.
        with timezone.override(ZoneInfo(delivery.user.timezone)):
            event = {"type": "notification", "notification": NotificationSerializer(delivery.notification).data}
        try:
            realtime.send_event(user_id=delivery.user_id, event=event)
        except Exception as exc:  # the channel layer (Redis) is down or refused the message
            raise TransportError(f"Could not push to open pages: {exc}") from exc
