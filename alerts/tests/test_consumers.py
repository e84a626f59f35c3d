"""The notification socket /ws/notifications/, driven through the whole ASGI stack
(origin check, session/bearer auth, routing) as a browser or a program would.

Consumers reach the database from other threads, so these tests commit (transactional_db).
"""

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.utils import timezone
from rest_framework_simplejwt.tokens import RefreshToken

from alerts import realtime
from alerts.models import Notification
from alerts.services import notify
from config.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/ws/notifications/"


def allowed_origin() -> bytes:
    host = next(h for h in settings.ALLOWED_HOSTS if h not in ("*",) and not h.startswith("."))
    return f"http://{host}".encode()


def session_headers(page_client) -> list[tuple[bytes, bytes]]:
    cookie = f"{settings.SESSION_COOKIE_NAME}={page_client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return [(b"origin", allowed_origin()), (b"cookie", cookie.encode())]


def bearer_headers(token: str) -> list[tuple[bytes, bytes]]:
    return [(b"origin", allowed_origin()), (b"authorization", f"Bearer {token}".encode())]


def jwt_for(user) -> str:
    return str(RefreshToken.for_user(user).access_token)


async def open_socket(headers) -> WebsocketCommunicator:
    socket = WebsocketCommunicator(application, URL, headers=headers)
    connected, _ = await socket.connect()
    assert connected
    return socket


def run(scenario):
    return async_to_sync(scenario)()


def connect_and_read_first(headers):
    """Open a socket, return (what it says first, and whether it is closed)."""

    async def scenario():
        socket = WebsocketCommunicator(application, URL, headers=headers)
        connected, _ = await socket.connect()
        first = await socket.receive_output(timeout=5)
        await socket.disconnect()
        return connected, first

    return run(scenario)


def test_anonymous_socket_is_closed_with_4401():
    connected, first = connect_and_read_first([(b"origin", allowed_origin())])
    assert connected  # accepted first, so the close code reaches the client
    assert first == {"type": "websocket.close", "code": 4401}


def test_bad_bearer_token_is_closed_with_4401(alice):
    connected, first = connect_and_read_first(bearer_headers("not-a-jwt"))
    assert connected
    assert first == {"type": "websocket.close", "code": 4401}


def test_refresh_token_is_not_accepted_as_bearer(alice):
    connected, first = connect_and_read_first(bearer_headers(str(RefreshToken.for_user(alice))))
    assert first == {"type": "websocket.close", "code": 4401}


def test_foreign_origin_is_refused_before_the_handshake(alice_client):
    async def scenario():
        headers = [(b"origin", b"https://evil.example"), *session_headers(alice_client)[1:]]
        socket = WebsocketCommunicator(application, URL, headers=headers)
        connected, _ = await socket.connect()
        return connected

    assert run(scenario) is False


def test_a_program_with_a_bearer_token_needs_no_origin(alice):
    async def scenario():
        socket = WebsocketCommunicator(
            application, URL, headers=[(b"authorization", f"Bearer {jwt_for(alice)}".encode())]
        )
        connected, _ = await socket.connect()
        first = await socket.receive_json_from(timeout=5)
        await socket.disconnect()
        return connected, first

    connected, first = run(scenario)
    assert connected
    assert first == {"type": "unread_count", "count": 0}


def test_a_session_cookie_without_origin_is_refused(alice_client):
    async def scenario():
        socket = WebsocketCommunicator(application, URL, headers=session_headers(alice_client)[1:])
        connected, _ = await socket.connect()
        return connected

    assert run(scenario) is False


def test_session_user_connects_and_gets_the_unread_count(alice, alice_client):
    Notification.objects.create(user=alice, kind="test", title="Food budget at 80%")
    Notification.objects.create(user=alice, kind="test", title="old news", read_at=timezone.now())

    async def scenario():
        socket = await open_socket(session_headers(alice_client))
        first = await socket.receive_json_from(timeout=5)
        await socket.disconnect()
        return first

    assert run(scenario) == {"type": "unread_count", "count": 1}


