"""Password guessing: django-axes counts failed logins per account and per address (the API
token endpoint, the login page and /admin/login/ all go through `authenticate`) and locks
either out for LOGIN_LOCKOUT_MINUTES after LOGIN_FAILURE_LIMIT failures. This module gives
axes our notion of the account and the address, answers a locked-out attempt, and records
every refused attempt in the login audit.
"""

import math

from axes.signals import user_locked_out
from django.conf import settings
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import render

from users.models import LoginMethod, User
from users.throttling import client_ip


def lockout_message() -> str:
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return (
        f"Too many failed logins for this account or from this address. Try again in {minutes} minutes, "
        "or log in with a code sent to your email."
    )


def attempted_email(request, credentials) -> str | None:
    """The account a login tried: the email (API and login page) or the admin form's username field."""
    credentials = credentials or {}
    email = credentials.get("email") or credentials.get("username")
    if not isinstance(email, str):
        email = request.POST.get("email") or request.POST.get("username") if hasattr(request, "POST") else None
    return email.strip().lower()[:254] if isinstance(email, str) and email.strip() else None


def attempt_address(request) -> str | None:
    return client_ip(request)


def lockout_response(request, original_response=None, credentials=None):
    """What a locked-out attempt gets: 429 with Retry-After, JSON `{"detail"}` on the API, else a page."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": lockout_message()}, status=429)
    else:
        response = render(request, "users/locked_out.html", {"message": lockout_message()}, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


def _method_of(path: str) -> str:
    if path.startswith("/admin/"):
        return LoginMethod.ADMIN
    if path.startswith("/api/"):
        return LoginMethod.JWT
    return LoginMethod.PASSWORD


@receiver(user_locked_out, dispatch_uid="users.lockouts.record")
def _record_locked_out(sender, request, username, ip_address, **kwargs):
    """Every attempt axes refuses (and the one that starts a lockout) goes in the login audit."""
    from users.services import login_event_record

    login_event_record(
        email=username or "",
        user=User.objects.filter(email=username or "").first(),
        method=_method_of(request.path),
        success=False,
        ip=ip_address,
        locked_out=True,
    )
