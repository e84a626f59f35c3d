"""The bell in templates/base.html: the unread count when the page is drawn.
static/js/notifications.js keeps it current afterwards."""

from alerts.selectors import unread_count


def unread_notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user=user)}
