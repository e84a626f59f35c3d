"""What operators do when consent changes or the schema is migrated (connected in OperatorsConfig.ready)."""

from django.dispatch import receiver

from operators.services import operators_group_ensure, recommendations_withdraw_pending
from users.signals import consent_changed


@receiver(consent_changed, dispatch_uid="operators.withdraw_on_revoke")
def withdraw_pending_on_revoke(sender, *, user, scope, granted, **kwargs):
    if scope == "recommendations" and not granted:
        recommendations_withdraw_pending(user=user, reason="The user withdrew consent to recommendations.")


def ensure_group_after_migrate(sender, **kwargs):
    operators_group_ensure()
