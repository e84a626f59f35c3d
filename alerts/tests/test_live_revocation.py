"""Revoked sign-ins close sockets on every web process: two real daphne processes share
the Redis channel layer; a logout answered by one closes the sockets held by both, and a
deactivation saved by a third process (this test) closes them too. Skipped, with what to
set, when PostgreSQL and Redis are not configured.
"""

import asyncio
import json

import pytest
import requests
from channels.db import database_sync_to_async
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from config.testing.live import services_missing, start_daphne
from users.credentials import token_pair_issue

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

TIMEOUT = 30  # generous: proves the path on a loaded machine; speed is not asserted


@pytest.fixture(scope="module")
def second_daphne(django_db_setup):
    reason = services_missing(broker=False)
    if reason:
        pytest.skip(reason)
    server, url = start_daphne()
    yield url
    server.stop()


def socket_on(server: str, token: str):
    url = server.replace("http://", "ws://", 1) + "/ws/notifications/"
    return connect(url, additional_headers={"Authorization": f"Bearer {token}"}, open_timeout=TIMEOUT)


async def close_code(socket) -> int | None:
    """The code the server closes with (waits up to TIMEOUT), or None if it stays open."""
    try:
        async with asyncio.timeout(TIMEOUT):
            while True:
                await socket.recv()
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else None
    except TimeoutError:
        return None


async def open_after(socket, seconds: float) -> bool:
    try:
        async with asyncio.timeout(seconds):
            while True:
                await socket.recv()
    except TimeoutError:
        return True
    except ConnectionClosed:
        return False


async def greeted(socket) -> None:
    assert json.loads(await socket.recv())["type"] == "unread_count"


def test_a_logout_through_one_daphne_closes_the_sockets_on_both(alice, bob, daphne_server, second_daphne):
    program, other_program, bob_program = token_pair_issue(alice), token_pair_issue(alice), token_pair_issue(bob)

    async def scenario():
        async with (
            socket_on(daphne_server, program["access"]) as here,
            socket_on(second_daphne, program["access"]) as there,
            socket_on(second_daphne, other_program["access"]) as other,
            socket_on(second_daphne, bob_program["access"]) as bobs,
        ):
            for socket in (here, there, other, bobs):
                await greeted(socket)
            answer = await asyncio.to_thread(
                requests.post,
                f"{daphne_server}/api/v1/auth/logout/",
                json={"refresh": program["refresh"]},
                timeout=TIMEOUT,
            )
            codes = await asyncio.gather(close_code(here), close_code(there))
            others_open = await open_after(other, 1) and await open_after(bobs, 0.1)
            return answer.status_code, codes, others_open

    assert asyncio.run(scenario()) == (204, [4401, 4401], True)


def test_deactivation_saved_elsewhere_closes_the_sockets_on_both(alice, bob, daphne_server, second_daphne):
    alice_token, bob_token = token_pair_issue(alice)["access"], token_pair_issue(bob)["access"]

    def deactivate():
        alice.is_active = False
        alice.save(update_fields=["is_active"])

    async def scenario():
        async with (
            socket_on(daphne_server, alice_token) as here,
            socket_on(second_daphne, alice_token) as there,
            socket_on(second_daphne, bob_token) as bobs,
        ):
            for socket in (here, there, bobs):
                await greeted(socket)
            await database_sync_to_async(deactivate)()
            codes = await asyncio.gather(close_code(here), close_code(there))
            return codes, await open_after(bobs, 1)

    assert asyncio.run(scenario()) == ([4401, 4401], True)
