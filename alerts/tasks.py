"""Celery entry points of the alerts app: a few lines each, taking ids, idempotent."""

from celery import shared_task

from alerts import services
from alerts.services.deliveries import MAX_ATTEMPTS


@shared_task(
    queue="alerts",
    autoretry_for=(services.DeliveryRetry,),
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=MAX_ATTEMPTS,
)
def deliver(delivery_id: int) -> str:
    """Send one delivery; the claim makes a duplicated or retried task harmless."""
    return services.delivery_send(delivery_id=delivery_id)


@shared_task(queue="alerts")
def deliver_deferred() -> int:
    """Every minute: deliveries whose quiet hours ended, and any that were never picked up."""
    ids = services.deliveries_release_due()
    for delivery_id in ids:
        deliver.delay(delivery_id)
    return len(ids)


@shared_task(queue="alerts")
def remind_inactive_users() -> int:
    return services.remind_inactive_users()


@shared_task(queue="alerts")
def send_daily_digests() -> int:
    return services.digests_send_due()


@shared_task(queue="alerts")
def send_monthly_summaries() -> int:
    return services.monthly_summaries_send_due()
