"""Signals other apps listen to, so users never has to import them.

consent_changed: sent after the database transaction that recorded a consent event
commits. Keyword arguments: user (User), scope (str, a ConsentScope value), granted (bool).

user_registered: sent inside the database transaction that creates a user, on every way in
(sign-up page, API, admin, `createsuperuser`, the demo seed), so other apps can give the new
person what they start with (finance: their default account). A receiver that raises undoes the
sign-up. Keyword arguments: user (User).

access_revoked: sent after a sign-in stopped being valid: a logout (of one browser session or
one token family) or the account's deactivation. Keyword arguments: user_id (int) and
credential (str from users.credentials, or None: every sign-in of the user).
"""

from django.dispatch import Signal

consent_changed = Signal()
user_registered = Signal()
access_revoked = Signal()
