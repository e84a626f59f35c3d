"""Reads about users that more than one caller needs."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from users.models import (
    CONSENT_DEFAULTS,
    CONSENT_DESCRIPTIONS,
    ConsentEvent,
    ConsentScope,
    DataExport,
    ExportStatus,
    LoginEvent,
    RevokedTokenFamily,
    User,
)


@dataclass(frozen=True)
class ConsentState:
    scope: str
    label: str
    description: str
    granted: bool
    changed_at: datetime | None  # None: never decided, the default applies
    source: str | None


def _check_scope(scope: str) -> None:
    if scope not in CONSENT_DEFAULTS:
        raise ValueError(f"Unknown consent scope {scope!r}; expected one of {', '.join(CONSENT_DEFAULTS)}")


def consent_is_granted(*, user: User, scope: str) -> bool:
    """The person's current decision for the scope (no query: it is on the user); without one, the default."""
    _check_scope(scope)
    return bool(user.consents.get(scope, CONSENT_DEFAULTS[scope]))


def users_with_consent(*, scope: str) -> QuerySet[User]:
    """Active users whose current decision (or the default) grants `scope`, in one query."""
    _check_scope(scope)
    decided = Q(**{f"consents__{scope}": True})
    if CONSENT_DEFAULTS[scope]:
        decided |= ~Q(consents__has_key=scope)
    return User.objects.filter(is_active=True).filter(decided)


def consent_states(*, user: User) -> list[ConsentState]:
    """The current state of every scope, in the order of ConsentScope."""
    latest: dict[str, ConsentEvent] = {}
    for event in ConsentEvent.objects.filter(user=user).order_by("-created_at", "-id"):
        latest.setdefault(event.scope, event)
    return [
        ConsentState(
            scope=scope.value,
            label=scope.label,
            description=CONSENT_DESCRIPTIONS[scope],
            granted=latest[scope].granted if scope in latest else CONSENT_DEFAULTS[scope],
            changed_at=latest[scope].created_at if scope in latest else None,
            source=latest[scope].source if scope in latest else None,
        )
        for scope in ConsentScope
    ]


def consent_history(*, user: User) -> QuerySet[ConsentEvent]:
    return ConsentEvent.objects.filter(user=user).order_by("-created_at", "-id")


def recent_logins(*, user: User, limit: int = 10) -> QuerySet[LoginEvent]:
    return LoginEvent.objects.filter(user=user).order_by("-created_at", "-id")[:limit]


def token_family_revoked(*, family: str) -> bool:
    """Whether the refresh token that started this token family was revoked (logout)."""
    return RevokedTokenFamily.objects.filter(family=family).exists()


def exports_of(*, user: User) -> QuerySet[DataExport]:
    """The person's data exports, newest first, without their archives (read only to download)."""
    return DataExport.objects.filter(user=user).defer("archive")


def export_downloadable(*, export: DataExport) -> bool:
    return export.status == ExportStatus.DONE and export.expires_at is not None and export.expires_at > timezone.now()
