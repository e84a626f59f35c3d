"""Marking notifications read; open pages' bells follow through the one door to the browser."""

import logging

from django.db import transaction
from django.utils import timezone

from alerts import realtime, selectors
from alerts.models import Notification

logger = logging.getLogger(__name__)


def _push_unread_count(user_id: int) -> None:
    try:
        realtime.send_event(
            user_id=user_id, event={"type": "unread_count", "count": selectors.unread_count(user=user_id)}
        )
    except Exception:  # the bell catches up on the next page load or reconnect
        logger.warning("unread count not pushed to user %s", user_id, exc_info=True)


@transaction.atomic
def notification_mark_read(*, user, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        transaction.on_commit(lambda: _push_unread_count(user.id))
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    count = Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    if count:
        transaction.on_commit(lambda: _push_unread_count(user.id))
    return count
