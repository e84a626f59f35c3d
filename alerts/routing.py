"""WebSocket routes of the alerts app (appended to config.ws_routes)."""

from django.urls import path

from alerts.consumers import NotificationConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi()),
]
