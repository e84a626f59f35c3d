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
# What banks print around the merchant on card, debit and transfer lines (US, UK, German, Dutch, French,
# Indonesian statements) and month names: they say nothing about which merchant it was.
BANK_WORDS = frozenset(
    """pos debit credit card purchase checkcard authorized recurring payment online contactless ach web id ppd
    ref conf to from on at withdrawal direct dd so bgc fpo fpi clp bcc ddr gbp usd eur rate mandate no
    transaction pmt pmts autopay visa mastercard mc apple pay kartenzahlung lastschrift sepa girocard debitk
    mandatsref mandatsreferenz glaeubiger kundennr folgenr verfalld bestellnr dauerauftrag folgelastschrift
    karte ihr einkauf bei gutschrift umbuchung bea betaalpas pas nr betaalautomaat pasnr incasso algemeen
    doorlopend incassant naam machtiging omschrijving ideal trtp iban bic remi marf csid nld paiement par
    carte cb achat numero prlv prelevement europeen motif ech kartu domestik qr qris edc transaksi tgl trsf
    banking db cr byr via switching autodebet jan feb mar apr may jun jul aug sep sept oct nov dec mrz mai
    okt dez mei janv fevr mars avr juin juil aout sq tst inc llc ltd gmbh co corp plc sa bv überweisung an vir
    virement recu inst vers de""".split()  # noqa: SIM905
)
_ALNUM = re.compile(r"[^\W_]+")


def normalise_merchant(merchant: str) -> str:
    """'SQ *Blue Bottle Coffee #123, Inc.' -> 'blue bottle coffee'."""
    text = _PROCESSOR_PREFIX.sub("", merchant.lower().strip())
    text = _LEGAL_SUFFIX.sub(" ", text)
    return " ".join(_WORD.findall(text))


def merchant_words(text: str) -> str:
    """The words of a merchant name or a bank line that name the merchant: 'POS 0412 SPROUTS FARMERS MAR
    PHOENIX AZ' -> 'sprouts farmers phoenix az' (bank words, month names, words with digits and single letters dropped)."""
    found = _ALNUM.findall(text.lower())
    return " ".join(word for word in found if word.isalpha() and len(word) > 1 and word not in BANK_WORDS)


def words(text: str) -> list[str]:
    """All lower-case words, nothing dropped."""
    return _WORD.findall(text.lower())


def tokens(text: str) -> list[str]:
    """Lower-case words of two letters or more, without numbers (store numbers, dates) and stop words."""
    words = [word for word in _WORD.findall(text.lower()) if len(word) > 1 and word not in STOPWORDS]
    return words[:MAX_TOKENS]
