"""Delete my account: every personal row is removed and the account itself anonymised, in one
transaction. Kept: the consent history (without addresses) and the erasure's own record.
Nothing is left to undo: the undo entries go with the rest."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError

from users.models import ConsentEvent, ErasureEvent, LoginEvent, User
from users.personal_data import erased_tables


def account_erase(*, user: User, confirmed_with: str) -> ErasureEvent:
    """Erase `user` (who proved it was them with `confirmed_with`: "password" or "code"). Cannot be undone."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        email = user.email
        removed = _remove_rows(user)
        removed += LoginEvent.objects.filter(email=email).delete()[0]  # attempts that typed the address
        for attempts in (AccessAttempt, AccessLog, AccessFailureLog):
            removed += attempts.objects.filter(username=email).delete()[0]
        ConsentEvent.objects.filter(user=user).update(ip=None)  # the decisions stay, not where they came from
        user.email = f"erased-{user.pk}@erased.invalid"
        user.display_name = ""
        user.set_unusable_password()  # also ends every session
        user.is_active = user.is_staff = user.is_superuser = False
        user.last_login = None
        user.save()  # deactivation closes the open sockets (users.revocation)
        user.groups.clear()
        user.user_permissions.clear()
        return ErasureEvent.objects.create(user=user, confirmed_with=confirmed_with, rows_removed=removed)


def _remove_rows(user: User) -> int:
    """Delete the rows of every personal table; a table another one still points at waits for a later round."""
    waiting = erased_tables()
    removed = 0
    while waiting:
        blocked = []
        for table in waiting:
            try:
                with transaction.atomic():
                    removed += table.rows(user).delete()[0]
            except (ProtectedError, RestrictedError):
                blocked.append(table)
        if len(blocked) == len(waiting):
            raise RuntimeError(f"cannot erase {[table.label for table in blocked]}: other rows still point at them")
        waiting = blocked
    return removed
