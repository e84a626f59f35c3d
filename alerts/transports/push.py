"""Web Push with VAPID (pywebpush). Disabled, with a message saying why, when no VAPID keys are set."""

import json

from django.conf import settings
from pywebpush import WebPushException, webpush

from alerts.transports.base import Transport, TransportError

DISABLED_MESSAGE = "Web Push is disabled: set VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT to enable it."


def push_enabled() -> bool:
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


class PushTransport(Transport):
    kind = "push"

    def send(self, delivery) -> None:
        if not push_enabled():
            raise TransportError(DISABLED_MESSAGE, permanent=True)
        notification = delivery.notification
        subscription = {"endpoint": delivery.endpoint.target, "keys": delivery.endpoint.push_keys}
        payload = json.dumps({"title": notification.title, "body": notification.body, "url": "/notifications/"})
        try:
            webpush(
                subscription_info=subscription,
                data=payload,
                vapid_private_key=settings.VAPID_PRIVATE_KEY,
                vapid_claims={"sub": settings.VAPID_SUBJECT},
                timeout=5,
            )
        except WebPushException as exc:
            status = getattr(exc.response, "status_code", None)
            # 404/410: the browser dropped the subscription; other 4xx: our request is wrong.
            raise TransportError(
                f"Push service refused: {exc}", permanent=status is not None and 400 <= status < 500 and status != 429
            ) from exc
