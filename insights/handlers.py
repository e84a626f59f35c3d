"""Outbox subscribers: keep DailySpending current, mark profiles stale and forget cached reads."""

from datetime import date

from django.db import transaction

from core.months import parse_month
from finance.outbox import register
from insights import cache
from insights.selectors.consent import user_consents
from insights.services.daily import daily_spending_refresh
from insights.services.profiles import profiles_mark_stale


@register("transaction.changed", queue="insights")
def transaction_changed(event) -> None:
    user = event.user
    if user is None:
        return
    if user_consents(user=user):
        months: list[date] = [parse_month(m) for m in event.payload.get("months", [])]
        daily_spending_refresh(user=user, months=months)
        profiles_mark_stale(user=user)
    transaction.on_commit(lambda: cache.user_changed(user.pk))


@register("budget.updated", queue="insights")
def budget_updated(event) -> None:
    if event.user_id is not None:
        transaction.on_commit(lambda: cache.user_changed(event.user_id))
