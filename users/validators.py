import zoneinfo

from django.core.exceptions import ValidationError

from core.currencies import CURRENCY_CODES


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"'{value}' is not an IANA time zone such as Europe/Berlin.", code="invalid_timezone")


def validate_currency(value: str) -> None:
    if value not in CURRENCY_CODES:
        raise ValidationError(f"'{value}' is not an ISO 4217 currency code such as USD.", code="invalid_currency")
