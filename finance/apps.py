from django.apps import AppConfig
from django.db.models.signals import post_migrate


class FinanceConfig(AppConfig):
    name = "finance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from finance.services.system_categories import system_categories_ensure
        from users.signals import user_registered

        post_migrate.connect(system_categories_ensure, sender=self, dispatch_uid="finance_system_categories")
        user_registered.connect(_default_account_give, dispatch_uid="finance_default_account")


def _default_account_give(sender, *, user, **kwargs) -> None:
    from finance.services.accounts import account_default_create

    account_default_create(user=user)
