"""WebSocket authentication: the browser's session cookie, or `Authorization: Bearer <JWT>`
for programs. A bad or revoked bearer token leaves the user anonymous; consumers close with 4401.

Besides the user, the scope gets a `credential` (users.credentials): what the socket is
bound to and when that expires, so an open socket can be closed at expiry or revocation.
"""

from datetime import UTC, datetime

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.security.websocket import AllowedHostsOriginValidator
from django.contrib.auth.models import AnonymousUser


@database_sync_to_async
def _user_from_bearer(token: str):
    from rest_framework.exceptions import AuthenticationFailed
    from rest_framework_simplejwt.authentication import JWTAuthentication
    from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

    from users.credentials import TOKEN_FAMILY_CLAIM, Credential, token_credential
    from users.selectors import token_family_revoked

    authenticator = JWTAuthentication()
    try:
        validated = authenticator.get_validated_token(token)
        user = authenticator.get_user(validated)
    except (InvalidToken, TokenError, AuthenticationFailed):
        return AnonymousUser(), None
    family = validated.get(TOKEN_FAMILY_CLAIM) or validated["jti"]
    if token_family_revoked(family=family):
        return AnonymousUser(), None
    expires_at = datetime.fromtimestamp(validated["exp"], tz=UTC)
    return user, Credential(name=token_credential(family), expires_at=expires_at)


@database_sync_to_async
def _session_credential(session_key: str | None):
    from users.credentials import session_credential_find

    return session_credential_find(session_key=session_key)


def _bearer_token(scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return token.strip()
    return None


class CredentialMiddleware:
    """A bearer header, when present, decides the user; otherwise the session does."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        token = _bearer_token(scope)
        if token is not None:
            user, credential = await _user_from_bearer(token)
            scope = dict(scope, user=user, credential=credential)
        elif getattr(scope.get("user"), "is_authenticated", False):
            scope = dict(scope, credential=await _session_credential(scope["session"].session_key))
        return await self.inner(scope, receive, send)


def WebSocketAuthMiddleware(inner):  # noqa: N802 (reads like the middleware classes it wraps)
    """Session auth first; a bearer header, when present, decides instead."""
    return AuthMiddlewareStack(CredentialMiddleware(inner))


class OriginCheck:
    """Browsers always send Origin, so the allowed-hosts check stops cross-site sockets riding on a
    session cookie. A program sends no Origin but a Bearer token, which no other site can attach:
    it needs no origin check (its token is still verified by CredentialMiddleware)."""

    def __init__(self, inner):
        self.inner = inner
        self.browser_check = AllowedHostsOriginValidator(inner)

    async def __call__(self, scope, receive, send):
        has_origin = any(name == b"origin" for name, _ in scope.get("headers", []))
        if not has_origin and _bearer_token(scope) is not None:
            return await self.inner(scope, receive, send)
        return await self.browser_check(scope, receive, send)
