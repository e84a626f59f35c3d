"""Password guessing is limited per account and per address, on the API token endpoint,
the login page and the admin login; a lockout answers 429 with a clear message, expires,
and every refused attempt is in the login audit."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time
from rest_framework.test import APIClient

from conftest import PASSWORD, make_user
from users.models import LoginEvent

pytestmark = pytest.mark.django_db

ADDRESSES = [f"203.0.113.{n}" for n in range(1, 9)]
GUESSES_PER_ADDRESS = 8


def token_attempt(email: str, password: str, address: str):
    return APIClient(REMOTE_ADDR=address).post("/api/v1/auth/token/", {"email": email, "password": password})


def after_the_lockout():
    return freeze_time(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1))


def test_eight_addresses_guessing_lock_the_account_and_the_right_password_is_refused_until_it_expires(alice, bob):
    statuses = [
        token_attempt(alice.email, f"guess-{address}-{n}", address).status_code
        for address in ADDRESSES
        for n in range(GUESSES_PER_ADDRESS)
    ]
    limit = settings.AXES_FAILURE_LIMIT
    assert statuses == [401] * (limit - 1) + [429] * (len(statuses) - limit + 1)

    refused = token_attempt(alice.email, PASSWORD, "198.51.100.7")
    assert refused.status_code == 429
    assert "Too many failed logins" in refused.json()["detail"]
    assert int(refused["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    assert "access" not in refused.json()
    # another account, from an address that never guessed, is not affected
    assert token_attempt(bob.email, PASSWORD, "198.51.100.8").status_code == 200

    audit = LoginEvent.objects.filter(email=alice.email)
    assert audit.filter(success=False, locked_out=False).count() == limit - 1
    assert audit.filter(locked_out=True).count() == len(statuses) - limit + 2  # the one that locked, and the rest
    assert not audit.filter(success=True).exists()
    assert audit.filter(locked_out=True, user=alice, method="jwt").exists()

    with after_the_lockout():
        assert token_attempt(alice.email, PASSWORD, "198.51.100.7").status_code == 200


def test_one_address_guessing_across_accounts_is_locked_out_on_its_own(alice, settings):
    settings.AXES_FAILURE_LIMIT = 5  # under the per-address request throttle, so the lockout is what answers
    for n in range(settings.AXES_FAILURE_LIMIT):
        assert token_attempt(f"someone{n}@example.com", "guess", "192.0.2.50").status_code in (401, 429)
    assert token_attempt(alice.email, PASSWORD, "192.0.2.50").status_code == 429
    assert token_attempt(alice.email, PASSWORD, "192.0.2.51").status_code == 200


def test_the_login_page_refuses_a_locked_account_with_a_clear_message(alice):
    for n in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR=f"198.51.100.{n + 1}").post("/login/", {"email": alice.email, "password": f"guess{n}"})
    page = Client(REMOTE_ADDR="198.51.100.200").post("/login/", {"email": alice.email, "password": PASSWORD})
    assert page.status_code == 429
    text = page.content.decode()
    assert 'role="alert"' in text and "Too many failed logins" in text
    assert "_auth_user_id" not in page.client.session
    assert LoginEvent.objects.filter(email=alice.email, method="password", locked_out=True).exists()

    with after_the_lockout():
        answer = Client(REMOTE_ADDR="198.51.100.200").post("/login/", {"email": alice.email, "password": PASSWORD})
        assert answer.status_code == 302


def test_the_admin_login_is_limited_too(db):
    staff = make_user("ops@example.com", is_staff=True, is_superuser=True)
    for n in range(settings.AXES_FAILURE_LIMIT):
        wrong = Client().post("/admin/login/", {"username": staff.email, "password": f"guess{n}"})
        assert wrong.status_code in (200, 429)
    refused = Client().post("/admin/login/?next=/admin/", {"username": staff.email, "password": PASSWORD})
    assert refused.status_code == 429
    assert "Too many failed logins" in refused.content.decode()
    assert LoginEvent.objects.filter(email=staff.email, method="admin", locked_out=True).count() == 2

    with after_the_lockout():
        admin = Client()
        assert (
            admin.post("/admin/login/?next=/admin/", {"username": staff.email, "password": PASSWORD}).status_code == 302
        )
        assert admin.get("/admin/").status_code == 200
