"""Idempotency-Key on POST /api/v1/transactions/ (docs/api.md), and the reusable decorator itself."""

from decimal import Decimal

import pytest
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from finance import services
from finance.api.idempotency import HEADER, idempotent
from finance.models import Transaction

URL = "/api/v1/transactions/"


@pytest.fixture
def checking(alice):
    return services.account_create(user=alice, name="Checking", currency="EUR")


def post(client, body, key):
    return client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_same_key_and_body_replays_the_first_answer(alice_api, checking):
    body = {"account": checking.pk, "amount": "12.50", "merchant": "Lidl"}
    first = post(alice_api, body, "key-1")
    second = post(alice_api, {"merchant": "Lidl", "amount": "12.50", "account": checking.pk}, "key-1")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Transaction.objects.count() == 1


def test_same_key_with_another_body_is_a_422(alice_api, checking):
    post(alice_api, {"account": checking.pk, "amount": "12.50"}, "key-1")
    response = post(alice_api, {"account": checking.pk, "amount": "99.00"}, "key-1")
    assert response.status_code == 422
    assert "detail" in response.json()
    assert Transaction.objects.count() == 1


def test_without_a_key_every_post_creates(alice_api, checking):
    body = {"account": checking.pk, "amount": "1.00"}
    alice_api.post(URL, body, format="json")
    alice_api.post(URL, body, format="json")
    assert Transaction.objects.count() == 2


def test_a_failed_validation_is_not_remembered(alice_api, checking):
    bad = post(alice_api, {"account": checking.pk, "amount": "NaN"}, "key-1")
    assert bad.status_code == 400
    assert post(alice_api, {"account": checking.pk, "amount": "NaN"}, "key-1").status_code == 400
    fixed = post(alice_api, {"account": checking.pk, "amount": "3.00"}, "key-1")
    assert fixed.status_code == 201
    assert Transaction.objects.count() == 1


def test_keys_are_per_user(alice_api, bob_api, bob, checking):
    bobs = services.account_create(user=bob, name="Bob's", currency="USD")
    assert post(alice_api, {"account": checking.pk, "amount": "5.00"}, "shared").status_code == 201
    response = post(bob_api, {"account": bobs.pk, "amount": "5.00"}, "shared")
    assert response.status_code == 201
    assert response.json()["account"] == bobs.pk
    assert Transaction.objects.count() == 2


@pytest.mark.parametrize("key", ["", "   ", "k" * 256])
def test_an_unusable_key_is_a_400(alice_api, checking, key):
    response = post(alice_api, {"account": checking.pk, "amount": "5.00"}, key)
    assert response.status_code == 400
    assert HEADER in response.json()
    assert not Transaction.objects.exists()


def test_anonymous_with_a_key_is_a_401(anon_api, checking):
    assert post(anon_api, {"account": checking.pk, "amount": "5.00"}, "key-1").status_code == 401


class SlowEcho(APIView):
    """A POST that, while still running, sees a second request with the same key arrive."""

    seen_while_running: list[int] = []

    @idempotent
    def post(self, request):
        if request.data.get("outer"):
            inner = factory.post("/echo/", {"outer": True}, format="json", HTTP_IDEMPOTENCY_KEY="busy")
            force_authenticate(inner, user=request.user)
            self.seen_while_running.append(SlowEcho.as_view()(inner).status_code)
        return Response({"echo": request.data}, status=201)


factory = APIRequestFactory()


def test_a_key_still_in_flight_is_a_409(alice):
    SlowEcho.seen_while_running.clear()
    request = factory.post("/echo/", {"outer": True}, format="json", HTTP_IDEMPOTENCY_KEY="busy")
    force_authenticate(request, user=alice)
    assert SlowEcho.as_view()(request).status_code == 201
    assert SlowEcho.seen_while_running == [409]
    again = factory.post("/echo/", {"outer": True}, format="json", HTTP_IDEMPOTENCY_KEY="busy")
    force_authenticate(again, user=alice)
    replay = SlowEcho.as_view()(again)
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert SlowEcho.seen_while_running == [409]  # replayed: the handler did not run again


def test_a_crash_releases_the_key(alice):
    calls = []

    class Flaky(APIView):
        @idempotent
        def post(self, request):
            calls.append(1)
            if len(calls) == 1:
                raise RuntimeError("database went away")
            return Response({"ok": True}, status=201)

    def send():
        request = factory.post("/flaky/", {"a": 1}, format="json", HTTP_IDEMPOTENCY_KEY="k")
        force_authenticate(request, user=alice)
        return Flaky.as_view()(request)

    with pytest.raises(RuntimeError):
        send()
    assert send().status_code == 201
    assert len(calls) == 2


def test_amount_with_same_value_in_another_spelling_is_another_body(alice_api, checking):
    """The key protects the exact request; "12.5" and "12.50" are different bodies."""
    post(alice_api, {"account": checking.pk, "amount": "12.50"}, "key-1")
    assert post(alice_api, {"account": checking.pk, "amount": "12.5"}, "key-1").status_code == 422
    assert Transaction.objects.get().amount == Decimal("12.50")
