"""REST shapes of API.md "Alerts", shared by the API, the WebSocket push and webhooks."""

from rest_framework import serializers

from alerts.models import AlertRule, ChannelKind, Delivery, Notification, NotificationChannel, Severity


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = ["channel", "status", "attempts", "error", "deliver_after", "sent_at"]


class NotificationSerializer(serializers.ModelSerializer):
    deliveries = DeliverySerializer(source="delivery_list", many=True, read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "severity", "title", "body", "data", "created_at", "read_at", "deliveries"]
        read_only_fields = fields


class ThresholdSerializer(serializers.Serializer):
    percent = serializers.IntegerField(min_value=1, max_value=1000)
    severity = serializers.ChoiceField(choices=Severity.choices)


class AlertRuleSerializer(serializers.ModelSerializer):
    category = serializers.SlugField(allow_null=True, required=False, default=None)
    thresholds = ThresholdSerializer(many=True, required=False)
    channels = serializers.ListField(child=serializers.ChoiceField(choices=ChannelKind.choices), required=False)
    quiet_hours_start = serializers.TimeField(format="%H:%M", input_formats=["%H:%M"], allow_null=True, required=False)
    quiet_hours_end = serializers.TimeField(format="%H:%M", input_formats=["%H:%M"], allow_null=True, required=False)
    timezone = serializers.CharField(max_length=64, required=False)

    class Meta:
        model = AlertRule
        fields = [
            "id",
            "name",
            "category",
            "thresholds",
            "channels",
            "quiet_hours_start",
            "quiet_hours_end",
            "timezone",
            "daily_limit",
            "cooldown_minutes",
            "enabled",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["category"] = instance.category.slug if instance.category_id else None
        return data


class NotificationChannelSerializer(serializers.ModelSerializer):
    secret = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=200)
    keys = serializers.DictField(child=serializers.CharField(), write_only=True, required=False, source="push_keys")
    events = serializers.ListField(child=serializers.CharField(), required=False)
    categories = serializers.ListField(child=serializers.SlugField(), required=False)

    class Meta:
        model = NotificationChannel
        fields = ["id", "kind", "target", "verified", "secret", "keys", "events", "categories", "created_at"]
        read_only_fields = ["verified", "created_at"]


class VerifySerializer(serializers.Serializer):
    code = serializers.RegexField(r"^\d{6}$", error_messages={"invalid": "Enter the 6-digit code we sent."})
