"""Every WebSocket route of the project; apps append theirs here."""

websocket_urlpatterns: list = []
