"""The ASGI application daphne serves: HTTP routing, WebSocket origin checks and auth.

The auth middleware is tested with a small echo consumer of our own, stacked the way
config/asgi.py stacks the project's routes.
"""

import pytest
from asgiref.sync import async_to_sync
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.routing import URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from channels.testing import HttpCommunicator, WebsocketCommunicator
from django.urls import path
from rest_framework_simplejwt.tokens import RefreshToken

from config.asgi import application
from config.ws_auth import WebSocketAuthMiddleware

pytestmark = pytest.mark.django_db(transaction=True)


class WhoAmIConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        await self.accept()
        user = self.scope["user"]
        await self.send_json({"email": user.email if user.is_authenticated else None})


echo_application = AllowedHostsOriginValidator(
    WebSocketAuthMiddleware(URLRouter([path("ws/whoami/", WhoAmIConsumer.as_asgi())]))
)


def who_am_i(*headers: tuple[bytes, bytes]) -> dict | None:
    """Connects to the echo consumer; the identity it reports, or None when refused."""

    async def talk():
        communicator = WebsocketCommunicator(echo_application, "/ws/whoami/", headers=list(headers))
        connected, _ = await communicator.connect()
        answer = await communicator.receive_json_from() if connected else None
        await communicator.disconnect()
        return answer

    return async_to_sync(talk)()


LOCAL_ORIGIN = (b"origin", b"http://localhost:8000")


def test_http_is_routed_to_django():
    async def get_healthz():
        return await HttpCommunicator(application, "GET", "/healthz", headers=[(b"host", b"localhost")]).get_response()

    response = async_to_sync(get_healthz)()
    assert response["status"] == 200
    assert b'"status": "ok"' in response["body"]


def test_a_websocket_from_a_foreign_origin_is_refused():
    async def connect():
        communicator = WebsocketCommunicator(
            application, "/ws/notifications/", headers=[(b"origin", b"https://evil.example")]
        )
        connected, _ = await communicator.connect()
        await communicator.disconnect()
        return connected

    assert async_to_sync(connect)() is False


def test_the_echo_stack_refuses_a_foreign_origin_too():
    assert who_am_i((b"origin", b"https://evil.example")) is None


def test_a_valid_bearer_token_sets_the_user(alice):
    token = RefreshToken.for_user(alice).access_token
    assert who_am_i(LOCAL_ORIGIN, (b"authorization", f"Bearer {token}".encode())) == {"email": alice.email}


@pytest.mark.parametrize("authorization", [b"Bearer not-a-token", b"Bearer ", b"Basic YWxpY2U6cHc="])
def test_a_bad_or_other_authorization_leaves_the_user_anonymous(alice, authorization):
    assert who_am_i(LOCAL_ORIGIN, (b"authorization", authorization)) == {"email": None}


def test_a_token_of_a_deactivated_user_leaves_them_anonymous(alice):
    token = RefreshToken.for_user(alice).access_token
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    assert who_am_i(LOCAL_ORIGIN, (b"authorization", f"Bearer {token}".encode())) == {"email": None}


def test_no_credentials_is_anonymous():
    assert who_am_i(LOCAL_ORIGIN) == {"email": None}


def test_the_browser_session_cookie_sets_the_user(alice_client, alice):
    session_cookie = alice_client.cookies["sessionid"].value
    assert who_am_i(LOCAL_ORIGIN, (b"cookie", f"sessionid={session_cookie}".encode())) == {"email": alice.email}
