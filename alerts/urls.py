"""Server-rendered pages of the alerts app."""

from django.urls import path

from alerts import views

app_name = "alerts"

urlpatterns = [
    path("alerts/rules/", views.rule_list, name="rules"),
    path("alerts/rules/add/", views.rule_add, name="rule-add"),
    path("alerts/rules/<int:pk>/", views.rule_edit, name="rule-edit"),
    path("alerts/rules/<int:pk>/disable/", views.rule_disable, name="rule-disable"),
    path("notifications/", views.notification_centre, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification-read"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications-read-all"),
    path("settings/channels/", views.channel_list, name="channels"),
    path("settings/channels/<int:pk>/verify/", views.channel_verify, name="channel-verify"),
    path("settings/channels/<int:pk>/test/", views.channel_action, {"action": "test"}, name="channel-test"),
    path("settings/channels/<int:pk>/resend/", views.channel_action, {"action": "resend"}, name="channel-resend"),
    path("settings/channels/<int:pk>/delete/", views.channel_action, {"action": "delete"}, name="channel-delete"),
]
