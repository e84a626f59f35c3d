import pytest

from finance.models import Category
from finance.services.system_categories import SYSTEM_CATEGORIES, system_categories_ensure

SLUGS = {slug for slug, _ in SYSTEM_CATEGORIES}


@pytest.mark.django_db
def test_the_system_categories_of_the_contract_exist():
    assert set(Category.objects.filter(user__isnull=True).values_list("slug", flat=True)) == SLUGS
    assert len(SLUGS) == 19 and {"groceries", "personal_care", "transfer", "other"} <= SLUGS


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_them_back():
    """Runs after the flush of a transactional test (pytest-django flushes between them)."""
    assert set(Category.objects.filter(user__isnull=True).values_list("slug", flat=True)) == SLUGS


@pytest.mark.django_db(transaction=True)
def test_putting_them_back_is_idempotent():
    Category.objects.filter(slug="dining").delete()
    system_categories_ensure()
    system_categories_ensure()
    assert Category.objects.filter(user__isnull=True).count() == len(SLUGS)
