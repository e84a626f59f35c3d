import pytest
from django.contrib.auth.models import Group

from conftest import make_user
from operators.permissions import OPERATORS_GROUP
from operators.tests.factories import RecommendationFactory
from users.services import consent_set


@pytest.fixture
def operator(db):
    """dana: staff in the `operators` group, the role the review queue is for."""
    user = make_user("dana@example.com", display_name="Dana", is_staff=True)
    user.groups.add(Group.objects.get(name=OPERATORS_GROUP))
    return user


@pytest.fixture
def pending(alice):
    consent_set(user=alice, scope="recommendations", granted=True, source="web")
    return RecommendationFactory(user=alice)
