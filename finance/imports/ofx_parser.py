"""OFX and QFX statements (1.x SGML and 2.x XML), bank and credit card, read with ofxtools.

ofxtools is strict. A file it refuses is read a second time after `ofx_clean`, which mends
what real banks get wrong (docs/imports.md lists each): header lines with odd spacing or blank
lines, a CHARSET ofxtools does not know, private tags
(`<INTU.BID>`, `<INTU.USERID>`), and a BANKID longer than the 9 characters the spec allows
(Spendwise keys accounts by ACCTID, so BANKID is cut to fit). Amounts with more than two
decimals are rounded to cents (half up). A file whose CHARSET says 1252 or Latin-1 but whose
text is UTF-8 is cleaned up before the first reading, since ofxtools would read it wrongly
without complaint.
"""

import html
import io
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import BinaryIO

from ofxtools.Parser import OFXTree

from finance.imports.records import ImportFileError, ParsedRow, RowProblem, StatementAccount, joined

logger = logging.getLogger(__name__)

UNREADABLE = (
    "This OFX file could not be read: it looks damaged or cut off. "
    "Download the statement from your bank again and retry."
)
ACCOUNT_KINDS = {"CHECKING": "checking", "SAVINGS": "savings", "MONEYMRKT": "savings", "CREDITLINE": "credit"}


CENTS = Decimal("0.01")
_CHARSETS = {"1252": "cp1252", "WINDOWS-1252": "cp1252", "CP1252": "cp1252", "ISO-8859-1": "latin-1",
             "8859-1": "latin-1", "LATIN-1": "latin-1", "UTF-8": "utf-8", "NONE": "utf-8"}  # fmt: skip
_PRIVATE_TAG = re.compile(r"</?[A-Za-z0-9]+\.[A-Za-z0-9.]+>[^<\r\n]*")
_LONG_BANKID = re.compile(r"(<BANKID>\s*)([^<\r\n]{9})[^<\r\n]+")
_CLEAN_HEADER = (
    "OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\nSECURITY:NONE\r\nENCODING:UTF-8\r\nCHARSET:NONE\r\n"
    "COMPRESSION:NONE\r\nOLDFILEUID:NONE\r\nNEWFILEUID:NONE\r\n\r\n"
)


def ofx_clean(content: bytes) -> bytes:
    """The file with the deviations above mended, as OFX 1.0.2 in UTF-8 (ofxtools reads 2.x bodies so too)."""
    start = content.upper().find(b"<OFX>")
    if start < 0:
        return content
    encoding, body = _declared_encoding(content, start), content[start:]
    try:
        text = body.decode("utf-8" if encoding == "utf-8" else encoding)
    except UnicodeDecodeError:
        text = body.decode("cp1252", errors="replace")
    if encoding != "utf-8" and _looks_utf8(body):
        text = body.decode("utf-8")  # says 1252 but is written in UTF-8 (it happens)
    text = _LONG_BANKID.sub(r"\1\2", _PRIVATE_TAG.sub("", text))
    return (_CLEAN_HEADER + text).encode("utf-8")


def _declared_encoding(content: bytes, start: int) -> str:
    header = content[:start].decode("ascii", errors="replace")
    declared = re.search(r"(?:CHARSET\s*:\s*|encoding=[\"'])([\w-]+)", header, re.IGNORECASE)
    return _CHARSETS.get(declared.group(1).upper(), "utf-8") if declared else "utf-8"


def _misdeclared(content: bytes) -> bool:
    """Says a single-byte charset but is written in UTF-8: ofxtools would read it without complaint, wrongly."""
    start = content.upper().find(b"<OFX>")
    return start >= 0 and _declared_encoding(content, start) != "utf-8" and _looks_utf8(content[start:])


def _looks_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return any(byte > 127 for byte in body)


def _statements(content: bytes) -> list:
    tree = OFXTree()
    tree.parse(io.BytesIO(content))
    return list(tree.convert().statements)


class OfxStatement:
    """Every statement of one file: its accounts, then its transactions in file order."""

    def __init__(self, stream: BinaryIO):
        content = stream.read()
        if _misdeclared(content):
            content = ofx_clean(content)
        try:
            self.statements = _statements(content)
        except Exception as strict:  # ofxtools raises many kinds; all mean "not a readable OFX"
            try:
                self.statements = _statements(ofx_clean(content))
            except Exception as lenient:
                logger.info("unreadable OFX: %r, then after clean-up %r", strict, lenient)
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
    name, memo = _clean_text(entry.name), _clean_text(entry.memo)
    check = str(entry.checknum or "").strip()
    return ParsedRow.signed(
        row=number,
        occurred_at=when,
        amount=Decimal(amount).quantize(CENTS, rounding=ROUND_HALF_UP),
        description=joined(
            memo or name or str(entry.trntype or ""), f"check {check}" if check not in name + memo else ""
        ),
        merchant=name or _clean_text(getattr(entry, "payee", None) and entry.payee.name),
        currency=str(entry.currency.cursym) if getattr(entry, "currency", None) else str(currency or ""),
        external_key=str(entry.fitid),
        account_key=account_key,
    )


def _clean_text(value) -> str:
    """Entities some banks escape twice (&amp;amp;) come out once; runs of spaces become one."""
    return " ".join(html.unescape(str(value or "")).split())
