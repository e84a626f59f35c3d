"""DRF views of docs/api.md "Alerts": thin, calling alerts.services and alerts.selectors."""

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from alerts import selectors, services
from alerts.models import AlertRule, Notification, NotificationChannel
from alerts.serializers import (
    AlertRuleSerializer,
    NotificationChannelSerializer,
    NotificationSerializer,
    VerifySerializer,
)
from alerts.transports.push import DISABLED_MESSAGE, push_enabled
from core.api import InUserTimezone


class AlertRuleViewSet(InUserTimezone, viewsets.ModelViewSet):
    """Alert rules. DELETE disables the rule and keeps its history."""

    serializer_class = AlertRuleSerializer
    queryset = AlertRule.objects.none()  # for the schema; requests use get_queryset

    def get_queryset(self):
        return selectors.alert_rules_for_user(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.alert_rule_create(user=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.alert_rule_update(
            user=self.request.user, rule=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.alert_rule_disable(user=self.request.user, rule=instance)


class NotificationChannelViewSet(InUserTimezone, viewsets.ModelViewSet):
    """Where notifications go besides the app. SMS numbers and other email addresses are confirmed by a code."""

    serializer_class = NotificationChannelSerializer
    queryset = NotificationChannel.objects.none()

    def get_queryset(self):
        return selectors.channels_for_user(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.channel_create(user=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        changes = dict(serializer.validated_data)
        if "kind" in changes and changes.pop("kind") != serializer.instance.kind:
            raise ValidationError({"kind": ["The kind of a channel cannot change; add a new channel."]})
        serializer.instance = services.channel_update(user=self.request.user, channel=serializer.instance, **changes)

    def perform_destroy(self, instance):
        services.channel_delete(user=self.request.user, channel=instance)

    @extend_schema(request=VerifySerializer, responses=NotificationChannelSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        form = VerifySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        channel = services.channel_verify(
            user=request.user, channel=self.get_object(), code=form.validated_data["code"]
        )
        return Response(NotificationChannelSerializer(channel).data)

    @extend_schema(request=None, responses={202: None})
    @action(detail=True, methods=["post"], url_path="resend-code")
    def resend_code(self, request, pk=None):
        services.channel_resend_code(user=request.user, channel=self.get_object())
        return Response(status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses={202: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        notification = services.channel_send_test(user=request.user, channel=self.get_object())
        return Response(NotificationSerializer(notification).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "PushKey",
            {
                "enabled": serializers.BooleanField(),
                "public_key": serializers.CharField(),
                "detail": serializers.CharField(),
            },
        ),
    )
    @action(detail=False, methods=["get"], url_path="push-key")
    def push_key(self, request):
        """The VAPID public key a browser subscribes with, or why push is off."""
        if not push_enabled():
            return Response({"enabled": False, "public_key": "", "detail": DISABLED_MESSAGE})
        return Response({"enabled": True, "public_key": settings.VAPID_PUBLIC_KEY, "detail": ""})


@extend_schema(
    parameters=[
        OpenApiParameter("unread", bool, description="Only unread ones."),
        OpenApiParameter("kind", str, description="One kind, e.g. budget_threshold."),
    ]
)
class NotificationViewSet(InUserTimezone, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The notification centre: newest first, each with its deliveries."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()

    def get_queryset(self):
        params = self.request.query_params
        unread = params.get("unread", "").lower() in {"1", "true", "yes"}
        try:
            return selectors.notifications_for_user(
                user=self.request.user, unread=unread, kind=params.get("kind") or None
            )
        except ValueError as exc:
            raise ValidationError({"kind": [str(exc)]})

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        notification = services.notification_mark_read(user=request.user, notification=notification)
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses=inline_serializer("ReadAll", {"marked": serializers.IntegerField()}))
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.notifications_mark_all_read(user=request.user)})
