"""The text-generation provider interface. The default keeps the templated text; a provider (set with
INSIGHTS_TEXT_PROVIDER, a dotted path to a class) may rewrite title and body. Guardrails run after it."""

from typing import Protocol

from insights.analytics.recommendations.base import Draft


class TextProvider(Protocol):
    def rewrite(self, draft: Draft) -> Draft: ...


class TemplateText:
    """No rewriting and no network: the generators' own words."""

    def rewrite(self, draft: Draft) -> Draft:
        return draft
