"""Creating, changing and disabling alert rules."""

import zoneinfo

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction

from alerts.models import AlertRule, ChannelKind, ThresholdFiring
from alerts.rules import validate_thresholds
from alerts.turns import evaluation_turn
from finance.selectors import category_for_slug

EDITABLE = (
    "name", "category", "thresholds", "channels", "quiet_hours_start", "quiet_hours_end",
    "timezone", "daily_limit", "cooldown_minutes", "enabled",
)  # fmt: skip


def _resolve_category(*, user, slug):
    if slug in (None, ""):
        return None
    try:
        return category_for_slug(user=user, slug=slug)
    except ObjectDoesNotExist:
        raise ValidationError({"category": [f"There is no category '{slug}'."]})


def _validate(rule: AlertRule) -> None:
    errors: dict[str, list[str]] = {}
    problems = validate_thresholds(rule.thresholds if isinstance(rule.thresholds, list) else [])
    if problems:
        errors["thresholds"] = problems
    channels = rule.channels if isinstance(rule.channels, list) else []
    unknown = [c for c in channels if c not in ChannelKind.values]
    if unknown or not channels:
        errors["channels"] = [f"Choose channels from {', '.join(ChannelKind.values)}."]
    elif len(set(channels)) != len(channels):
        errors["channels"] = ["Name each channel once."]
    if rule.timezone not in zoneinfo.available_timezones():
        errors["timezone"] = [f"'{rule.timezone}' is not an IANA time zone such as Europe/Berlin."]
    if (rule.quiet_hours_start is None) != (rule.quiet_hours_end is None):
        errors["quiet_hours_end"] = ["Give both the start and the end of the quiet hours, or neither."]
    for name in ("daily_limit", "cooldown_minutes"):
        value = getattr(rule, name)
        if not isinstance(value, int) or value < 0:
            errors[name] = ["Must be a whole number, 0 or more."]
    if errors:
        raise ValidationError(errors)


def _apply(rule: AlertRule, *, user, changes: dict) -> None:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in unknown})
    for name, value in changes.items():
        if name == "category":
            value = _resolve_category(user=user, slug=value)
        if name == "thresholds":
            value = [{"percent": t.get("percent"), "severity": t.get("severity")} for t in value]
        setattr(rule, name, value)
    _validate(rule)


@transaction.atomic
def alert_rule_create(*, user, **fields) -> AlertRule:
    """A rule with the defaults of docs/api.md for whatever is not given; its time zone defaults to the user's.

    The user's first rule of their own replaces the default one. Both take the user's evaluation turn, so
    an evaluation giving them the default at the same moment runs wholly before or wholly after."""
    evaluation_turn(user_id=user.pk)
    rule = AlertRule(user=user, timezone=user.timezone or "UTC")
    _apply(rule, user=user, changes=fields)
    rule.save()
    _replace_default(user=user, rule=rule)
    return rule


def _replace_default(*, user, rule: AlertRule) -> None:
    """Remove the default rule; the thresholds it fired for budgets `rule` watches count as `rule`'s,
    so a crossing it already announced is not announced again."""
    default = AlertRule.objects.filter(user=user, is_default=True).first()
    if default is None:
        return
    firings = ThresholdFiring.objects.filter(rule=default)
    if rule.category_id:
        firings = firings.filter(category=rule.category.slug)
    firings.update(rule=rule)
    default.delete()


@transaction.atomic
def alert_rule_update(*, user, rule: AlertRule, **changes) -> AlertRule:
    _apply(rule, user=user, changes=changes)
    rule.save()
    return rule


@transaction.atomic
def alert_rule_disable(*, user, rule: AlertRule) -> AlertRule:
    """Deleting a rule disables it: its notifications and firing history stay."""
    rule.enabled = False
    rule.save(update_fields=["enabled", "updated_at"])
    return rule


@transaction.atomic
def alert_rule_ensure_default(*, user) -> AlertRule | None:
    """Give a user who never set up alerts one rule watching all budgets, so no overrun is silent."""
    evaluation_turn(user_id=user.pk)  # after a rule being created at this moment, or before it
    if AlertRule.objects.filter(user=user).exists():
        return None
    rule = AlertRule(user=user, name="All budgets", timezone=user.timezone or "UTC", is_default=True)
    _validate(rule)
    rule.save()
    return rule
