"""Education content by persona, from fixed templates."""

from insights.analytics.recommendations.base import Context, Draft

TEMPLATES = {
    "high_utilization": (
        "How credit utilisation works",
        "Keeping card balances under 30% of their limits can lower interest costs and help your credit "
        "standing. Paying more than the minimum shortens the time a balance takes to clear.",
    ),
    "variable_income": (
        "Budgeting with an irregular income",
        "When pay arrives at uneven intervals, basing your budget on your lowest typical month and building "
        "a buffer of one month of expenses can take the pressure off the gaps.",
    ),
    "subscription_heavy": (
        "Getting the most from subscriptions",
        "A yearly look at every subscription, and switching rarely used ones to pay-as-you-go, is a simple "
        "way to keep recurring costs in line with what you use.",
    ),
    "savings_builder": (
        "Growing your savings further",
        "Automatic transfers on pay day, and an emergency fund of three to six months of expenses, are common "
        "next steps for steady savers.",
    ),
    "wealth_builder": (
        "Diversification basics",
        "Spreading investments across asset types and keeping costs low are widely used principles for "
        "long-term investors.",
    ),
    "general": (
        "Three habits of confident budgeters",
        "Logging spending on the day it happens, setting a budget per category, and reviewing the month once "
        "at its end make spending patterns easy to see.",
    ),
}


def education(context: Context) -> list[Draft]:
    title, body = TEMPLATES[context.persona.slug]
    criteria = "; ".join(context.persona.criteria_met) or "no specific pattern stood out"
    return [
        Draft(
            kind="education",
            subject_key=f"education:{context.persona.slug}",
            title=title,
            body=body,
            rationale=f"Chosen for the {context.persona.name} profile: {criteria}.",
            confidence=0.5,
            difficulty="easy",
            data={"persona": context.persona.slug, "criteria_met": context.persona.criteria_met},
        )
    ]
