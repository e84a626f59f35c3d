"""What a person filed each merchant under, recalled exactly. Pure: no ORM.

The learned model generalises and is refitted in the background; this memory is updated in the
same request as a correction, so the next transaction from that merchant follows it at once.
The latest label a person gave a merchant wins; counts are kept so that taking a label back
(undo, deleting the transaction) returns to what was there before.
"""

from finance.categorization.features import DIRECTIONS
from finance.categorization.text import merchant_words


def merchant_key(*, merchant: str, description: str, kind: str = "expense") -> str:
    """The direction and the words naming the merchant, from the description when the bank gave no merchant."""
    name = merchant_words(merchant) or merchant_words(description)
    return f"{DIRECTIONS.get(kind, kind)}|{name}" if name else ""


class MerchantMemory:
    """{key: {"counts": {label: n}, "last": label}}; JSON-safe as it is."""

    def __init__(self, state: dict | None = None):
        self.merchants: dict[str, dict] = {
            key: {"counts": dict(entry["counts"]), "last": entry["last"]} for key, entry in (state or {}).items()
        }

    def state(self) -> dict:
        return self.merchants

    def learn(self, *, key: str, label: str, weight: int = 1) -> None:
        """Remember one label (weight 1) or take one back (weight -1)."""
        if not key:
            return
        entry = self.merchants.setdefault(key, {"counts": {}, "last": label})
        counts = entry["counts"]
        counts[label] = counts.get(label, 0) + weight
        if counts[label] <= 0:
            del counts[label]
        if not counts:
            del self.merchants[key]
        elif weight > 0:
            entry["last"] = label
        elif entry["last"] not in counts:
            entry["last"] = max(counts, key=counts.__getitem__)

    def recall(self, key: str) -> tuple[str, float] | None:
        """(label, share of this merchant's labels that agree) or None for a merchant never labelled."""
        entry = self.merchants.get(key)
        if entry is None:
            return None
        counts = entry["counts"]
        return entry["last"], counts[entry["last"]] / sum(counts.values())
