"""/api/v1/transactions/sync/: 201 new, 200 seen, consent, validation, concurrency."""

import pytest
from django.conf import settings

from config.testing.concurrency import run_at_once
from finance.models import Transaction
from users.models import ConsentEvent
from users.services import consent_set

URL = "/api/v1/transactions/sync/"


def push(client, **changes):
    body = {
        "source": "card", "external_id": "auth-123", "amount": "12.50", "currency": "EUR",
        "occurred_at": "2025-03-01T10:00:00Z", "merchant": "Starbucks", "consent_given": True,
    }  # fmt: skip
    body.update(changes)
    return client.post(URL, body, format="json")


def test_new_then_seen(alice, alice_api):
    first = push(alice_api)
    second = push(alice_api)

    assert first.status_code == 201, first.content
    assert second.status_code == 200
    assert second.json()["id"] == first.json()["id"]
    txn = Transaction.objects.get()
    assert (txn.source, txn.external_id, str(txn.amount)) == ("sync", "card:auth-123", "12.50")
    assert txn.account.name == "Card (synced)"


def test_same_id_from_another_provider_is_another_transaction(alice_api):
    assert push(alice_api).status_code == 201
    assert push(alice_api, source="qris").status_code == 201
    assert Transaction.objects.count() == 2


def test_consent_given_records_the_event_once(alice, alice_api):
    push(alice_api)
    push(alice_api, external_id="auth-124")

    events = ConsentEvent.objects.filter(user=alice, scope="external_sync")
    assert [(event.granted, event.source) for event in events] == [(True, "sync")]


def test_consent_not_given_is_403(alice_api):
    assert push(alice_api, consent_given=False).status_code == 403
    assert Transaction.objects.count() == 0


def test_revoked_consent_is_403_until_granted_again(alice, alice_api):
    assert push(alice_api).status_code == 201
    consent_set(user=alice, scope="external_sync", granted=False, source="web")

    assert push(alice_api, external_id="auth-2").status_code == 403
    assert push(alice_api).status_code == 403
    consent_set(user=alice, scope="external_sync", granted=True, source="web")
    assert push(alice_api, external_id="auth-2").status_code == 201


@pytest.mark.parametrize(
    ("field", "value"),
    [("amount", "-5"), ("amount", "abc"), ("currency", "EURO"), ("occurred_at", "yesterday"), ("source", "cash")],
)
def test_bad_input_is_400_naming_the_field(alice_api, field, value):
    answer = push(alice_api, **{field: value})
    assert answer.status_code == 400
    assert field in answer.json()


def test_access_cast(alice_api, bob_api, staff_api, anon_api):
    assert push(anon_api).status_code == 401
    assert push(alice_api).status_code == 201
    assert push(bob_api).status_code == 201  # bob's own push, not alice's row
    assert push(staff_api).status_code == 201
    assert Transaction.objects.count() == 3


@pytest.mark.skipif(not settings.USES_POSTGRES, reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_pushes_make_one_row():
    from conftest import api_client_for, make_user

    user = make_user("carol@example.com")
    answers = run_at_once(lambda _: push(api_client_for(user)).status_code, times=6)

    assert sorted(answers) == [200] * 5 + [201]
    assert Transaction.objects.filter(user=user).count() == 1
