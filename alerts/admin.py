from django.contrib import admin, messages

from alerts import services
from alerts.models import AlertRule, Delivery, Notification, NotificationChannel, ThresholdFiring


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ["channel", "endpoint", "status", "attempts", "error", "duration_ms", "deliver_after", "sent_at"]
    readonly_fields = fields


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "kind", "severity", "created_at", "read_at"]
    list_filter = ["kind", "severity"]
    search_fields = ["title", "user__email"]
    raw_id_fields = ["user", "rule"]
    readonly_fields = ["created_at"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "channel", "status", "attempts", "error", "created_at", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["user__email", "error"]
    raw_id_fields = ["user", "notification", "endpoint"]
    actions = ["retry"]

    @admin.action(description="Send the selected failed or deferred deliveries again now")
    def retry(self, request, queryset):
        ids = services.deliveries_retry(delivery_ids=list(queryset.values_list("id", flat=True)))
        self.message_user(request, f"{len(ids)} deliveries queued.", messages.SUCCESS)


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "category", "enabled", "daily_limit", "cooldown_minutes"]
    list_filter = ["enabled"]
    search_fields = ["name", "user__email"]
    raw_id_fields = ["user", "category"]


@admin.register(NotificationChannel)
class NotificationChannelAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "target", "verified", "created_at"]
    list_filter = ["kind", "verified"]
    search_fields = ["target", "user__email"]
    raw_id_fields = ["user"]
    exclude = ["secret", "verification_code_hash"]


@admin.register(ThresholdFiring)
class ThresholdFiringAdmin(admin.ModelAdmin):
    list_display = ["rule", "category", "month", "threshold", "armed", "times_fired", "fired_at"]
    raw_id_fields = ["rule"]
