from celery import shared_task


@shared_task(queue="default", acks_late=True, reject_on_worker_lost=True)
def export_build(export_id: int) -> None:
    from users.exports import export_build as build

    build(export_id=export_id)


@shared_task(queue="default")
def export_expire() -> int:
    from users.exports import export_expire as expire

    return expire()
