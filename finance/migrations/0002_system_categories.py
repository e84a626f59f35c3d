"""The system categories of docs/api.md. Frozen here on purpose: later code changes must not rewrite history."""

from django.db import migrations

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


def create_system_categories(apps, schema_editor):
    Category = apps.get_model("finance", "Category")
    for slug, name in SYSTEM_CATEGORIES:
        Category.objects.get_or_create(user=None, slug=slug, defaults={"name": name})


def remove_system_categories(apps, schema_editor):
    Category = apps.get_model("finance", "Category")
    Category.objects.filter(user=None, slug__in=[slug for slug, _ in SYSTEM_CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_system_categories, remove_system_categories),
    ]
