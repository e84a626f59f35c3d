"""Open notification sockets are closed (4401) when their sign-in ends: at token or session
expiry, on logout (a browser session, a program's token family) and when staff deactivate
the account. Driven through the whole ASGI stack; the revocations go through the channel
layer as they do between web processes (tests/test_live_revocation.py runs two daphnes).
"""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from alerts.tests.test_consumers import bearer_headers, open_socket, run, session_headers
from config.asgi import application
from conftest import PASSWORD, make_user
from users.credentials import token_pair_issue

pytestmark = pytest.mark.django_db(transaction=True)

CLOSED = {"type": "websocket.close", "code": 4401}


async def greeted(headers) -> WebsocketCommunicator:
    socket = await open_socket(headers)
    assert (await socket.receive_json_from(timeout=5))["type"] == "unread_count"
    return socket


async def closed_within(socket, seconds: float) -> bool:
    return await socket.receive_output(timeout=seconds) == CLOSED


def logged_in_page_client(email: str) -> Client:
    client = Client()
    assert client.post("/login/", {"email": email, "password": PASSWORD}).status_code == 302
    return client


def test_a_bearer_socket_closes_when_its_token_expires(alice):
    token = AccessToken.for_user(alice)
    token.set_exp(lifetime=timedelta(seconds=2))

    async def scenario():
        socket = await greeted(bearer_headers(str(token)))
        still_open = await socket.receive_nothing(timeout=1)
        return still_open, await closed_within(socket, 10)

    assert run(scenario) == (True, True)


def expire_session_in(page: Client, seconds: int) -> None:
    session = page.session
    session.set_expiry(seconds)
    session.save()


def test_a_browser_socket_closes_when_its_session_expires_and_follows_an_extension(alice, bob):
    alice_page, bob_page = Client(), Client()
    for page, person in ((alice_page, alice), (bob_page, bob)):
        page.force_login(person)
        expire_session_in(page, 2)

    async def scenario():
        alice_socket = await greeted(session_headers(alice_page))
        bob_socket = await greeted(session_headers(bob_page))
        await database_sync_to_async(expire_session_in)(bob_page, 3600)  # bob stays active: his session is extended
        alice_closed = await closed_within(alice_socket, 10)
        bob_open = await bob_socket.receive_nothing(timeout=2)
        await bob_socket.disconnect()
        return alice_closed, bob_open

    assert run(scenario) == (True, True)


def test_logging_out_of_a_page_closes_that_sessions_sockets_only(alice):
    phone, laptop = logged_in_page_client(alice.email), logged_in_page_client(alice.email)

    async def scenario():
        phone_socket = await greeted(session_headers(phone))
        laptop_socket = await greeted(session_headers(laptop))
        answer = await database_sync_to_async(phone.post)("/logout/")
        phone_closed = await closed_within(phone_socket, 5)
        laptop_open = await laptop_socket.receive_nothing(timeout=1)
        await laptop_socket.disconnect()
        return answer.status_code, phone_closed, laptop_open

    assert run(scenario) == (302, True, True)


def test_a_program_logging_out_closes_its_token_familys_sockets_and_its_refresh_is_refused(alice):
    program, other_program = token_pair_issue(alice), token_pair_issue(alice)
    api = APIClient()
    refreshed = api.post("/api/v1/auth/token/refresh/", {"refresh": program["refresh"]}).json()["access"]

    async def scenario():
        first = await greeted(bearer_headers(program["access"]))
        second = await greeted(bearer_headers(refreshed))  # the same family, minted later
        other = await greeted(bearer_headers(other_program["access"]))
        answer = await database_sync_to_async(api.post)("/api/v1/auth/logout/", {"refresh": program["refresh"]})
        both_closed = await closed_within(first, 5) and await closed_within(second, 5)
        other_open = await other.receive_nothing(timeout=1)
        await other.disconnect()
        late = WebsocketCommunicator(application, "/ws/notifications/", headers=bearer_headers(refreshed))
        await late.connect()
        refused_after = await closed_within(late, 5)
        return answer.status_code, both_closed, other_open, refused_after

    assert run(scenario) == (204, True, True, True)
    refresh = api.post("/api/v1/auth/token/refresh/", {"refresh": program["refresh"]})
    assert refresh.status_code == 401
    again = api.post("/api/v1/auth/logout/", {"refresh": program["refresh"]})
    assert again.status_code == 400
    assert again.json() == {"refresh": ["This refresh token is invalid, expired or already revoked."]}
    assert api.post("/api/v1/auth/token/refresh/", {"refresh": other_program["refresh"]}).status_code == 200


@pytest.mark.parametrize("garbage", ["", "not-a-token"])
def test_logout_with_a_bad_refresh_token_is_a_400_naming_it(garbage):
    answer = APIClient().post("/api/v1/auth/logout/", {"refresh": garbage})
    assert answer.status_code == 400
    assert list(answer.json()) == ["refresh"]


def test_logout_refuses_an_access_token_in_place_of_the_refresh_token(alice):
    answer = APIClient().post("/api/v1/auth/logout/", {"refresh": token_pair_issue(alice)["access"]})
    assert answer.status_code == 400


def admin_change_form(staff_page: Client, user) -> dict:
    """The user's admin change form as staff would submit it, unchanged."""
    page = staff_page.get(f"/admin/users/user/{user.pk}/change/")
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data["groups"] = [group.pk for group in data.get("groups", [])]
    data["user_permissions"] = [permission.pk for permission in data.get("user_permissions", [])]
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({management.add_prefix(name): value for name, value in management.initial.items()})
    return {name: value for name, value in data.items() if value not in (False, [])}


def test_staff_deactivating_an_account_closes_all_its_sockets_and_no_one_elses(alice, bob):
    root = Client()
    root.force_login(make_user("root@example.com", is_staff=True, is_superuser=True))
    alice_page, bob_page = logged_in_page_client(alice.email), logged_in_page_client(bob.email)
    alice_token = token_pair_issue(alice)["access"]
    form = admin_change_form(root, alice)
    form.pop("is_active")  # an unticked box is absent from the post

    async def scenario():
        alice_sockets = [await greeted(session_headers(alice_page)), await greeted(bearer_headers(alice_token))]
        bob_socket = await greeted(session_headers(bob_page))
        answer = await database_sync_to_async(root.post)(f"/admin/users/user/{alice.pk}/change/", form)
        alice_closed = [await closed_within(socket, 5) for socket in alice_sockets]
        bob_open = await bob_socket.receive_nothing(timeout=1)
        await bob_socket.disconnect()
        return answer.status_code, alice_closed, bob_open

    assert run(scenario) == (302, [True, True], True)
    alice.refresh_from_db()
    assert alice.is_active is False


def test_saving_an_active_account_closes_nothing(alice):
    token = token_pair_issue(alice)["access"]

    async def scenario():
        socket = await greeted(bearer_headers(token))
        alice.display_name = "Alice B."
        await database_sync_to_async(alice.save)()
        still_open = await socket.receive_nothing(timeout=1)
        await socket.disconnect()
        return still_open

    assert run(scenario) is True


def test_an_expired_session_cookie_cannot_open_a_socket(alice):
    page = Client()
    page.force_login(alice)
    expire_session_in(page, -1)

    async def scenario():
        socket = WebsocketCommunicator(application, "/ws/notifications/", headers=session_headers(page))
        await socket.connect()
        return await closed_within(socket, 5)

    assert settings.SESSION_ENGINE.endswith(".db")
    assert run(scenario) is True
