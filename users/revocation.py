"""When a sign-in stops being valid, say so (users.signals.access_revoked), so open sockets close.

Three causes: a browser session logs out, a program logs out its token family
(users.services.token_logout), and staff deactivate (or delete) the account, however
that is saved.
"""

import logging

from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from users.credentials import session_credential
from users.models import User
from users.signals import access_revoked

logger = logging.getLogger(__name__)


def access_revoked_announce(*, user_id: int, credential: str | None) -> None:
    """After the current transaction commits: `credential` (None: every sign-in of the user) is no longer valid."""

    def announce():
        for listener, result in access_revoked.send_robust(sender=User, user_id=user_id, credential=credential):
            if isinstance(result, Exception):
                logger.error("access_revoked listener %r failed", listener, exc_info=result)

    transaction.on_commit(announce)


@receiver(user_logged_out, dispatch_uid="users.revocation.session_logged_out")
def _session_logged_out(sender, request, user, **kwargs):
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if user is not None and session_key:
        access_revoked_announce(user_id=user.pk, credential=session_credential(session_key))


@receiver(pre_save, sender=User, dispatch_uid="users.revocation.note_deactivation")
def _note_deactivation(sender, instance, raw=False, **kwargs):
    instance._deactivating = bool(
        not raw
        and instance.pk
        and not instance.is_active
        and User.objects.filter(pk=instance.pk, is_active=True).exists()
    )


@receiver(post_save, sender=User, dispatch_uid="users.revocation.deactivated")
def _deactivated(sender, instance, **kwargs):
    if getattr(instance, "_deactivating", False):
        instance._deactivating = False
        access_revoked_announce(user_id=instance.pk, credential=None)


@receiver(post_delete, sender=User, dispatch_uid="users.revocation.deleted")
def _deleted(sender, instance, **kwargs):
    access_revoked_announce(user_id=instance.pk, credential=None)
