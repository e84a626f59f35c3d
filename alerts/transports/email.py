"""Email through Django's email backend, with an HTML and a text part."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from alerts.transports.base import Transport, TransportError

# Notifications may name their own email template (the daily digest, the monthly summary).
TEMPLATES = {"digest": "emails/digest", "summary": "emails/monthly_summary", "verification": "emails/verification"}


def send_email(*, to: str, subject: str, template: str, context: dict) -> None:
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
    message.attach_alternative(html, "text/html")
    message.send()


class EmailTransport(Transport):
    kind = "email"

    def send(self, delivery) -> None:
        notification = delivery.notification
        to = delivery.endpoint.target if delivery.endpoint_id else delivery.notification.user.email
        template = TEMPLATES.get(notification.kind, "emails/notification")
        context = {
            "notification": notification,
            "user": notification.user,
            "data": notification.data,
            "site_url": settings.SITE_URL,
        }
        try:
            send_email(to=to, subject=f"[Spendwise] {notification.title}", template=template, context=context)
        except OSError as exc:  # SMTP refused, connection reset, DNS
            raise TransportError(f"Email to {to} failed: {exc}") from exc
