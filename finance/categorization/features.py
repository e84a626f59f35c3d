"""What the learned categoriser sees of a transaction: hashed character n-grams and a few markers. Pure: no ORM.

Character n-grams of each word (2 to 5 letters, word edges marked, as scikit-learn's `char_wb`)
survive what banks do to a name: truncation ("WHOLEFDS MKT"), glued prefixes ("SQ *", "TST* "),
store numbers and dates (digits become "0", so "#10234" and "#118" look alike). Besides them:
the normalised merchant as one whole feature, the direction of the money, and the amount's
order of magnitude. Features are hashed with CRC-32, which is the same in every process and
every release (Python's own `hash` is salted per process).
"""

import math
import re
import zlib
from decimal import Decimal

from finance.categorization.text import merchant_words, normalise_merchant

HASH_BITS = 22
HASH_MASK = (1 << HASH_BITS) - 1
NGRAMS = range(2, 6)
MAX_TEXT = 160  # characters of merchant + description looked at; banks put what matters first
_TOKEN = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d+")
# The merchant alone, when there is one, is worth this many n-gram vectors' weight in the model.
MERCHANT_WEIGHT = 1.0
MARKER_WEIGHT = 0.5

DIRECTIONS = {"expense": "debit", "income": "credit", "transfer": "transfer"}


def _hash(feature: str) -> int:
    return zlib.crc32(feature.encode()) & HASH_MASK


def _ngrams(text: str, into: dict[int, float]) -> None:
    for word in _TOKEN.findall(_DIGITS.sub("0", text.lower())):
        if word == "0":
            continue  # a number alone: a store number, a date, a reference
        padded = f" {word} "
        for size in NGRAMS:
            for start in range(len(padded) - size + 1):
                key = _hash(padded[start : start + size])
                into[key] = into.get(key, 0.0) + 1.0


def amount_band(amount: Decimal | float | None) -> str:
    """The amount's order of magnitude in halves of a power of ten: 3.50 -> '1', 12 -> '2', 40 -> '3'."""
    if amount is None:
        return ""
    value = abs(float(amount))
    return str(int(math.floor(math.log10(value) * 2)) if value >= 1 else -1)


def direction_feature(kind: str) -> int:
    """The hashed id of the direction marker: a model that lacks it never saw money move that way."""
    return _hash(f"d={DIRECTIONS.get(kind, kind)}")


def shared_features(*, merchant: str, description: str, kind: str = "expense") -> dict[int, float]:
    """What the shared model sees: the words naming the merchant and the direction, nothing else of one person's line."""
    name = merchant_words(merchant) or merchant_words(description)
    return transaction_features(merchant=name, description="", kind=kind)


def transaction_features(
    *, merchant: str, description: str, kind: str = "expense", amount: Decimal | float | None = None
) -> dict[int, float]:
    """Hashed feature id -> value. The n-gram part has unit length, so a long description does not outweigh a name."""
    grams: dict[int, float] = {}
    _ngrams(f"{merchant} {description}"[:MAX_TEXT], grams)
    norm = math.sqrt(sum(value * value for value in grams.values())) or 1.0
    features = {key: value / norm for key, value in grams.items()}
    direction = DIRECTIONS.get(kind, kind)
    markers = [f"d={direction}"]
    name = normalise_merchant(merchant)
    if name:
        features[_hash("m=" + name)] = features.get(_hash("m=" + name), 0.0) + MERCHANT_WEIGHT
    band = amount_band(amount)
    if band:
        markers.append(f"a={direction}:{band}")
    for marker in markers:
        key = _hash(marker)
        features[key] = features.get(key, 0.0) + MARKER_WEIGHT
    return features
