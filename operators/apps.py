from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OperatorsConfig(AppConfig):
    name = "operators"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from operators import receivers

        post_migrate.connect(receivers.ensure_group_after_migrate, sender=self, dispatch_uid="operators.group")
