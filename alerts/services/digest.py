"""The daily digest of held-back alerts and the monthly summary email."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from alerts.models import Delivery, DeliveryStatus, Notification
from alerts.services.notify import notify
from core.display import count_noun
from core.money import CENT, money_format
from core.months import format_month, month_start, previous_month
from finance.selectors import budget_status_for_month, monthly_spending
from users.models import User


def _local(now: datetime, user) -> datetime:
    return now.astimezone(ZoneInfo(user.timezone or "UTC"))


@transaction.atomic
def digest_send(*, user, now: datetime | None = None) -> Notification | None:
    """Email what the daily limit held back since the last digest, once per local day."""
    now = now or timezone.now()
    held = Delivery.objects.select_for_update().filter(
        user=user, status=DeliveryStatus.SUPPRESSED, digested_at__isnull=True, notification__isnull=False
    )
    notification_ids = sorted(set(held.values_list("notification_id", flat=True)))
    if not notification_ids:
        return None
    items = [
        {"title": n.title, "body": n.body, "severity": n.severity, "created_at": n.created_at.isoformat()}
        for n in Notification.objects.filter(id__in=notification_ids).order_by("created_at", "id")
    ]
    count = len(items)
    digest = notify(
        user=user, kind="digest", severity="info", channels=["email"],
        title=f"{count_noun(count, 'alert')} held back by your daily limit",
        body="\n".join(f"- {item['title']}" for item in items), data={"items": items},
        dedup_key=f"digest:{_local(now, user).date().isoformat()}",
    )  # fmt: skip
    if digest is not None:
        held.update(digested_at=now)
    return digest


def digests_send_due(*, now: datetime | None = None) -> int:
    """Hourly: users for whom it is ALERTS_DAILY_DIGEST_HOUR o'clock get their digest."""
    now = now or timezone.now()
    user_ids = Delivery.objects.filter(status=DeliveryStatus.SUPPRESSED, digested_at__isnull=True).values("user_id")
    sent = 0
    for user in User.objects.filter(id__in=user_ids, is_active=True):
        if _local(now, user).hour == settings.ALERTS_DAILY_DIGEST_HOUR:
            sent += digest_send(user=user, now=now) is not None
    return sent


def monthly_summary_send(*, user, now: datetime | None = None) -> Notification | None:
    """Last month's spending by category and the budgets kept and missed, once per user and month."""
    now = now or timezone.now()
    month = previous_month(month_start(now, user.timezone))
    dedup_key = f"summary:{format_month(month)}"
    if Notification.objects.filter(user=user, dedup_key=dedup_key).exists():
        return None
    spending = sorted(
        ((slug, amount.quantize(CENT)) for slug, amount in monthly_spending(user=user, month=month).items()),
        key=lambda item: -item[1],
    )
    budgets = budget_status_for_month(user=user, month=month)
    kept = [b for b in budgets if b.spent <= b.budget]
    total = sum((amount for _, amount in spending), Decimal("0.00"))
    data = {
        "month": format_month(month), "currency": user.currency, "total_spent": str(total),
        "spending": [{"category": slug, "spent": str(amount)} for slug, amount in spending],
        "budgets": [
            {"category": b.category, "budget": str(b.budget), "spent": str(b.spent), "kept": b.spent <= b.budget}
            for b in budgets
        ],
        "budgets_kept": len(kept), "budgets_total": len(budgets),
    }  # fmt: skip
    label = date_format(month, "F Y")
    return notify(
        user=user, kind="summary", severity="info", channels=["email"], title=f"Your {label} summary",
        body=f"You spent {money_format(total, user.currency)} in {label} and kept {len(kept)} of {len(budgets)} budgets.",
        data=data, dedup_key=dedup_key,
    )  # fmt: skip


def monthly_summaries_send_due(*, now: datetime | None = None) -> int:
    """Hourly: users for whom it is the 1st of the month (their time zone) get last month's summary."""
    now = now or timezone.now()
    sent = 0
    for user in User.objects.filter(is_active=True).only("id", "timezone", "email", "currency"):
        if _local(now, user).day == 1:
            sent += monthly_summary_send(user=user, now=now) is not None
    return sent
