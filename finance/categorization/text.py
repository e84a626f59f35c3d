"""Turning merchant names and bank descriptions into comparable features."""

import re

_WORD = re.compile(r"[a-z]+")
# Processor prefixes that card statements glue in front of the merchant ("SQ *BLUE BOTTLE").
_PROCESSOR_PREFIX = re.compile(r"^(sq|tst|sp|pp|paypal|ppl|py|ic|dd|pos|zettle|sumup)\s*\*\s*")
_LEGAL_SUFFIX = re.compile(r"\b(inc|llc|ltd|gmbh|co|corp|plc|sa|bv|store|shop)\b\.?")
# Words that bank exports add to almost every line; they carry no category.
STOPWORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "for",
        "at",
        "in",
        "on",
        "to",
        "from",
        "with",
        "pos",
        "debit",
        "credit",
        "card",
        "purchase",
        "visa",
        "mastercard",
        "mc",
        "ref",
        "txn",
        "trx",
        "transaction",
        "payment",
        "id",
        "no",
        "nr",
        "www",
        "com",
        "net",
        "org",
    ]
)
MAX_TOKENS = 24


def normalise_merchant(merchant: str) -> str:
    """'SQ *Blue Bottle Coffee #123, Inc.' -> 'blue bottle coffee'."""
    text = _PROCESSOR_PREFIX.sub("", merchant.lower().strip())
    text = _LEGAL_SUFFIX.sub(" ", text)
    return " ".join(_WORD.findall(text))


def words(text: str) -> list[str]:
    """All lower-case words, nothing dropped."""
    return _WORD.findall(text.lower())


def tokens(text: str) -> list[str]:
    """Lower-case words of two letters or more, without numbers (store numbers, dates) and stop words."""
    words = [word for word in _WORD.findall(text.lower()) if len(word) > 1 and word not in STOPWORDS]
    return words[:MAX_TOKENS]
