"""Project-wide DRF pieces: the pagination of docs/api.md, the one error format, times in the user's zone."""

import zoneinfo

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from rest_framework import exceptions, pagination, serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from core.months import supported_day
from core.outage import DATABASE_DOWN, RETRY_AFTER_SECONDS, database_unavailable


class InUserTimezone:
    """A view mixin: naive datetimes in requests mean the user's local time; answers carry the user's offset."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        timezone.activate(zoneinfo.ZoneInfo(request.user.timezone))

    def finalize_response(self, request, response, *args, **kwargs):
        timezone.deactivate()
        return super().finalize_response(request, response, *args, **kwargs)


_DATETIME = serializers.DateTimeField(read_only=True)


def api_datetime(value) -> str | None:
    """A moment as DRF's DateTimeField writes it, in the active zone (the user's, under InUserTimezone)."""
    return None if value is None else _DATETIME.to_representation(value)


class Pagination(pagination.PageNumberPagination):
    """`{count, next, previous, results}`; `?page_size=` up to 500."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class DayField(serializers.DateField):
    """A date (YYYY-MM-DD) within Spendwise's calendar (core.months.FIRST_DAY..LAST_DAY)."""

    def to_internal_value(self, value):
        try:
            return supported_day(super().to_internal_value(value))
        except ValueError as exc:
            raise serializers.ValidationError(str(exc))


def _field_name(field: str) -> str:
    """Django's `__all__` becomes DRF's `non_field_errors`, as a serializer would answer."""
    return api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field


def exception_handler(exc, context):
    """DRF's format everywhere: `{"field": ["message"]}` or `{"detail": "message"}`.

    A Django ValidationError raised by a service becomes a 400 in the same shape, so
    services can validate once for the API, the pages and the jobs.
    """
    if database_unavailable(exc):
        return Response({"detail": DATABASE_DOWN}, status=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(
                {_field_name(field): list(messages) for field, messages in exc.message_dict.items()}
            )
        else:
            exc = exceptions.ValidationError({"detail": exc.messages[0] if len(exc.messages) == 1 else exc.messages})
    return drf_exception_handler(exc, context)
