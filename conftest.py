"""Shared fixtures: the access cast of STYLE.md.

alice owns the data under test, bob is another user, anon has no credentials,
staff (charlie) is an operator. API clients carry a real JWT bearer token;
page clients carry a real session.
"""

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from users.models import User

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and cached reads must not leak between tests."""
    cache.clear()
    yield
    cache.clear()


def make_user(email: str, **fields) -> User:
    return User.objects.create_user(email=email, password=PASSWORD, **fields)


@pytest.fixture
def alice(db) -> User:
    return make_user("alice@example.com", display_name="Alice", timezone="Europe/Berlin", currency="EUR")


@pytest.fixture
def bob(db) -> User:
    return make_user("bob@example.com", display_name="Bob", timezone="America/New_York")


@pytest.fixture
def staff(db) -> User:
    return make_user("charlie@example.com", display_name="Charlie", is_staff=True)


def api_client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


@pytest.fixture
def alice_api(alice) -> APIClient:
    return api_client_for(alice)


@pytest.fixture
def bob_api(bob) -> APIClient:
    return api_client_for(bob)


@pytest.fixture
def staff_api(staff) -> APIClient:
    return api_client_for(staff)


@pytest.fixture
def anon_api() -> APIClient:
    return APIClient()


def page_client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice) -> Client:
    return page_client_for(alice)


@pytest.fixture
def bob_client(bob) -> Client:
    return page_client_for(bob)


@pytest.fixture
def staff_client(staff) -> Client:
    return page_client_for(staff)


@pytest.fixture
def anon_client() -> Client:
    return Client()
