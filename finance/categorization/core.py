"""Choosing a category for a transaction that arrived without one. Pure: no ORM.

Order: (1) the user's own rules by priority, (2) the model learned from the user's own
categorisations when it is confident enough, (3) the transaction's kind (income, transfer)
or a built-in keyword, (4) "other".
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from finance.categorization.defaults import default_category
from finance.categorization.learned import NaiveBayes
from finance.categorization.rules import Rule, first_matching_rule, rules_in_order

# The learned model decides only above this confidence; below it the keywords do.
MODEL_THRESHOLD = 0.6
DEFAULT_CONFIDENCE = 0.5
FALLBACK_SLUG = "other"
KIND_SLUGS = {"income": "income", "transfer": "transfer"}


@dataclass(frozen=True)
class Decision:
    category_id: int
    source: str  # "rule" | "model" | "default"
    confidence: float


class Categorizer:
    """Everything one user's categorisation needs, loaded once and reused for many transactions."""

    def __init__(
        self,
        *,
        rules: Iterable[Rule],
        model: NaiveBayes | None,
        system_ids: Mapping[str, int],
        known_ids: frozenset[int] | None = None,
        threshold: float = MODEL_THRESHOLD,
    ):
        self.rules = rules_in_order(rules)
        self.model = model
        self.system_ids = system_ids
        # Categories the model may still answer with (a deleted category is never suggested).
        self.known_ids = known_ids
        self.threshold = threshold

    def categorize(self, *, merchant: str, description: str, kind: str = "expense") -> Decision:
        rule = first_matching_rule(self.rules, merchant=merchant, description=description)
        if rule is not None:
            return Decision(rule.category_id, "rule", 1.0)
        if kind == "expense" and self.model is not None:
            guess = self.model.predict(merchant=merchant, description=description)
            if guess is not None and guess[1] >= self.threshold:
                category_id = int(guess[0])
                if self.known_ids is None or category_id in self.known_ids:
                    return Decision(category_id, "model", round(guess[1], 4))
        slug = KIND_SLUGS.get(kind) or default_category(merchant=merchant, description=description)
        if slug is not None and slug in self.system_ids:
            confidence = 1.0 if kind in KIND_SLUGS else DEFAULT_CONFIDENCE
            return Decision(self.system_ids[slug], "default", confidence)
        return Decision(self.system_ids[FALLBACK_SLUG], "default", 0.0)
