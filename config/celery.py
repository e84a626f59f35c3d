"""The Celery app. `celery -A config worker` (no -Q) consumes every queue below;
`celery -A config beat` uses django-celery-beat's database scheduler, seeded from
BEAT_SCHEDULE (editable afterwards in the admin under "Periodic tasks")."""

import os

from celery import Celery
from celery.schedules import crontab  # noqa: F401  (used by schedule entries added below)
from celery.signals import worker_process_init, worker_ready
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("spendwise")
app.config_from_object("django.conf:settings", namespace="CELERY")

# Each task names its queue in its decorator. `alerts` is latency-sensitive,
# `insights` and `imports` are batch work; they are split so one cannot starve another.
QUEUES = ("default", "outbox", "alerts", "imports", "insights")
app.conf.task_queues = [Queue(name) for name in QUEUES]
app.conf.task_default_queue = "default"
app.conf.worker_prefetch_multiplier = 1
app.conf.task_acks_late = True
app.conf.task_reject_on_worker_lost = True
app.conf.broker_connection_retry_on_startup = True
app.conf.broker_transport_options = {"visibility_timeout": 3600}

# Every periodic job, in one place.
BEAT_SCHEDULE: dict[str, dict] = {
    "outbox-sweep": {"task": "finance.tasks.outbox_sweep", "schedule": 60.0},
    "categorizer-refit-stale": {"task": "finance.tasks.categorizer_refit_stale", "schedule": 600.0},
    "categorizer-shared-build": {
        "task": "finance.tasks.shared_categorizer_build",
        "schedule": crontab(hour=0, minute=30),
    },
    "users-expire-data-exports": {"task": "users.tasks.export_expire", "schedule": crontab(minute=45)},
    "imports-recover": {"task": "finance.tasks.imports_recover", "schedule": 60.0},
    "alerts-deliver-deferred": {"task": "alerts.tasks.deliver_deferred", "schedule": 60.0},
    "alerts-inactivity-reminders": {
        "task": "alerts.tasks.remind_inactive_users",
        "schedule": crontab(hour=10, minute=0),
    },
    "alerts-daily-digests": {"task": "alerts.tasks.send_daily_digests", "schedule": crontab(minute=5)},
    "alerts-monthly-summaries": {"task": "alerts.tasks.send_monthly_summaries", "schedule": crontab(minute=15)},
    "insights-compute-benchmarks": {
        "task": "insights.tasks.compute_benchmarks",
        "schedule": crontab(hour=1, minute=30),
    },
    "insights-compute-signals": {"task": "insights.tasks.compute_signals", "schedule": crontab(hour=2, minute=0)},
    "insights-detect-anomalies": {"task": "insights.tasks.detect_anomalies", "schedule": crontab(hour=2, minute=30)},
    "insights-generate-recommendations": {
        "task": "insights.tasks.generate_recommendations",
        "schedule": crontab(hour=3, minute=0),
    },
}
app.conf.beat_schedule = BEAT_SCHEDULE

app.autodiscover_tasks()


@worker_ready.connect  # the worker's own process (threads and solo pools)
@worker_process_init.connect  # each child of a prefork pool
def _heap_settle(**kwargs) -> None:
    from config.runtime.heap import heap_settle

    heap_settle()
