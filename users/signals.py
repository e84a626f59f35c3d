"""Signals other apps listen to, so users never has to import them.

consent_changed: sent after the database transaction that recorded a consent event
commits. Keyword arguments: user (User), scope (str, a ConsentScope value), granted (bool).
"""

from django.dispatch import Signal

consent_changed = Signal()
