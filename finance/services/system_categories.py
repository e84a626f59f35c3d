"""The system categories of docs/api.md, and putting them back after a database flush.

Migration 0002 created them with its own frozen copy of this list; this copy serves
post_migrate, which Django also sends after `flush` (as pytest-django's transactional
tests do), so the categories every ledger write needs are never missing.
"""

from finance.models import Category

SYSTEM_CATEGORIES = [
    ("groceries", "Groceries"),
    ("dining", "Dining"),
    ("transport", "Transport"),
    ("housing", "Housing"),
    ("utilities", "Utilities"),
    ("entertainment", "Entertainment"),
    ("shopping", "Shopping"),
    ("health", "Health"),
    ("personal_care", "Personal care"),
    ("travel", "Travel"),
    ("subscriptions", "Subscriptions"),
    ("education", "Education"),
    ("insurance", "Insurance"),
    ("fees", "Fees"),
    ("gifts", "Gifts"),
    ("cash", "Cash"),
    ("income", "Income"),
    ("transfer", "Transfer"),
    ("other", "Other"),
]


def system_categories_ensure(*, using: str = "default", **kwargs) -> None:
    """Create any missing system category (a post_migrate receiver; idempotent)."""
    present = set(Category.objects.using(using).filter(user__isnull=True).values_list("slug", flat=True))
    missing = [Category(slug=slug, name=name) for slug, name in SYSTEM_CATEGORIES if slug not in present]
    if missing:
        Category.objects.using(using).bulk_create(missing, ignore_conflicts=True)
