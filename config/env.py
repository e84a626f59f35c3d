"""Typed readers for environment variables.

Each reader raises ImproperlyConfigured naming the variable when its value is bad,
so a misconfigured deployment fails at start-up instead of at the first request.
"""

import os
import re
import zoneinfo
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no, on/off), got {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {number}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: set[str]) -> str:
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(sorted(choices))}, got {value!r}")
    return value


def env_rate(name: str, default: str) -> str:
    """A DRF throttle rate: a count per second, minute, hour or day, e.g. 10/min."""
    value = env_str(name, default)
    if not re.fullmatch(r"[1-9]\d*/(s|sec|second|m|min|minute|h|hour|d|day)", value):
        raise ImproperlyConfigured(f"{name} must be a rate such as 10/min (per s, min, hour or day), got {value!r}")
    return value


def env_url(name: str, schemes: set[str]) -> str | None:
    """A URL whose scheme is one of `schemes`, or None when the variable is unset or empty."""
    value = _raw(name)
    if not value:
        return None
    parsed = urlparse(value)
    if parsed.scheme not in schemes:
        allowed = ", ".join(sorted(schemes))
        # Only the scheme is echoed: the rest of a URL may hold a password.
        raise ImproperlyConfigured(
            f"{name} must be a URL with one of the schemes {allowed}, got scheme {parsed.scheme!r}"
        )
    return value


def env_timezone(name: str, default: str) -> str:
    value = _raw(name) or default
    if value not in zoneinfo.available_timezones():
        raise ImproperlyConfigured(f"{name} must be an IANA time zone such as Europe/Berlin, got {value!r}")
    return value


def https_origins(name: str, default: list[str]) -> list[str]:
    origins = env_list(name, default)
    for origin in origins:
        if urlparse(origin).scheme not in {"http", "https"}:
            raise ImproperlyConfigured(f"{name} entries must start with http:// or https://, got {origin!r}")
    return origins


def email_settings(name: str) -> dict[str, object]:
    """Django email settings from a URL: smtp://user:pass@host:587?tls=1, smtps://..., console://, file:///path."""
    url = env_url(name, {"smtp", "smtps", "console", "file", "locmem"})
    if url is None:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    parsed = urlparse(url)
    if parsed.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parsed.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parsed.scheme == "file":
        if not parsed.path:
            raise ImproperlyConfigured(f"{name} file:// needs a folder path, e.g. file:///tmp/mail")
        return {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": parsed.path}
    if not parsed.hostname:
        raise ImproperlyConfigured(f"{name} must name a host, e.g. smtp://user:pass@mail.example.com:587")
    options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    try:
        port = parsed.port or (465 if parsed.scheme == "smtps" else 25)
    except ValueError:
        raise ImproperlyConfigured(f"{name} has a bad port number") from None
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_SSL": parsed.scheme == "smtps",
        "EMAIL_USE_TLS": parsed.scheme == "smtp" and options.get("tls", "0").lower() in _TRUE,
        "EMAIL_TIMEOUT": 10,
    }
