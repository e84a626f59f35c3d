"""What a signed-in connection is bound to, so it can be revoked while it is open.

A browser is bound to its session; a program to its token family: every access token
minted from one refresh token carries that refresh token's id as `sid`. A credential is
named by a digest, never the secret itself, since the name travels through the channel
layer to every web process.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

TOKEN_FAMILY_CLAIM = "sid"  # noqa: S105 (a claim name, not a secret)


@dataclass(frozen=True)
class Credential:
    """What an open connection's sign-in rests on, and until when. `session_key` is set for browsers."""

    name: str  # session_credential(...) or token_credential(...)
    expires_at: datetime
    session_key: str | None = None


def session_credential(session_key: str) -> str:
    return hashlib.sha256(f"session:{session_key}".encode()).hexdigest()


def token_credential(family: str) -> str:
    return hashlib.sha256(f"token:{family}".encode()).hexdigest()


class FamilyRefreshToken(RefreshToken):
    """A refresh token that is refused once its family was logged out."""

    def verify(self) -> None:
        from users.selectors import token_family_revoked

        super().verify()
        if token_family_revoked(family=self.get(TOKEN_FAMILY_CLAIM) or self["jti"]):
            raise TokenError("This refresh token was revoked by a logout.")


def token_pair_issue(user) -> dict[str, str]:
    """A new token family for `user`: {access, refresh}; the refresh view keeps the family on new access tokens."""
    refresh = FamilyRefreshToken.for_user(user)
    refresh[TOKEN_FAMILY_CLAIM] = refresh["jti"]
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def session_credential_find(*, session_key: str | None) -> Credential | None:
    """A browser session's credential, or None when it is gone (logged out) or expired.

    Read from the store each time, as another process may have extended or ended the session."""
    if not session_key:
        return None
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if hasattr(store, "get_model_class"):  # database-backed: the row holds the real expiry
        expires_at = (
            store.get_model_class()
            .objects.filter(session_key=session_key, expire_date__gt=datetime.now(UTC))
            .values_list("expire_date", flat=True)
            .first()
        )
    else:
        session = store(session_key)
        expires_at = session.get_expiry_date() if session.get(SESSION_KEY) is not None else None
    if expires_at is None:
        return None
    return Credential(name=session_credential(session_key), expires_at=expires_at, session_key=session_key)
