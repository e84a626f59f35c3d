"""Evaluate a user's alert rules against this month's budgets: load state, ask alerts.rules, notify.

Called by the outbox handler after every ledger change (page, API, import, sync, undo)
and by `evaluate_alerts`. Firing records are claimed in one statement (an insert on their unique
key that disarms an armed row instead), never read-then-write, so concurrent evaluations notify once.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import timezone
from django.utils.formats import date_format

from alerts.models import AlertRule, Notification, ThresholdFiring
from alerts.rules import (
    FORECAST_MIN_DAYS,
    INACTIVITY_DAYS,
    Firing,
    Threshold,
    evaluate_forecast,
    evaluate_thresholds,
    inactivity_due,
    threshold_severity_kind,
)
from alerts.services.alert_rules import alert_rule_ensure_default
from alerts.services.notify import notify
from core.money import money_format
from core.months import format_month, month_start
from finance.selectors import budget_status_for_month, budget_statuses_projected, last_logged_at_before
from users.models import ConsentScope, User
from users.selectors import consent_is_granted


def _label(slug: str | None) -> str:
    return slug.replace("_", " ").capitalize() if slug else "All spending"


def evaluate_user(
    *, user, months: list[date] | None = None, now: datetime | None = None, caused_at: datetime | None = None
) -> list[Notification]:
    """Evaluate the current month (when among `months`, or always when None) for every enabled rule.

    `caused_at` is when the ledger change happened; notifications carry it as `event_at`, so the
    operator dashboard can measure the time from a transaction to its in-app delivery."""
    now = now or timezone.now()
    current = month_start(now, user.timezone)
    if months is not None and current not in months:
        return []  # a back-dated change cannot cross this month's thresholds
    if not consent_is_granted(user=user, scope=ConsentScope.DATA_PROCESSING):
        return []  # paused: nothing is claimed, so a crossing is announced once consent is back
    rules = _enabled_rules(user=user)
    if not rules:
        return []
    today = now.astimezone(ZoneInfo(user.timezone)).date()
    statuses = [
        s
        for s in budget_status_for_month(user=user, month=current, today=today, with_projection=False)
        if s.budget and s.budget > 0
    ]
    forecasts_sent = _forecasts_sent(user=user, month=current, statuses=statuses)
    if _days_of_data(current, now, user.timezone) >= FORECAST_MIN_DAYS and any(
        s.spent < s.budget and _forecast_key(s.category, current) not in forecasts_sent for s in statuses
    ):  # a forecast alert may be due: only then is the month projected (it reads months of history)
        statuses = budget_statuses_projected(user=user, month=current, today=today, statuses=statuses)
    with_own_rule = {r.category.slug for r in rules if r.category_id}
    fired: dict[tuple, dict[int, Firing]] = {}  # (rule id, category) -> threshold -> what fired, in one query
    for row in ThresholdFiring.objects.filter(rule__in=rules, month=current):
        fired.setdefault((row.rule_id, row.category), {})[row.threshold] = Firing(
            percent=row.threshold, armed=row.armed, fired_at=row.fired_at
        )
    origin = {"event_at": caused_at.isoformat()} if caused_at else {}
    sent = []
    for rule in rules:
        for status in statuses:
            watched = (
                status.category == rule.category.slug if rule.category_id else status.category not in with_own_rule
            )
            if watched:
                known = fired.get((rule.id, status.category or ""), {})
                sent += _evaluate_budget(
                    user=user, rule=rule, status=status, month=current, now=now, known=known, origin=origin,
                    forecasts_sent=forecasts_sent,
                )  # fmt: skip
    return sent


def _forecast_key(category: str | None, month: date) -> str:
    return f"forecast:{category or '*'}:{format_month(month)}"


def _forecasts_sent(*, user, month: date, statuses: list) -> set[str]:
    """The month's forecast alerts already sent, in one query (each is sent once per month and category)."""
    keys = [_forecast_key(s.category, month) for s in statuses]
    return set(Notification.objects.filter(user=user, dedup_key__in=keys).values_list("dedup_key", flat=True))


def _enabled_rules(*, user) -> list[AlertRule]:
    """The user's enabled rules; a user who never set up alerts first gets the default one."""
    rules = AlertRule.objects.filter(user=user).select_related("category")
    if not rules and alert_rule_ensure_default(user=user):
        rules = rules.all()  # a fresh read: the first one found nothing
    return [rule for rule in rules if rule.enabled]


def _days_of_data(month: date, now: datetime, tz: str) -> int:
    return (now.astimezone(ZoneInfo(tz)).date() - month).days + 1


