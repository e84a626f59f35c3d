from django.apps import AppConfig
from django.db.models.signals import post_migrate


class FinanceConfig(AppConfig):
    name = "finance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from finance.categories import system_categories_ensure

        post_migrate.connect(system_categories_ensure, sender=self, dispatch_uid="finance_system_categories")
