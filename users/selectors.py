"""Reads about users that more than one caller needs."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
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
    """The latest event for the scope decides; without one, the scope's default does."""
    _check_scope(scope)
    latest = ConsentEvent.objects.filter(user=user, scope=scope).values_list("granted", flat=True).first()
    return CONSENT_DEFAULTS[scope] if latest is None else latest


def users_with_consent(*, scope: str) -> QuerySet[User]:
    """Active users whose current decision (or the default) grants `scope`, in one query."""
    _check_scope(scope)
    latest = ConsentEvent.objects.filter(user=OuterRef("pk"), scope=scope).values("granted")[:1]
    return (
        User.objects.filter(is_active=True)
        .alias(consent_granted=Coalesce(Subquery(latest), Value(CONSENT_DEFAULTS[scope])))
        .filter(consent_granted=True)
    )


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
