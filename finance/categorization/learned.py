"""A per-user multinomial naive Bayes categoriser, learned from the user's own categorisations. Pure: no ORM.

Features are the words of the merchant and the description, plus the normalised merchant
as one strong feature (weight MERCHANT_WEIGHT). The state is plain token counts, so it
serialises to compact JSON and is updated incrementally: learning one transaction adds its
counts, a correction removes the old counts and adds the new ones.
"""

import math
from collections import Counter

from finance.categorization.text import normalise_merchant, tokens

MERCHANT_WEIGHT = 3
SMOOTHING = 0.5  # Lidstone's additive smoothing; below Laplace's 1 because vocabularies are small
# Words kept per category; the rarest go first when a category grows past this.
MAX_WORDS_PER_CATEGORY = 3000


def features(merchant: str, description: str) -> Counter:
    counts = Counter(tokens(merchant))
    counts.update(tokens(description))
    name = normalise_merchant(merchant)
    if name:
        counts["m:" + name] += MERCHANT_WEIGHT
    return counts


class NaiveBayes:
    """Token counts per category key (a string, e.g. a category id)."""

    def __init__(self, state: dict | None = None):
        state = state or {}
        self.docs: dict[str, int] = dict(state.get("docs", {}))
        self.words: dict[str, dict[str, int]] = {key: dict(words) for key, words in state.get("words", {}).items()}
        self.totals: dict[str, int] = {key: sum(words.values()) for key, words in self.words.items()}
        self.vocabulary: Counter = Counter()
        for words in self.words.values():
            self.vocabulary.update(words.keys())

    def state(self) -> dict:
        return {"docs": self.docs, "words": self.words}

    @property
    def examples(self) -> int:
        return sum(self.docs.values())

    def learn(self, *, merchant: str, description: str, category: str, weight: int = 1) -> None:
        """Add one example (weight 1) or take one back (weight -1)."""
        self.docs[category] = self.docs.get(category, 0) + weight
        words = self.words.setdefault(category, {})
        for feature, count in features(merchant, description).items():
            new = words.get(feature, 0) + weight * count
            if new > 0:
                if feature not in words:
                    self.vocabulary[feature] += 1
                words[feature] = new
            elif feature in words:
                del words[feature]
                self._forget_word(feature)
        self.totals[category] = sum(words.values())
        if self.docs[category] <= 0:
            self._drop(category)
        elif len(words) > MAX_WORDS_PER_CATEGORY:
            self._prune(category)

    def predict(self, *, merchant: str, description: str) -> tuple[str, float] | None:
        """(category, confidence) or None when nothing about this transaction was seen before.

        Confidence is the posterior of the best category, scaled down by how much of the
        transaction's text is known (the merchant counts as all of it).
        """
        if not self.docs:
            return None
        found = features(merchant, description)
        known = {feature: count for feature, count in found.items() if feature in self.vocabulary}
        if not known:
            return None
        scores = self._log_scores(known)
        best = max(scores, key=scores.__getitem__)
        top = scores[best]
        posterior = 1.0 / sum(math.exp(score - top) for score in scores.values())
        merchant_feature = next((f for f in found if f.startswith("m:")), None)
        if merchant_feature is not None and merchant_feature in known:
            coverage = 1.0
        else:
            coverage = sum(known.values()) / sum(found.values())
        return best, posterior * coverage

    def _log_scores(self, known: dict[str, int]) -> dict[str, float]:
        all_docs = sum(self.docs.values())
        size = len(self.vocabulary)
        scores = {}
        for category, docs in self.docs.items():
            words = self.words.get(category, {})
            denominator = math.log(self.totals.get(category, 0) + SMOOTHING * size)
            score = math.log(docs / all_docs)
            for feature, count in known.items():
                score += count * (math.log(words.get(feature, 0) + SMOOTHING) - denominator)
            scores[category] = score
        return scores

    def _forget_word(self, feature: str) -> None:
        self.vocabulary[feature] -= 1
        if self.vocabulary[feature] <= 0:
            del self.vocabulary[feature]

    def _drop(self, category: str) -> None:
        for feature in self.words.pop(category, {}):
            self._forget_word(feature)
        self.docs.pop(category, None)
        self.totals.pop(category, None)

    def _prune(self, category: str) -> None:
        words = self.words[category]
        keep = dict(Counter(words).most_common(MAX_WORDS_PER_CATEGORY * 4 // 5))
        for feature in set(words) - set(keep):
            self._forget_word(feature)
        self.words[category] = keep
        self.totals[category] = sum(keep.values())
