"""Subscription audit: the detected subscriptions and their monthly total."""

from decimal import Decimal

from insights.analytics.recommendations.base import Context, Draft

MIN_SUBSCRIPTIONS = 2


def subscription_audit(context: Context) -> list[Draft]:
    if len(context.recurring) < MIN_SUBSCRIPTIONS:
        return []
    total = sum((r.monthly_cost for r in context.recurring), Decimal("0.00"))
    cheapest = min(r.monthly_cost for r in context.recurring)
    listing = ", ".join(f"{r.merchant} ({r.monthly_cost}/month)" for r in context.recurring)
    return [
        Draft(
            kind="subscription_audit",
            subject_key="subscription_audit",
            title=f"Review your {len(context.recurring)} subscriptions",
            body=(
                "Check which subscriptions you still use. Cancelling even one you have forgotten about adds up "
                "over a year."
            ),
            rationale=f"We found {len(context.recurring)} recurring charges totalling {total} a month: {listing}.",
            confidence=0.8,
            difficulty="easy",
            estimated_monthly_savings=cheapest,
            data={
                "monthly_total": str(total),
                "subscriptions": [
                    {"merchant": r.merchant, "cadence": r.cadence, "monthly_cost": str(r.monthly_cost)}
                    for r in context.recurring
                ],
            },
        )
    ]
