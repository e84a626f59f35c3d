from celery import shared_task

from finance.outbox import outbox_pending_ids, outbox_relay_event, outbox_relay_queue


@shared_task(queue="outbox", acks_late=True, reject_on_worker_lost=True)
def outbox_relay(event_id: int, queue: str | None = None, then: list[str] | None = None) -> None:
    """Queued on `queue` itself (see finance.outbox): runs that queue's handlers of the event,
    then hands the event on to the next queue of `then`."""
    outbox_relay_event(event_id=event_id, queue=queue)
    outbox_relay_queue(event_id=event_id, queues=then or [])


@shared_task(queue="outbox")
def outbox_sweep() -> int:
    pending = outbox_pending_ids()
    for event_id in pending:
        outbox_relay_event(event_id=event_id)
    return len(pending)


@shared_task(queue="imports", acks_late=True, reject_on_worker_lost=True)
def import_run(job_id: int) -> None:
    from finance.imports.pipeline import import_job_run

    import_job_run(job_id=job_id)


@shared_task(queue="default")
def categorizer_refit(user_id: int) -> bool:
    """Fit one user's categoriser again after they taught it; a no-op when it is already current."""
    from finance.services.categorizer import categorizer_refit as refit

    return refit(user_id=user_id)


@shared_task(queue="default")
def categorizer_refit_stale() -> int:
    """Refit what a lost or failed refit left behind."""
    from finance.services.categorizer import categorizer_refit as refit
    from finance.services.categorizer import categorizers_stale

    return sum(refit(user_id=user_id) for user_id in categorizers_stale())


@shared_task(queue="default")
def shared_categorizer_build() -> int:
    from finance.services.shared_categorizer import shared_categorizer_build as build

    return build().version


@shared_task(queue="imports")
def imports_recover() -> int:
    """Imports whose worker was lost: queued again, or ended failed after too many starts."""
    from finance.imports.pipeline import import_jobs_recover

    return import_jobs_recover()
