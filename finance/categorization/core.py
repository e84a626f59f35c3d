"""Choosing a category for a transaction that arrived without one. Pure: no ORM.

Order: (1) the user's own rules by priority, (2) what the user taught: the exact merchant first,
then their model when it is confident enough, (3) what consenting users agree on for common
merchants, (4) the transaction's kind (income, transfer) or a built-in keyword, (5) a model's
unsure best guess, (6) "other".
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from finance.categorization.defaults import default_category
from finance.categorization.features import DIRECTIONS, direction_feature, shared_features, transaction_features
from finance.categorization.linear import LinearModel
from finance.categorization.memory import MerchantMemory, merchant_key
from finance.categorization.rules import Rule, first_matching_rule, rules_in_order

# A learned model decides only above this confidence; below it the next step does.
MODEL_THRESHOLD = 0.7
# Consenting users' shared answer for a merchant counts when this share of them agree.
SHARED_AGREEMENT = 0.6
# Below the threshold a model's guess is still taken over "other" (nothing else knew), from this confidence,
# when the model had seen at least half of the line (not a merchant whose every letter pattern is new).
GUESS_FLOOR = 0.2
GUESS_SEEN = 0.5
DEFAULT_CONFIDENCE = 0.5
FALLBACK_SLUG = "other"
KIND_SLUGS = {"income": "income", "transfer": "transfer"}


@dataclass(frozen=True)
class Decision:
    category_id: int
    source: str  # "rule" | "model" | "default"
    confidence: float


@dataclass(frozen=True)
class Guess:
    label: str
    confidence: float
    exact: bool  # the merchant itself was labelled before (memory), not a model's generalisation
    seen: float = 1.0  # the share of the line's features the model had seen


@dataclass(frozen=True)
class Learned:
    """What was learned from labelled transactions: an exact merchant memory and a model that generalises.

    `names_only`: the model was fitted on merchants' normalised names alone (the shared model, which
    never sees one person's descriptions or amounts)."""

    memory: MerchantMemory
    model: LinearModel | None = None
    names_only: bool = False

    def guess(self, *, merchant: str, description: str, kind: str, amount) -> Guess | None:
        key = merchant_key(merchant=merchant, description=description, kind=kind)
        remembered = self.memory.recall(key) if key else None
        if remembered is not None:
            return Guess(*remembered, exact=True)
        if self.model is None or not self.model.knows(direction_feature(kind)):
            return None  # nothing learned, or e.g. a refund when only expenses were ever labelled
        if self.names_only:
            features = shared_features(merchant=merchant, description=description, kind=kind)
        else:
            features = transaction_features(merchant=merchant, description=description, kind=kind, amount=amount)
        label, confidence, seen = self.model.predict(features)
        return Guess(label, confidence, exact=False, seen=seen)


class Categorizer:
    """Everything one user's categorisation needs, loaded once and reused for many transactions."""

    def __init__(
        self,
        *,
        rules: Iterable[Rule],
        system_ids: Mapping[str, int],
        learned: Learned | None = None,
        shared: Learned | None = None,
        known_ids: frozenset[int] | None = None,
        threshold: float = MODEL_THRESHOLD,
    ):
        self.rules = rules_in_order(rules)
        self.learned = learned  # labels are the user's category ids, as text
        self.shared = shared  # labels are system category slugs
        self.system_ids = system_ids
        # Categories the model may still answer with (a deleted category is never suggested).
        self.known_ids = known_ids
        self.threshold = threshold

    def categorize(
        self, *, merchant: str, description: str, kind: str = "expense", amount: Decimal | None = None
    ) -> Decision:
        rule = first_matching_rule(self.rules, merchant=merchant, description=description)
        if rule is not None:
            return Decision(rule.category_id, "rule", 1.0)
        if kind not in DIRECTIONS:
            kind = "expense"
        line = {"merchant": merchant, "description": description, "kind": kind, "amount": amount}
        own = self._own(self.learned.guess(**line)) if self.learned else None
        if own is not None and (own[1].exact or own[1].confidence >= self.threshold):
            return own[0]
        shared = self._shared(self.shared.guess(**line)) if self.shared else None
        if shared is not None:
            agreed = shared[1].confidence >= (SHARED_AGREEMENT if shared[1].exact else self.threshold)
            if agreed:
                return shared[0]
        slug = KIND_SLUGS.get(kind) or default_category(merchant=merchant, description=description)
        if slug is not None and slug in self.system_ids:
            confidence = 1.0 if kind in KIND_SLUGS else DEFAULT_CONFIDENCE
            return Decision(self.system_ids[slug], "default", confidence)
        # Nothing sure: a model's best guess, with its low confidence, still beats "other".
        guesses = [
            found
            for found in (own, shared)
            if found is not None and found[1].confidence >= GUESS_FLOOR and found[1].seen >= GUESS_SEEN
        ]
        if guesses:
            return max(guesses, key=lambda found: found[1].confidence)[0]
        return Decision(self.system_ids[FALLBACK_SLUG], "default", 0.0)

    def _own(self, guess: Guess | None) -> tuple[Decision, Guess] | None:
        if guess is None or (self.known_ids is not None and int(guess.label) not in self.known_ids):
            return None
        return Decision(int(guess.label), "model", round(guess.confidence, 4)), guess

    def _shared(self, guess: Guess | None) -> tuple[Decision, Guess] | None:
        if guess is None or guess.label not in self.system_ids:
            return None
        return Decision(self.system_ids[guess.label], "model", round(guess.confidence, 4)), guess
