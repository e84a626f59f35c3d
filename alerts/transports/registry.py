"""Channel kind -> transport class (dotted path, imported on first use)."""

from django.utils.module_loading import import_string

from alerts.transports.base import Transport

TRANSPORTS = {
    "in_app": "alerts.transports.in_app.InAppTransport",
    "email": "alerts.transports.email.EmailTransport",
    "sms": "alerts.transports.sms.SmsTransport",
    "push": "alerts.transports.push.PushTransport",
    "webhook": "alerts.transports.webhook.WebhookTransport",
}


def transport_for(kind: str) -> Transport:
    return import_string(TRANSPORTS[kind])()
