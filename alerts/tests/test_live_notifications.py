"""End to end on the real parts: daphne serving HTTP and WebSocket, a Celery worker,
PostgreSQL and Redis. A program holds a socket open with its JWT; the same program
posts an expense through the API that crosses a budget threshold; the notification
arrives on the socket. Skipped, with what to set, when the services are not configured.
"""

import asyncio
import json
from decimal import Decimal

import pytest
import requests
from rest_framework_simplejwt.tokens import RefreshToken
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from alerts.services import alert_rule_create
from finance.services import account_create, budget_create

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# Generous: this proves the path works on a loaded CI machine; speed is bench/alerts.py's job.
ARRIVAL_TIMEOUT = 30


def jwt_for(user) -> str:
    return str(RefreshToken.for_user(user).access_token)


def socket_for(server: str, token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    url = server.replace("http://", "ws://", 1) + "/ws/notifications/"
    return connect(url, additional_headers=headers, origin=server, open_timeout=ARRIVAL_TIMEOUT)


async def next_notification(socket, kind: str) -> dict:
    """The next notification of that kind (a forecast warning may come along with a threshold)."""
    while True:
        event = json.loads(await socket.recv())
        if event["type"] == "notification" and event["notification"]["kind"] == kind:
            return event


async def nothing_but_counts(socket, seconds: float) -> bool:
    try:
        async with asyncio.timeout(seconds):
            while True:
                if json.loads(await socket.recv())["type"] != "unread_count":
                    return False
    except TimeoutError:
        return True


def test_an_expense_posted_through_the_api_reaches_the_open_socket(alice, bob, celery_worker, daphne_server):
    account = account_create(user=alice, name="Checking", currency="EUR")
    budget_create(user=alice, amount=Decimal("100.00"))
    alert_rule_create(user=alice, name="All budgets", channels=["in_app"])
    token = jwt_for(alice)

    async def scenario():
        async with (
            socket_for(daphne_server, token) as alice_socket,
            socket_for(daphne_server, jwt_for(bob)) as bob_socket,
        ):
            greeting = json.loads(await alice_socket.recv())
            await bob_socket.recv()
            response = await asyncio.to_thread(
                requests.post,
                f"{daphne_server}/api/v1/transactions/",
                json={"account": account.pk, "amount": "85.00", "merchant": "Corner Grocer"},
                headers={"Authorization": f"Bearer {token}"},
                timeout=ARRIVAL_TIMEOUT,
            )
            pushed = await asyncio.wait_for(next_notification(alice_socket, "budget_threshold"), ARRIVAL_TIMEOUT)
            bob_left_alone = await nothing_but_counts(bob_socket, 1.0)
            return greeting, response, pushed, bob_left_alone

    greeting, response, pushed, bob_left_alone = asyncio.run(scenario())

    assert greeting == {"type": "unread_count", "count": 0}
    assert response.status_code == 201, response.text
    assert set(pushed) == {"type", "notification"}
    assert pushed["notification"]["severity"] == "info"  # 85 % crosses the 80 % threshold only
    listed = requests.get(
        f"{daphne_server}/api/v1/notifications/", headers={"Authorization": f"Bearer {token}"}, timeout=10
    ).json()["results"]
    assert pushed["notification"]["id"] in [n["id"] for n in listed]
    assert bob_left_alone


def test_a_real_client_sees_close_code_4401_without_credentials(daphne_server):
    async def scenario():
        async with socket_for(daphne_server, None) as socket:
            try:
                await asyncio.wait_for(socket.recv(), ARRIVAL_TIMEOUT)
            except ConnectionClosed as closed:
                return closed.rcvd.code
        return None

    assert asyncio.run(scenario()) == 4401


def test_a_real_client_with_a_bad_token_sees_4401(daphne_server):
    async def scenario():
        async with socket_for(daphne_server, "forged.token.value") as socket:
            try:
                await asyncio.wait_for(socket.recv(), ARRIVAL_TIMEOUT)
            except ConnectionClosed as closed:
                return closed.rcvd.code
        return None

    assert asyncio.run(scenario()) == 4401
