"""HTTP and WebSocket entry point, served by daphne."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_wsgi = get_wsgi_application()

from django.conf import settings  # noqa: E402

from config.runtime.http import WsgiOverAsgi  # noqa: E402

django_http = WsgiOverAsgi(django_wsgi, threads=settings.HTTP_THREADS)

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from config.runtime.socket_memory import CountedSockets  # noqa: E402
from config.ws_auth import OriginCheck, WebSocketAuthMiddleware  # noqa: E402
from config.ws_routes import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_http,
        "websocket": CountedSockets(OriginCheck(WebSocketAuthMiddleware(URLRouter(websocket_urlpatterns)))),
    }
)

from django.urls import get_resolver  # noqa: E402

from config.runtime.heap import heap_settle  # noqa: E402

get_resolver().url_patterns  # noqa: B018 (imports every view now, not on the first request)
heap_settle()
