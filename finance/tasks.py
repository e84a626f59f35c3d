from celery import shared_task

from finance.outbox import outbox_pending_ids, outbox_relay_event


@shared_task(queue="outbox", acks_late=True, reject_on_worker_lost=True)
def outbox_relay(event_id: int) -> None:
    outbox_relay_event(event_id=event_id)


@shared_task(queue="outbox")
def outbox_sweep() -> int:
    pending = outbox_pending_ids()
    for event_id in pending:
        outbox_relay_event(event_id=event_id)
    return len(pending)
