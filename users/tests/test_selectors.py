import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from users import services
from users.models import ConsentScope
from users.selectors import consent_is_granted, consent_states, recent_logins, users_with_consent
from users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_defaults_without_any_decision():
    user = UserFactory()
    assert consent_is_granted(user=user, scope="data_processing") is True
    for scope in ("benchmarking", "recommendations", "external_sync"):
        assert consent_is_granted(user=user, scope=scope) is False


def test_unknown_scope_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown consent scope"):
        consent_is_granted(user=UserFactory(), scope="telepathy")


def test_users_with_consent_follows_the_latest_event_in_one_query():
    keeps, revoked, never = UserFactory(), UserFactory(), UserFactory()
    for user in (keeps, revoked):
        services.consent_set(user=user, scope="benchmarking", granted=True, source="api")
    services.consent_set(user=revoked, scope="benchmarking", granted=False, source="web")
    with CaptureQueriesContext(connection) as queries:
        consenting = list(users_with_consent(scope="benchmarking"))
    assert consenting == [keeps]
    assert len(queries) == 1
    assert set(users_with_consent(scope="data_processing")) == {keeps, revoked, never}


def test_users_with_consent_counts_default_and_skips_inactive():
    active, gone, revoked = UserFactory(), UserFactory(), UserFactory()
    gone.is_active = False
    gone.save()
    services.consent_set(user=revoked, scope="data_processing", granted=False, source="api")
    assert list(users_with_consent(scope=ConsentScope.DATA_PROCESSING)) == [active]


def test_consent_states_list_every_scope_in_order():
    user = UserFactory()
    services.consent_set(user=user, scope="external_sync", granted=True, source="sync")
    states = {state.scope: state for state in consent_states(user=user)}
    assert list(states) == ["data_processing", "benchmarking", "recommendations", "external_sync"]
    assert states["external_sync"].granted is True and states["external_sync"].source == "sync"
    assert states["benchmarking"].granted is False and states["benchmarking"].changed_at is None
    assert states["data_processing"].source == "api"


def test_recent_logins_are_the_users_own_newest_first(rf):
    alice, bob = UserFactory(), UserFactory()
    for password in ("wrong", "correct-horse-battery-staple"):
        services.password_login(request=rf.post("/"), email=alice.email, password=password, method="password", ip=None)
    services.password_login(request=rf.post("/"), email=bob.email, password="wrong", method="jwt", ip=None)
    assert [event.success for event in recent_logins(user=alice)] == [True, False]
