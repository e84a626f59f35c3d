"""API routes of the alerts app, mounted under /api/v1/."""

from rest_framework.routers import SimpleRouter

from alerts import api

router = SimpleRouter()
router.register("alert-rules", api.AlertRuleViewSet, basename="alert-rule")
router.register("notification-channels", api.NotificationChannelViewSet, basename="notification-channel")
router.register("notifications", api.NotificationViewSet, basename="notification")

urlpatterns: list = [*router.urls]