def _evaluate_budget(
    *, user, rule: AlertRule, status, month: date, now: datetime, known: dict, origin: dict, forecasts_sent: set[str]
) -> list[Notification]:
    category = status.category or ""
    firings = ThresholdFiring.objects.filter(rule=rule, category=category, month=month)
    outcome = evaluate_thresholds(
        spent=status.spent,
        budget=status.budget,
        thresholds=[Threshold(percent=t["percent"], severity=t["severity"]) for t in rule.thresholds],
        firings=known,
        now=now,
        cooldown=timedelta(minutes=rule.cooldown_minutes),
    )
    if outcome.rearm:
        firings.filter(threshold__in=outcome.rearm, armed=False).update(armed=True)
    for percent in outcome.claim_quietly:
        firings.filter(threshold=percent, armed=True).update(armed=False)
    sent = []
    # Highest first: whoever claims the top threshold owns this crossing and notifies; a loser stops at once,
    # so two racing evaluations can never split the crossing into two notifications.
    highest, *lower = sorted(outcome.claim, reverse=True) or [None]
    times = highest and _claim(rule=rule, category=category, month=month, percent=highest, now=now)
    if times:
        for percent in lower:
            _claim(rule=rule, category=category, month=month, percent=percent, now=now)
        threshold = next(t for t in rule.thresholds if t["percent"] == highest)
        sent.append(
            _notify_threshold(
                user=user, rule=rule, status=status, month=month, threshold=threshold, times=times, origin=origin
            )
        )
    forecast = None
    if _forecast_key(status.category, month) not in forecasts_sent:
        forecast = _notify_forecast(user=user, rule=rule, status=status, month=month, now=now, origin=origin)
        if forecast is not None:
            forecasts_sent.add(forecast.dedup_key)  # another rule watching the same budget sends none
    return [n for n in [*sent, forecast] if n is not None]


def _claim(*, rule: AlertRule, category: str, month: date, percent: int, now: datetime) -> int:
    """Record the threshold as fired; the number of times it has fired, or 0 when another evaluation won.

    One statement: a new row, or the armed row disarmed; a concurrent claim waits for the first one's row
    and then finds it disarmed (PostgreSQL and SQLite both re-check the WHERE on the row they conflict with)."""
    table, ops = ThresholdFiring._meta.db_table, connection.ops
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} AS f (rule_id, category, month, threshold, armed, times_fired, fired_at) "  # noqa: S608 (our table)
            "VALUES (%s, %s, %s, %s, false, 1, %s) "
            "ON CONFLICT (rule_id, category, month, threshold) "
            "DO UPDATE SET armed = false, fired_at = EXCLUDED.fired_at, times_fired = f.times_fired + 1 "
            "WHERE f.armed RETURNING times_fired",
            [rule.pk, category, ops.adapt_datefield_value(month), percent, ops.adapt_datetimefield_value(now)],
        )
        row = cursor.fetchone()
    return row[0] if row else 0


def _notify_threshold(*, user, rule, status, month, threshold: dict, times: int, origin: dict) -> Notification | None:
    label, percent = _label(status.category), threshold["percent"]
    kind = threshold_severity_kind(percent)
    title = f"{label}: budget exceeded" if kind == "overspend" else f"{label}: {percent}% of budget used"
    if percent > 100:
        title = f"{label}: {percent}% of budget spent"
    body = (
        f"You have spent {money_format(status.spent, user.currency)} of your {money_format(status.budget, user.currency)} "
        f"{label.lower()} budget for {date_format(month, 'F Y')}."
    )
    data = {
        "category": status.category, "month": format_month(month), "threshold": percent, "rule": rule.id,
        "spent": str(status.spent), "budget": str(status.budget), **origin,
    }  # fmt: skip
    dedup_key = f"threshold:{rule.id}:{status.category or '*'}:{format_month(month)}:{percent}:{times}"
    return notify(
        user=user,
        kind=kind,
        severity=threshold["severity"],
        title=title,
        body=body,
        data=data,
        rule=rule,
        dedup_key=dedup_key,
    )


def _notify_forecast(*, user, rule, status, month, now, origin: dict) -> Notification | None:
    alert = evaluate_forecast(
        spent=status.spent,
        budget=status.budget,
        projected_total=status.projected_total,
        projected_overrun_on=status.projected_overrun_on,
        days_of_data=_days_of_data(month, now, user.timezone),
    )
    if alert is None:
        return None
    label = _label(status.category)
    around = f" around {date_format(alert.overrun_on, 'j F')}" if alert.overrun_on else " by the end of the month"
    body = (
        f"With your regular bills and your usual pace, your {label.lower()} spending is projected to exceed its "
        f"{money_format(status.budget, user.currency)} budget by {money_format(alert.overrun, user.currency)}{around}."
    )
    data = {
        "category": status.category, "month": format_month(month), "projected_total": str(status.projected_total),
        "overrun": str(alert.overrun), "overrun_on": alert.overrun_on.isoformat() if alert.overrun_on else None,
        **origin,
    }  # fmt: skip
    # Once per month and category: under a race, the dedup key's unique constraint decides.
    return notify(
        user=user, kind="forecast", severity="warning", title=f"{label}: projected to exceed budget",
        body=body, data=data, rule=rule, dedup_key=_forecast_key(status.category, month),
    )  # fmt: skip


def remind_inactive_users(*, now: datetime | None = None) -> int:
    """A gentle reminder, once per stretch, to users who logged nothing for INACTIVITY_DAYS."""
    now = now or timezone.now()
    sent = 0
    for user_id, last in last_logged_at_before(cutoff=now - timedelta(days=INACTIVITY_DAYS)):
        if not inactivity_due(last_logged_at=last, now=now):
            continue
        user = User.objects.get(id=user_id)
        days = (now - last).days
        notification = notify(
            user=user, kind="inactivity", severity="info", title="Nothing logged for a while",
            body=f"It has been {days} days since you last logged a transaction. A minute now keeps your budgets honest.",
            data={"last_logged_at": last.isoformat()}, dedup_key=f"inactivity:{last.isoformat()}",
        )  # fmt: skip
        sent += notification is not None
    return sent
