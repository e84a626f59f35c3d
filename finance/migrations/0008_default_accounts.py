"""Every existing user gets a default account: their first checking account (else their first account),
or a new empty "Main account" when they have none, as sign-up now gives every new user."""

from django.conf import settings
from django.db import migrations

DEFAULT_ACCOUNT_NAME = "Main account"  # as finance.services.accounts.DEFAULT_ACCOUNT_NAME at the time


def defaults_choose(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    Account = apps.get_model("finance", "Account")
    with_default = Account.objects.filter(is_default=True).values("user_id")
    for user in User.objects.exclude(pk__in=with_default).only("pk", "currency").iterator():
        mine = Account.objects.filter(user_id=user.pk, archived_at__isnull=True).order_by("created_at", "id")
        chosen = mine.filter(kind="checking").first() or mine.first()
        if chosen is None:
            Account.objects.create(
                user_id=user.pk, name=DEFAULT_ACCOUNT_NAME, kind="checking", currency=user.currency, is_default=True
            )
        else:
            Account.objects.filter(pk=chosen.pk).update(is_default=True)


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0007_account_default_archive_budget_constraints"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(defaults_choose, migrations.RunPython.noop, elidable=True)]
