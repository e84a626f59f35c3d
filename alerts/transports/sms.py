"""SMS through a provider: a Twilio-compatible HTTP API, or a console/file backend (the default).

Configured by SMS_BACKEND (console|file|twilio) and SMS_* settings; numbers are E.164.
"""

import logging
import re
from datetime import UTC, datetime

import requests
from django.conf import settings

from alerts.transports.base import Transport, TransportError

logger = logging.getLogger(__name__)
E164 = re.compile(r"^\+[1-9]\d{6,14}$")
SMS_MAX_CHARS = 480  # three segments


def is_e164(number: str) -> bool:
    return bool(E164.match(number))


class SmsProvider:
    def send(self, *, to: str, body: str) -> None:
        raise NotImplementedError


class ConsoleSmsProvider(SmsProvider):
    """Logs the message (and appends it to SMS_FILE_PATH when set): for trying the product."""

    def send(self, *, to: str, body: str) -> None:
        logger.info("SMS to %s: %s", to, body)
        if settings.SMS_FILE_PATH:
            with open(settings.SMS_FILE_PATH, "a", encoding="utf-8") as handle:
                handle.write(f"{datetime.now(UTC).isoformat()}\t{to}\t{body}\n")


class TwilioSmsProvider(SmsProvider):
    """POST {SMS_API_URL}/2010-04-01/Accounts/{sid}/Messages.json with basic auth (Twilio and compatibles)."""

    def send(self, *, to: str, body: str) -> None:
        url = f"{settings.SMS_API_URL.rstrip('/')}/2010-04-01/Accounts/{settings.SMS_ACCOUNT_SID}/Messages.json"
        try:
            response = requests.post(
                url,
                data={"To": to, "From": settings.SMS_FROM_NUMBER, "Body": body},
                auth=(settings.SMS_ACCOUNT_SID, settings.SMS_AUTH_TOKEN),
                timeout=(3, 10),
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            raise TransportError(f"SMS provider unreachable: {exc}") from exc
        if response.status_code >= 500:
            raise TransportError(f"SMS provider answered {response.status_code}")
        if response.status_code >= 300:
            raise TransportError(
                f"SMS provider refused the message ({response.status_code}): {response.text[:200]}", permanent=True
            )


def sms_provider() -> SmsProvider:
    return TwilioSmsProvider() if settings.SMS_BACKEND == "twilio" else ConsoleSmsProvider()


class SmsTransport(Transport):
    kind = "sms"

    def send(self, delivery) -> None:
        number = delivery.endpoint.target
        if not is_e164(number):
            raise TransportError(f"{number} is not an E.164 phone number", permanent=True)
        notification = delivery.notification
        sms_provider().send(to=number, body=f"Spendwise: {notification.title}. {notification.body}"[:SMS_MAX_CHARS])
