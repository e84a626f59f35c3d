from decimal import Decimal

import pytest
from django.utils import timezone

from insights.tests.factories import bulk_spending, checking, grant, person


@pytest.fixture
def alice_consents(alice):
    grant(alice, "benchmarking", "recommendations")
    return alice


@pytest.fixture
def peers(db):
    """Nine other consenting people who each spent on groceries this month: with alice, a cohort of 10."""
    people = [person() for _ in range(9)]
    now = timezone.now()
    bulk_spending([(p, checking(p), "groceries", Decimal(100 + 10 * n), now) for n, p in enumerate(people)])
    return people
