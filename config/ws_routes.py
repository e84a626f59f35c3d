"""Every WebSocket route of the project; apps append theirs here."""

from alerts.routing import websocket_urlpatterns as alerts_websocket_urlpatterns

websocket_urlpatterns: list = []
websocket_urlpatterns += alerts_websocket_urlpatterns
