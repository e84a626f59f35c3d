"""Who may be processed: data_processing for every job, plus benchmarking (cohorts) or recommendations."""

from django.db.models import QuerySet

from users.models import User
from users.selectors import consent_is_granted, users_with_consent

DATA_PROCESSING = "data_processing"
BENCHMARKING = "benchmarking"
RECOMMENDATIONS = "recommendations"


def users_consenting(*scopes: str, user_ids: list[int] | None = None) -> QuerySet[User]:
    """Active users granting data_processing and every scope given (a subquery, not a list)."""
    users = users_with_consent(scope=DATA_PROCESSING)
    for scope in scopes:
        users = users.filter(pk__in=users_with_consent(scope=scope).values("pk"))
    if user_ids is not None:
        users = users.filter(pk__in=user_ids)
    return users


def user_consents(*, user, scopes: tuple[str, ...] = ()) -> bool:
    return all(consent_is_granted(user=user, scope=scope) for scope in (DATA_PROCESSING, *scopes))
