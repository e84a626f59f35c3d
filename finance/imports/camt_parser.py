"""CAMT.053 bank-to-customer statements (ISO 20022, camt.053.001.02 to .08), read with defusedxml.

Elements are matched by local name, so every version's namespace reads alike; the few paths
that moved between versions (the party's name under `Pty` from .08 on, `Sts` as a code) are
tried both ways. Only booked entries are imported: pending ones come back booked later.
An entry batching several transactions (`TxDtls`) becomes one row per transaction.
defusedxml refuses entity declarations, so an "entity expansion" file fails cleanly. Pure: no ORM.
"""

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from finance.imports.records import ImportFileError, ParsedRow, RowProblem, StatementAccount, joined

CLOSING_BALANCE = "CLBD"


def _local(element: Element) -> None:
    for node in element.iter():
        if isinstance(node.tag, str) and "}" in node.tag:
            node.tag = node.tag.rsplit("}", 1)[1]


def _text(element: Element | None, path: str) -> str:
    found = element.find(path) if element is not None else None
    return " ".join((found.text or "").split()) if found is not None else ""


def _parse(content: bytes) -> Element:
    try:
        return fromstring(content)
    except ParseError:
        # A Latin-1 file that does not say so: read it as such (cp1252 is Latin-1's superset).
        text = content.decode("cp1252", errors="replace")
        if text.startswith("<?xml"):
            text = text[text.index("?>") + 2 :]
        return fromstring(text.encode("utf-8"))


class CamtStatement:
    """Every `Stmt` of one CAMT.053 file: its accounts, then its booked entries."""

    def __init__(self, stream: BinaryIO):
        try:
            root = _parse(stream.read())
        except DefusedXmlException:
            raise ImportFileError(
                "This XML file declares entities, which a bank statement never needs; refused."
            ) from None
        except ParseError as exc:
            raise ImportFileError(f"This CAMT.053 file is not well-formed XML ({exc}).") from None
        _local(root)
        self.statements = root.findall("./BkToCstmrStmt/Stmt")
        if not self.statements:
            raise ImportFileError("This XML file holds no CAMT.053 statement (BkToCstmrStmt/Stmt).")

    def accounts(self) -> list[StatementAccount]:
        found = []
        for statement in self.statements:
            key = _account_key(statement)
            balance = None
            for entry in statement.findall("Bal"):
                if _text(entry, "Tp/CdOrPrtry/Cd") == CLOSING_BALANCE:
                    balance = _signed(entry)
            name = _text(statement, "Acct/Nm") or f"Account …{key[-4:]}"
            found.append(StatementAccount(key=key, name=name, currency=_text(statement, "Acct/Ccy"), balance=balance))
        return found

    def rows(self) -> Iterator[ParsedRow | RowProblem]:
        """Row numbers count transactions; messages name the entry (`Ntry`) by its place in the file."""
        number, row = 0, 0
        for statement in self.statements:
            key = _account_key(statement)
            for entry in statement.findall("Ntry"):
                number += 1
                status = _text(entry, "Sts/Cd") or _text(entry, "Sts")
                if status and status != "BOOK":
                    continue
                for found in _entry_rows(number, entry, key):
                    row += 1
                    found.row = row
                    yield found


def _account_key(statement: Element) -> str:
    return _text(statement, "Acct/Id/IBAN") or _text(statement, "Acct/Id/Othr/Id") or "camt"


def _signed(node: Element, *, indicator: str = "") -> Decimal:
    """The amount of a `Bal`, `Ntry` or `TxDtls`, negative when it left the account."""
    amount = Decimal(_text(node, "Amt") or _text(node, "AmtDtls/TxAmt/Amt"))
    return -amount if (_text(node, "CdtDbtInd") or indicator) == "DBIT" else amount


def _date(entry: Element) -> date:
    for path in ("BookgDt/Dt", "BookgDt/DtTm", "ValDt/Dt", "ValDt/DtTm"):
        text = _text(entry, path)
        if text:
            return datetime.fromisoformat(text).date() if "T" in text else date.fromisoformat(text[:10])
    raise ValueError("no booking or value date")


def _entry_rows(number: int, entry: Element, account_key: str) -> Iterator[ParsedRow | RowProblem]:
    try:
        when = _date(entry)
        entry_amount = _signed(entry)
    except (ValueError, InvalidOperation):
        yield RowProblem(number, f"Entry {number} has no readable amount or booking date.")
        return
    reversal = -1 if _text(entry, "RvslInd").lower() == "true" else 1
    currency = (entry.find("Amt").get("Ccy") or "") if entry.find("Amt") is not None else ""
    reference = _text(entry, "AcctSvcrRef") or _text(entry, "NtryRef")
    details = entry.findall("NtryDtls/TxDtls")
    for index, detail in enumerate(details or [None], start=1):
        amount = entry_amount
        if len(details) > 1:  # a batch: each transaction has its own amount
            try:
                amount = _signed(detail, indicator=_text(entry, "CdtDbtInd"))
            except InvalidOperation:
                yield RowProblem(number, f"Entry {number}, transaction {index} has no readable amount.")
                continue
        amount *= reversal
        own_reference = _text(detail, "Refs/AcctSvcrRef") or _text(detail, "Refs/TxId")
        key = own_reference or (f"{reference}/{index}" if reference and len(details) > 1 else reference)
        yield ParsedRow.signed(
            row=number, occurred_at=when, amount=amount, currency=currency, account_key=account_key,
            merchant=_counterparty(detail, outgoing=amount < 0),
            description=_remittance(detail) or _text(entry, "AddtlNtryInf"),
            external_key=f"camt:{key}" if key else "",
        )  # fmt: skip


def _counterparty(detail: Element | None, *, outgoing: bool) -> str:
    roles = ("Cdtr", "UltmtCdtr") if outgoing else ("Dbtr", "UltmtDbtr")
    for role in roles:
        name = _text(detail, f"RltdPties/{role}/Nm") or _text(detail, f"RltdPties/{role}/Pty/Nm")
        if name:
            return name
    return ""


def _remittance(detail: Element | None) -> str:
    if detail is None:
        return ""
    free = [" ".join((node.text or "").split()) for node in detail.findall("RmtInf/Ustrd")]
    structured = [_text(node, "CdtrRefInf/Ref") for node in detail.findall("RmtInf/Strd")]
    return joined(*free, *structured, _text(detail, "AddtlTxInf"), separator=" ")
