from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "insights"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.outage import redis_returned
        from insights import handlers  # noqa: F401  (registers the outbox subscribers)
        from insights.cache import everything_changed

        redis_returned.connect(everything_changed, dispatch_uid="insights-everything-changed")
