"""What the recommendation generators need about one user, and what the user may see."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from core.api import api_datetime
from core.months import previous_month
from insights import cache
from insights.analytics.personas import persona_of
from insights.analytics.recommendations import Context, ProductSpec
from insights.analytics.subscriptions import RecurringMerchant
from insights.models import VISIBLE_STATUSES, Product, Profile, Recommendation
from insights.selectors.frames import budgets_frame, monthly_totals_frame, transactions_frame
from insights.selectors.summaries import user_today

HISTORY_MONTHS = 6
MERCHANT_DAYS = 90


def _cents(amount: str) -> int:
    return int(Decimal(amount) * 100)


def _recurring(signals: dict) -> list[RecurringMerchant]:
    return [
        RecurringMerchant(
            merchant=r["merchant"], cadence=r["cadence"], charges=r["charges"],
            typical_amount=Decimal(r["monthly_cost"]), monthly_cost=Decimal(r["monthly_cost"]),
        )
        for r in signals["subscriptions"]["recurring_merchants"]
    ]  # fmt: skip


def _products() -> list[ProductSpec]:
    return [
        ProductSpec(slug=p.slug, name=p.name, description=p.description, personas=p.personas,
                    conditions=p.conditions, estimated_monthly_savings=p.estimated_monthly_savings)
        for p in Product.objects.filter(active=True).order_by("slug")
    ]  # fmt: skip


def recommendation_context(*, user, profile: Profile) -> Context:
    today = user_today(user)
    current = today.replace(day=1)
    first = current
    for _ in range(HISTORY_MONTHS):
        first = previous_month(first)
    monthly = monthly_totals_frame(users=[user.pk], first_month=first, last_month=current)
    recent = transactions_frame(
        users=[user.pk], start=timezone.now() - timedelta(days=MERCHANT_DAYS), end=timezone.now()
    )
    expenses = recent[(recent["kind"] == "expense") & (recent["merchant"] != "")]
    budgets = budgets_frame(user=user)
    signals = profile.signals
    return Context(
        user_id=user.pk,
        as_of=today,
        currency=user.currency,
        monthly=monthly[monthly["kind"] == "expense"][["month", "category", "cents"]],
        merchants=expenses.groupby(["category", "merchant"], as_index=False)["cents"].sum(),
        budgets=budgets[budgets["category"] != ""],
        recurring=_recurring(signals),
        persona=persona_of(profile.persona, profile.criteria_met),
        numbers={
            "max_utilization": signals["credit"]["max_utilization"] or 0.0,
            "monthly_income_cents": _cents(signals["income"]["monthly_income"]),
            "savings_balance_cents": _cents(signals["savings"]["balance"]),
            "has_investment": signals["savings"]["has_investment_account"],
        },
        products=_products(),
    )


def recommendation_json(recommendation: Recommendation) -> dict:
    return {
        "id": recommendation.pk,
        "kind": recommendation.kind,
        "title": recommendation.title,
        "body": recommendation.body,
        "rationale": recommendation.rationale,
        "confidence": recommendation.confidence,
        "difficulty": recommendation.difficulty,
        "estimated_monthly_savings": f"{recommendation.estimated_monthly_savings:.2f}",
        "data": recommendation.data,
        "user_status": recommendation.user_status,
        "created_at": api_datetime(recommendation.created_at),
    }


def visible_recommendations(*, user) -> list[dict]:
    """Approved or overridden ones, newest first, as the API shows them (cached per user and per the active
    time zone, which the times are written in: the user's, so the list follows a user who moves)."""

    def read() -> list[dict]:
        rows = Recommendation.objects.filter(user=user, status__in=VISIBLE_STATUSES).order_by("-created_at", "-id")
        return [recommendation_json(r) for r in rows]

    return cache.cached(
        user_id=user.pk, name="recommendations", params=(timezone.get_current_timezone_name(),), compute=read
    )


def visible_recommendation(*, user, recommendation_id: int) -> Recommendation:
    """Raises Recommendation.DoesNotExist for another user's, or one not yet approved."""
    return Recommendation.objects.get(pk=recommendation_id, user=user, status__in=VISIBLE_STATUSES)
