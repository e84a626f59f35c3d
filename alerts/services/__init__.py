"""Every write of the alerts app. Views, the API, tasks, commands, admin and other apps call these."""

from alerts.services.alert_rules import (
    alert_rule_create,
    alert_rule_disable,
    alert_rule_ensure_default,
    alert_rule_update,
)
from alerts.services.channels import (
    channel_create,
    channel_delete,
    channel_resend_code,
    channel_send_test,
    channel_update,
    channel_verify,
)
from alerts.services.deliveries import DeliveryRetry, deliveries_release_due, deliveries_retry, delivery_send
from alerts.services.digest import digest_send, digests_send_due, monthly_summaries_send_due, monthly_summary_send
from alerts.services.evaluation import evaluate_user, remind_inactive_users
from alerts.services.notify import dispatch, notify
from alerts.services.read_state import notification_mark_read, notifications_mark_all_read
from alerts.services.webhook_events import webhook_events_fan_out

__all__ = [
    "DeliveryRetry",
    "alert_rule_create",
    "alert_rule_disable",
    "alert_rule_ensure_default",
    "alert_rule_update",
    "channel_create",
    "channel_delete",
    "channel_resend_code",
    "channel_send_test",
    "channel_update",
    "channel_verify",
    "deliveries_release_due",
    "deliveries_retry",
    "delivery_send",
    "digest_send",
    "digests_send_due",
    "dispatch",
    "evaluate_user",
    "monthly_summaries_send_due",
    "monthly_summary_send",
    "notification_mark_read",
    "notifications_mark_all_read",
    "notify",
    "remind_inactive_users",
    "webhook_events_fan_out",
]
