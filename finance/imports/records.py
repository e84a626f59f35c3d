"""What every parser yields: accounts found in the file, and one row per transaction or per bad row."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is shown to the person who uploaded it."""


@dataclass(slots=True)
class StatementAccount:
    """An account a file speaks about (OFX statement, JSON account). `key` is the bank's id."""

    key: str
    name: str
    kind: str = "checking"  # an AccountKind value
    currency: str = ""
    balance: Decimal | None = None
    credit_limit: Decimal | None = None
    liability: dict = field(default_factory=dict)  # CreditLiability fields, JSON ingest only
    owner: str = ""  # JSON ingest: the data set's user id


@dataclass(slots=True)
class ParsedRow:
    """One transaction read from a file. `amount` is positive; `kind` says which way it went."""

    row: int
    occurred_at: date | datetime
    amount: Decimal
    kind: str
    description: str = ""
    merchant: str = ""
    currency: str = ""
    external_key: str = ""  # FITID or the data set's transaction id; CSV rows have none
    account_key: str = ""  # which StatementAccount; "" = the account chosen for the import
    category_name: str = ""  # the file's own category (QIF `L`): the user's category of that name, else a tag

    @classmethod
    def signed(cls, *, amount: Decimal, **values) -> "ParsedRow":
        """A row from a signed amount: negative money left the account."""
        return cls(amount=abs(amount), kind="expense" if amount < 0 else "income", **values)


def joined(*parts: str, separator: str = " – ") -> str:
    """The non-empty parts, stripped, in order, each unless an earlier part already says it (a bank often
    repeats the payee in the memo)."""
    kept: list[str] = []
    for part in parts:
        text = (part or "").strip()
        if text and not any(text.casefold() in earlier.casefold() for earlier in kept):
            kept.append(text)
    return separator.join(kept)


@dataclass(slots=True)
class RowProblem:
    row: int
    message: str
