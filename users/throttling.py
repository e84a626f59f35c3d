"""The strict "auth" limit on everything that checks a password or a code.

Counters live in the default cache (Redis in production), so every web process shares
them. API views use the throttle classes; pages call `auth_throttle_wait`, so both count
against the same limit.
"""

import hashlib
import ipaddress
import math

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


def client_ip(request) -> str | None:
    """The caller's address: REMOTE_ADDR, or the hop NUM_PROXIES back in X-Forwarded-For.

    X-Forwarded-For is ignored unless NUM_PROXIES says a proxy we trust adds it,
    otherwise a client could pick a new address for every request.
    """
    candidate = request.META.get("REMOTE_ADDR", "")
    proxies = api_settings.NUM_PROXIES or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        candidate = hops[-min(proxies, len(hops))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def _posted_email(request) -> str:
    data = getattr(request, "data", None)
    if data is None:
        data = request.POST
    email = data.get("email") if hasattr(data, "get") else None
    return email.strip().lower() if isinstance(email, str) else ""


class AuthRateThrottle(SimpleRateThrottle):
    """The "auth" rate per client address."""

    scope = "auth"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "unknown"}


class AuthEmailRateThrottle(SimpleRateThrottle):
    """The "auth" rate per email address tried, so rotating client addresses does not help."""

    scope = "auth"
    cache_format = "throttle_%(scope)s_email_%(ident)s"

    def get_cache_key(self, request, view):
        email = _posted_email(request)
        if not email:
            return None
        return self.cache_format % {"scope": self.scope, "ident": hashlib.sha256(email.encode()).hexdigest()}


def auth_throttle_wait(request, *, by_email: bool = False) -> int | None:
    """For pages: count this attempt; the seconds to wait when over the limit, else None."""
    throttles = [AuthRateThrottle()] + ([AuthEmailRateThrottle()] if by_email else [])
    waits = [throttle.wait() or 1 for throttle in throttles if not throttle.allow_request(request, None)]
    return math.ceil(max(waits)) if waits else None
