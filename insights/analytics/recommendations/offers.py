"""Product offers from the catalogue, only to users who are eligible: their persona is one the product
suits, and every condition holds. Conditions: max_utilization (every card below it), min_monthly_income
and min_savings (amounts), has_account_kind ("investment")."""

from decimal import Decimal

from insights.analytics.recommendations.base import Context, Draft, ProductSpec


def _cents(amount) -> int:
    return int(Decimal(str(amount)) * 100)


def is_eligible(product: ProductSpec, *, persona: str, numbers: dict) -> bool:
    if product.personas and persona not in product.personas:
        return False
    conditions = product.conditions
    if "max_utilization" in conditions and numbers["max_utilization"] >= float(conditions["max_utilization"]):
        return False
    if "min_monthly_income" in conditions and numbers["monthly_income_cents"] < _cents(
        conditions["min_monthly_income"]
    ):
        return False
    if "min_savings" in conditions and numbers["savings_balance_cents"] < _cents(conditions["min_savings"]):
        return False
    return not (conditions.get("has_account_kind") == "investment" and not numbers["has_investment"])


def product_offer(context: Context) -> list[Draft]:
    return [
        Draft(
            kind="product_offer",
            subject_key=f"product_offer:{product.slug}",
            title=product.name,
            body=product.description,
            rationale=(
                f"Suggested for the {context.persona.name} profile; your highest card utilisation is "
                f"{context.numbers['max_utilization']:.0%}."
            ),
            confidence=0.4,
            difficulty="moderate",
            estimated_monthly_savings=product.estimated_monthly_savings,
            data={"product": product.slug, "conditions": product.conditions, "persona": context.persona.slug},
        )
        for product in context.products
        if is_eligible(product, persona=context.persona.slug, numbers=context.numbers)
    ]
