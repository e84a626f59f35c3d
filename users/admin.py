"""The operators' view of accounts. Audit rows (consent, logins) are read-only here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime

from users.models import ConsentEvent, ConsentSource, LoginEvent, User
from users.selectors import recent_logins
from users.services import user_register
from users.throttling import client_ip


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "display_name", "timezone", "currency")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class ReadOnlyAuditMixin:
    """Audit rows are written by the services only; operators may look, never touch."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ConsentEventInline(ReadOnlyAuditMixin, admin.TabularInline):
    model = ConsentEvent
    fields = ("created_at", "scope", "granted", "source", "ip")
    readonly_fields = fields
    extra = 0
    ordering = ("-created_at", "-id")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ("email",)
    list_display = (
        "email",
        "display_name",
        "timezone",
        "currency",
        "is_staff",
        "is_active",
        "date_joined",
        "last_login",
    )
    list_filter = ("is_staff", "is_superuser", "is_active", "currency")
    search_fields = ("email", "display_name")
    readonly_fields = ("date_joined", "last_login", "recent_logins")
    inlines = [ConsentEventInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("display_name", "timezone", "currency")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
        ("Logins", {"fields": ("recent_logins",)}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "display_name",
                    "timezone",
                    "currency",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # New accounts go through sign-up so they get the same checks and consent record.
        password = form.cleaned_data.get("password1") if form.cleaned_data.get("usable_password", True) else None
        registered = user_register(
            email=obj.email,
            password=password,
            timezone=obj.timezone,
            currency=obj.currency,
            display_name=obj.display_name,
            ip=client_ip(request),
            source=ConsentSource.ADMIN,
        )
        obj.pk = registered.pk
        obj.password = registered.password
        obj._state.adding = False

    @admin.display(description="Recent logins")
    def recent_logins(self, obj):
        rows = format_html_join(
            "",
            "<li>{} · {} · {} · {}</li>",
            (
                (
                    localtime(event.created_at).strftime("%Y-%m-%d %H:%M %Z"),
                    event.get_method_display(),
                    event.ip or "-",
                    "ok" if event.success else "FAILED",
                )
                for event in recent_logins(user=obj)
            ),
        )
        everything = reverse("admin:users_loginevent_changelist") + f"?user__exact={obj.pk}"
        return format_html('<ul>{}</ul><a href="{}">All logins of this user</a>', rows or "none yet", everything)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []


@admin.register(ConsentEvent)
class ConsentEventAdmin(ReadOnlyAuditMixin, admin.ModelAdmin):
    list_display = ("created_at", "user", "scope", "granted", "source", "ip")
    list_filter = ("scope", "granted", "source")
    search_fields = ("user__email",)
    date_hierarchy = "created_at"
    list_select_related = ("user",)


@admin.register(LoginEvent)
class LoginEventAdmin(ReadOnlyAuditMixin, admin.ModelAdmin):
    list_display = ("created_at", "email", "user", "method", "success", "ip")
    list_filter = ("method", "success")
    search_fields = ("email", "ip")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
