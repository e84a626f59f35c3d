"""Shared fixtures: the access cast of STYLE.md.

alice owns the data under test, bob is another user, anon has no credentials,
staff (charlie) is an operator. API clients carry a real JWT bearer token;
page clients carry a real session.
"""

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from users.models import User
from users.services import user_register

pytest_plugins = ["config.testing.live", "config.testing.browser", "config.testing.faults"]

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing():
    with override_settings(PASSWORD_HASHERS=["config.testing.hashers.CheapArgon2PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _tasks_run_eagerly():
    """Tasks run in-process unless a test asks for the real worker (the `celery_worker` fixture),
    so a configured broker without a consumer never swallows a test's work."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and cached reads must not leak between tests (user ids repeat on SQLite)."""
    from finance.services.categorizer import categorizer_cache_clear

    cache.clear()
    categorizer_cache_clear()
    yield
    cache.clear()
    categorizer_cache_clear()


def make_user(email: str, **fields) -> User:
    """Signs the person up through the real service; staff/superuser/active flags are set afterwards."""
    flags = {name: fields.pop(name) for name in ("is_staff", "is_superuser", "is_active") if name in fields}
    user = user_register(email=email, password=PASSWORD, **fields)
    if flags:
        for name, value in flags.items():
            setattr(user, name, value)
        user.save(update_fields=list(flags))
    return user


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
