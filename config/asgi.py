"""HTTP and WebSocket entry point, served by daphne."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_http = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from config.ws_auth import OriginCheck, WebSocketAuthMiddleware  # noqa: E402
from config.ws_routes import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_http,
        "websocket": OriginCheck(WebSocketAuthMiddleware(URLRouter(websocket_urlpatterns))),
    }
)
