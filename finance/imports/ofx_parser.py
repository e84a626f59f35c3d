"""OFX and QFX statements (1.x SGML and 2.x XML), bank and credit card, read with ofxtools."""

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, time
from decimal import Decimal
from typing import BinaryIO

from ofxtools.Parser import OFXTree

from finance.imports.records import ImportFileError, ParsedRow, RowProblem, StatementAccount

logger = logging.getLogger(__name__)

UNREADABLE = (
    "This OFX file could not be read: it looks damaged or cut off. "
    "Download the statement from your bank again and retry."
)
ACCOUNT_KINDS = {"CHECKING": "checking", "SAVINGS": "savings", "MONEYMRKT": "savings", "CREDITLINE": "credit"}


class OfxStatement:
    """Every statement of one file: its accounts, then its transactions in file order."""

    def __init__(self, stream: BinaryIO):
        tree = OFXTree()
        try:
            tree.parse(stream)
            self.statements = list(tree.convert().statements)
        except Exception as exc:  # ofxtools raises many kinds; all mean "not a readable OFX"
            logger.info("unreadable OFX: %r", exc)
            raise ImportFileError(UNREADABLE) from None
        if not self.statements:
            raise ImportFileError("This OFX file holds no bank or credit card statement.")

    def accounts(self) -> list[StatementAccount]:
        found = []
        for statement in self.statements:
            account = statement.account
            is_card = type(account).__name__ == "CCACCTFROM"
            kind = "credit" if is_card else ACCOUNT_KINDS.get(getattr(account, "accttype", ""), "checking")
            ledger = getattr(statement, "ledgerbal", None)
            balance = ledger.balamt if ledger is not None else None
            if balance is not None and kind == "credit":
                balance = -balance  # OFX shows card debt as negative; a liability's balance is what is owed
            label = "Card" if is_card else kind.title()
            found.append(
                StatementAccount(
                    key=str(account.acctid),
                    name=f"{label} …{str(account.acctid)[-4:]}",
                    kind=kind,
                    currency=str(statement.curdef or ""),
                    balance=balance,
                )
            )
        return found

    def rows(self) -> Iterator[ParsedRow | RowProblem]:
        number = 0
        for statement in self.statements:
            for entry in statement.banktranlist or ():
                number += 1
                yield _row(number, entry, account_key=str(statement.account.acctid), currency=statement.curdef)


def _row(number: int, entry, *, account_key: str, currency: str) -> ParsedRow | RowProblem:
    amount = entry.trnamt
    if not entry.fitid:
        return RowProblem(number, "The transaction has no FITID (the bank's id), so duplicates cannot be told apart.")
    if amount is None or amount == 0 or entry.dtposted is None:
        return RowProblem(number, f"Transaction {entry.fitid} has no amount or no date.")
    posted: datetime = entry.dtposted
    # Banks post by day; a bare date comes back as midnight UTC and is kept as that calendar day.
    when = posted.date() if posted.astimezone(UTC).time() == time(0) else posted
    name, memo = (entry.name or "").strip(), (entry.memo or "").strip()
    return ParsedRow(
        row=number,
        occurred_at=when,
        amount=abs(Decimal(amount)),
        kind="expense" if amount < 0 else "income",
        description=" – ".join(part for part in (name, memo) if part) or str(entry.trntype or ""),
        merchant=name,
        currency=str(entry.currency.cursym) if getattr(entry, "currency", None) else str(currency or ""),
        external_key=str(entry.fitid),
        account_key=account_key,
    )
