"""Webhooks: a JSON POST signed with HMAC-SHA256 over "timestamp.body".

Headers: X-Spendwise-Event, X-Spendwise-Delivery, X-Spendwise-Timestamp (Unix seconds) and
X-Spendwise-Signature: sha256=<hex HMAC of f"{timestamp}.{body}" with the channel's secret>.
HTTPS only (plain HTTP too when DEBUG), redirects are not followed, and targets resolving to
private, loopback or link-local addresses are refused unless WEBHOOK_ALLOW_PRIVATE.
"""

import hashlib
import hmac
import ipaddress
import json
import socket
import time
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder

from alerts.serializers import NotificationSerializer
from alerts.transports.base import Transport, TransportError

CONNECT_TIMEOUT, READ_TIMEOUT = 3, 5


class UnsafeTarget(ValueError):
    pass


def signature(*, secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def _address_allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if settings.WEBHOOK_ALLOW_PRIVATE:
        return True
    return ip.is_global and not (ip.is_multicast or ip.is_reserved)


def check_target(url: str) -> None:
    """Raise UnsafeTarget with a reason when the URL may not be called."""
    parts = urlsplit(url)
    allowed_schemes = {"https", "http"} if settings.DEBUG else {"https"}
    if parts.scheme not in allowed_schemes:
        raise UnsafeTarget("The webhook URL must start with https://.")
    if not parts.hostname:
        raise UnsafeTarget("The webhook URL must name a host.")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError):
        raise UnsafeTarget(f"The host {parts.hostname} does not resolve.") from None
    for info in infos:
        if not _address_allowed(info[4][0]):
            raise UnsafeTarget(f"{parts.hostname} resolves to a private or local address ({info[4][0]}).")


def webhook_body(delivery) -> dict:
    if delivery.notification_id:
        return {"type": "notification", "notification": NotificationSerializer(delivery.notification).data}
    return delivery.event


class WebhookTransport(Transport):
    kind = "webhook"

    def send(self, delivery) -> None:
        channel = delivery.endpoint
        try:
            check_target(channel.target)
        except UnsafeTarget as exc:
            raise TransportError(str(exc), permanent=True) from exc
        payload = webhook_body(delivery)
        body = json.dumps(payload, cls=DjangoJSONEncoder, separators=(",", ":")).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Spendwise-Webhook/1",
            "X-Spendwise-Event": payload["type"],
            "X-Spendwise-Delivery": str(delivery.id),
            "X-Spendwise-Timestamp": timestamp,
            "X-Spendwise-Signature": signature(secret=channel.secret, timestamp=timestamp, body=body),
        }
        try:
            response = requests.post(
                channel.target,
                data=body,
                headers=headers,
                timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            raise TransportError(f"Webhook unreachable: {exc.__class__.__name__}: {exc}") from exc
        if response.status_code >= 500:
            raise TransportError(f"Webhook answered {response.status_code}")
        if 300 <= response.status_code < 400:
            where = response.headers.get("Location", "")
            raise TransportError(
                f"Webhook answered {response.status_code} (redirect to {where} not followed)", permanent=True
            )
        if response.status_code >= 400:
            raise TransportError(f"Webhook refused the delivery ({response.status_code})", permanent=True)
