"""Recommendation generators: each takes a Context and returns Drafts; guardrails filter them."""

from insights.analytics.recommendations.base import Context, Draft, ProductSpec
from insights.analytics.recommendations.budget import budget_adjustment
from insights.analytics.recommendations.education import education
from insights.analytics.recommendations.guardrails import apply_guardrails
from insights.analytics.recommendations.offers import product_offer
from insights.analytics.recommendations.spending import merchant_consolidation, spending_trend, volatility
from insights.analytics.recommendations.subscription_audit import subscription_audit
from insights.analytics.recommendations.text import TemplateText, TextProvider

GENERATORS = (
    merchant_consolidation,
    spending_trend,
    volatility,
    subscription_audit,
    budget_adjustment,
    education,
    product_offer,
)


def generate(context: Context, *, text: TextProvider | None = None) -> list[Draft]:
    """Every generator's drafts, rewritten by the text provider, then through the guardrails."""
    provider = text or TemplateText()
    drafts = [provider.rewrite(draft) for generator in GENERATORS for draft in generator(context)]
    return apply_guardrails(drafts, context)


__all__ = ["Context", "Draft", "ProductSpec", "GENERATORS", "generate"]