def test_bearer_user_connects_and_gets_the_unread_count(alice):
    async def scenario():
        socket = await open_socket(bearer_headers(jwt_for(alice)))
        first = await socket.receive_json_from(timeout=5)
        await socket.disconnect()
        return first

    assert run(scenario) == {"type": "unread_count", "count": 0}


def test_ping_is_answered_and_garbage_is_ignored(alice):
    async def scenario():
        socket = await open_socket(bearer_headers(jwt_for(alice)))
        await socket.receive_json_from(timeout=5)
        await socket.send_to(text_data="{not json")
        await socket.send_json_to({"type": "something-else"})
        await socket.send_json_to({"type": "ping"})
        answer = await socket.receive_json_from(timeout=5)
        await socket.disconnect()
        return answer

    assert run(scenario) == {"type": "pong"}


def test_a_notification_reaches_the_user_in_the_rest_shape(alice, alice_api):
    async def scenario():
        socket = await open_socket(bearer_headers(jwt_for(alice)))
        await socket.receive_json_from(timeout=5)  # unread_count
        await sync_to_async(notify)(
            user=alice, kind="budget_threshold", severity="warning", title="Groceries at 95%",
            body="You have spent 95% of your groceries budget.", data={"percent": 95}, channels=["in_app"],
        )  # fmt: skip
        pushed = await socket.receive_json_from(timeout=5)
        await socket.disconnect()
        return pushed

    pushed = run(scenario)
    listed = alice_api.get("/api/v1/notifications/").json()["results"]
    assert set(pushed) == {"type", "notification"}
    assert pushed["type"] == "notification"
    assert set(pushed["notification"]) == set(listed[0])
    assert pushed["notification"]["title"] == "Groceries at 95%"
    assert pushed["notification"]["read_at"] is None
    # the same values as REST, except the delivery that was being sent at push time
    assert {k: v for k, v in pushed["notification"].items() if k != "deliveries"} == {
        k: v for k, v in listed[0].items() if k != "deliveries"
    }
    assert [d["channel"] for d in pushed["notification"]["deliveries"]] == ["in_app"]


def test_alice_never_receives_bobs_events(alice, bob, bob_client):
    async def scenario():
        alice_socket = await open_socket(bearer_headers(jwt_for(alice)))
        bob_socket = await open_socket(session_headers(bob_client))
        await alice_socket.receive_json_from(timeout=5)
        await bob_socket.receive_json_from(timeout=5)
        await sync_to_async(realtime.send_event)(user_id=bob.pk, event={"type": "unread_count", "count": 9})
        bob_got = await bob_socket.receive_json_from(timeout=5)
        alice_got_nothing = await alice_socket.receive_nothing(timeout=0.5)
        await alice_socket.disconnect()
        await bob_socket.disconnect()
        return bob_got, alice_got_nothing

    bob_got, alice_got_nothing = run(scenario)
    assert bob_got == {"type": "unread_count", "count": 9}
    assert alice_got_nothing


def test_staff_get_their_own_events_only(alice, staff, staff_client):
    async def scenario():
        staff_socket = await open_socket(session_headers(staff_client))
        await staff_socket.receive_json_from(timeout=5)
        await sync_to_async(realtime.send_event)(user_id=alice.pk, event={"type": "unread_count", "count": 2})
        staff_got_nothing = await staff_socket.receive_nothing(timeout=0.5)
        await sync_to_async(realtime.send_event)(user_id=staff.pk, event={"type": "unread_count", "count": 1})
        own = await staff_socket.receive_json_from(timeout=5)
        await staff_socket.disconnect()
        return staff_got_nothing, own

    staff_got_nothing, own = run(scenario)
    assert staff_got_nothing
    assert own == {"type": "unread_count", "count": 1}
