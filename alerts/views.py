"""Pages: alert rules, the notification centre, notification channels. Thin: forms in, services out."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from alerts import selectors, services
from alerts.forms import AlertRuleForm, ChannelForm, NotificationFilterForm, VerifyForm
from alerts.transports.push import DISABLED_MESSAGE, push_enabled
from core.display import count_noun
from finance.forms import show_service_errors
from finance.selectors import categories_for_user


def _categories(user):
    return categories_for_user(user=user)


def _save_rule(request, form, rule=None):
    try:
        if rule is None:
            services.alert_rule_create(user=request.user, **form.changes())
        else:
            services.alert_rule_update(user=request.user, rule=rule, **form.changes())
    except ValidationError as exc:
        show_service_errors(form, exc)
        return False
    return True


@login_required
def rule_list(request):
    rules = selectors.alert_rules_for_user(user=request.user)
    return render(request, "alerts/rules.html", {"rules": rules})


@login_required
def rule_add(request):
    form = AlertRuleForm(
        request.POST or None, categories=_categories(request.user), initial={"timezone": request.user.timezone}
    )
    if request.method == "POST" and form.is_valid() and _save_rule(request, form):
        messages.success(request, "Alert rule added.")
        return redirect("alerts:rules")
    return render(request, "alerts/rule_form.html", {"form": form, "rule": None})


@login_required
def rule_edit(request, pk: int):
    rule = get_object_or_404(selectors.alert_rules_for_user(user=request.user), pk=pk)
    initial = {
        "name": rule.name, "category": rule.category.slug if rule.category_id else "", "thresholds": rule.thresholds,
        "channels": rule.channels, "quiet_hours_start": rule.quiet_hours_start, "quiet_hours_end": rule.quiet_hours_end,
        "timezone": rule.timezone, "daily_limit": rule.daily_limit, "cooldown_minutes": rule.cooldown_minutes,
        "enabled": rule.enabled,
    }  # fmt: skip
    form = AlertRuleForm(request.POST or None, categories=_categories(request.user), initial=initial)
    if request.method == "POST" and form.is_valid() and _save_rule(request, form, rule):
        messages.success(request, "Alert rule saved.")
        return redirect("alerts:rules")
    return render(request, "alerts/rule_form.html", {"form": form, "rule": rule})


@login_required
@require_POST
def rule_disable(request, pk: int):
    rule = get_object_or_404(selectors.alert_rules_for_user(user=request.user), pk=pk)
    services.alert_rule_disable(user=request.user, rule=rule)
    messages.success(request, f"“{rule}” is disabled; its history is kept.")
    return redirect("alerts:rules")


@login_required
def notification_centre(request):
    filters = NotificationFilterForm(request.GET or None)
    kind, unread = "", False
    if filters.is_valid():
        kind, unread = filters.cleaned_data["kind"], filters.cleaned_data["unread"]
    rows = selectors.notifications_for_user(user=request.user, unread=unread, kind=kind or None)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "alerts/notifications.html", {"filters": filters, "page": page})


@login_required
@require_POST
def notification_read(request, pk: int):
    notification = get_object_or_404(selectors.notifications_for_user(user=request.user), pk=pk)
    services.notification_mark_read(user=request.user, notification=notification)
    return redirect(request.POST.get("next") or "alerts:notifications")


@login_required
@require_POST
def notifications_read_all(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, f"Marked {count_noun(count, 'notification')} as read.")
    return redirect("alerts:notifications")


@login_required
def channel_list(request):
    form = ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            channel = services.channel_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            note = "Added." if channel.verified else "Added: enter the code we just sent to confirm it."
            messages.success(request, note)
            return redirect("alerts:channels")
    context = {
        "channels": selectors.channels_for_user(user=request.user), "form": form, "verify_form": VerifyForm(),
        "push_enabled": push_enabled(), "push_disabled_message": DISABLED_MESSAGE,
    }  # fmt: skip
    return render(request, "alerts/channels.html", context)


def _channel(request, pk):
    return get_object_or_404(selectors.channels_for_user(user=request.user), pk=pk)


@login_required
@require_POST
def channel_verify(request, pk: int):
    channel = _channel(request, pk)
    form = VerifyForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["code"][0])
        services.channel_verify(user=request.user, channel=channel, code=form.cleaned_data["code"])
    except ValidationError as exc:
        messages.error(request, f"{channel}: {' '.join(exc.messages)}")
    else:
        messages.success(request, f"{channel} is verified.")
    return redirect("alerts:channels")


@login_required
@require_POST
def channel_action(request, pk: int, action: str):
    channel = _channel(request, pk)
    try:
        if action == "test":
            services.channel_send_test(user=request.user, channel=channel)
            messages.success(request, f"Test notification sent to {channel}; see its status in Notifications.")
        elif action == "resend":
            services.channel_resend_code(user=request.user, channel=channel)
            messages.success(request, f"A new code is on its way to {channel.target}.")
        else:
            services.channel_delete(user=request.user, channel=channel)
            messages.success(request, f"{channel} deleted.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("alerts:channels")
