"""WebSocket authentication: the browser's session cookie, or `Authorization: Bearer <JWT>`
for programs. A bad bearer token leaves the user anonymous; consumers close with 4401."""

from channels.auth import AuthMiddlewareStack
from channels.db import database_sync_to_async
from channels.security.websocket import AllowedHostsOriginValidator
from django.contrib.auth.models import AnonymousUser


@database_sync_to_async
def _user_from_bearer(token: str):
    from rest_framework.exceptions import AuthenticationFailed
    from rest_framework_simplejwt.authentication import JWTAuthentication
    from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

    authenticator = JWTAuthentication()
    try:
        return authenticator.get_user(authenticator.get_validated_token(token))
    except (InvalidToken, TokenError, AuthenticationFailed):
        return AnonymousUser()


def _bearer_token(scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return token.strip()
    return None


class BearerAuthMiddleware:
    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        token = _bearer_token(scope)
        if token is not None:
            scope = dict(scope, user=await _user_from_bearer(token))
        return await self.inner(scope, receive, send)


def WebSocketAuthMiddleware(inner):  # noqa: N802 (reads like the middleware classes it wraps)
    """Session auth first; a bearer header, when present, decides instead."""
    return AuthMiddlewareStack(BearerAuthMiddleware(inner))


class OriginCheck:
    """Browsers always send Origin, so the allowed-hosts check stops cross-site sockets riding on a
    session cookie. A program sends no Origin but a Bearer token, which no other site can attach:
    it needs no origin check (its token is still verified by BearerAuthMiddleware)."""

    def __init__(self, inner):
        self.inner = inner
        self.browser_check = AllowedHostsOriginValidator(inner)

    async def __call__(self, scope, receive, send):
        has_origin = any(name == b"origin" for name, _ in scope.get("headers", []))
        if not has_origin and _bearer_token(scope) is not None:
            return await self.inner(scope, receive, send)
        return await self.browser_check(scope, receive, send)
