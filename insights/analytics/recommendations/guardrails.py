"""What is never said: shaming or pressuring phrases; every body ends with a not-financial-advice
note; no product offer to a user who is not eligible."""

import re
from dataclasses import replace

from insights.analytics.recommendations.base import Context, Draft
from insights.analytics.recommendations.offers import is_eligible

BANNED_PHRASES = (
    "irresponsible",
    "you should be ashamed",
    "shameful",
    "wasteful",
    "reckless",
    "bad with money",
    "you always",
    "you never",
    "act now",
    "last chance",
    "limited time",
    "don't miss out",
    "hurry",
    "before it's too late",
    "guaranteed",
)
_BANNED = re.compile("|".join(re.escape(p) for p in BANNED_PHRASES), re.IGNORECASE)
DISCLAIMER = "This is general information, not financial advice."


def banned_phrase(text: str) -> str | None:
    match = _BANNED.search(text)
    return match.group(0) if match else None


def apply_guardrails(drafts: list[Draft], context: Context) -> list[Draft]:
    """Drop drafts that say a banned phrase or offer an ineligible product; add the note to the rest."""
    products = {p.slug: p for p in context.products}
    safe = []
    for draft in drafts:
        if banned_phrase(f"{draft.title}\n{draft.body}\n{draft.rationale}"):
            continue
        if draft.kind == "product_offer":
            product = products.get(draft.data.get("product"))
            if product is None or not is_eligible(product, persona=context.persona.slug, numbers=context.numbers):
                continue
        body = draft.body if draft.body.endswith(DISCLAIMER) else f"{draft.body}\n\n{DISCLAIMER}"
        safe.append(replace(draft, body=body))
    return safe
