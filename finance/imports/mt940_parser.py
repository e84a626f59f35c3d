"""SWIFT MT940 statements, read with the mt-940 library.

`:61:` gives the date, the amount and its D/C mark (RC/RD reversals signed as what they
are: a reversed debit is money back). `:86:` is split into payee and purpose where the
bank's layout says which is which: the German structured layout (`?20`..`?29` purpose,
`?32`/`?33` name, split by the library) and the Dutch `/NAME/`..`/REMI/` and `/CNTP/`
layouts (split here); any other `:86:` is kept whole as the description. MT940 has no
transaction id that banks keep unique, so duplicates are found by content. Pure: no ORM.
"""

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import BinaryIO

import mt940

from finance.imports.detect import decode_head
from finance.imports.records import ImportFileError, ParsedRow, RowProblem, StatementAccount, joined

# The Dutch layout's field names (ING, ABN AMRO, Rabobank, Triodos).
DUTCH_KEYS = {"TRTP", "IBAN", "BIC", "NAME", "REMI", "EREF", "MARF", "CSID", "ORDP", "BENM", "CNTP", "ADDR",
              "RTRN", "PREF", "ULTC", "ULTD", "PURP", "CITY"}  # fmt: skip
_REMI_MARKERS = {"USTD", "STRD", "CUR", "ISO", "SCOR"}
_BALANCES = ("final_closing_balance", "closing_balance")
# The German layout's sub-fields (?20..?29, ?32/?33) continue each other's words with a space between.
_PROCESSORS = {"post_transaction_details": [mt940.processors.transaction_details_post_processor_with_space]}


class Mt940Statement:
    """Every statement block of one file, grouped by its account (`:25:`)."""

    def __init__(self, stream: BinaryIO):
        text = decode_head(stream.read())
        try:
            self.statements = [
                block
                for block in mt940.parse_statements(text, processors=_PROCESSORS, options=mt940.Options.all())
                if block.transactions
            ]
        except Exception as exc:  # the library raises many kinds; all mean "not a readable MT940"
            raise ImportFileError(f"This MT940 file could not be read ({str(exc)[:120]}).") from None
        if not self.statements:
            raise ImportFileError("This MT940 file holds no transactions (:61: lines).")

    def accounts(self) -> list[StatementAccount]:
        found: dict[str, StatementAccount] = {}
        for block in self.statements:
            key = _account_key(block)
            balance = next((block.data[name] for name in _BALANCES if block.data.get(name)), None)
            found[key] = StatementAccount(
                key=key, name=f"Account …{key[-4:]}", currency=str(balance.amount.currency) if balance else "",
                balance=balance.amount.amount if balance else None,
            )  # fmt: skip
        return list(found.values())

    def rows(self) -> Iterator[ParsedRow | RowProblem]:
        number = 0
        for block in self.statements:
            key = _account_key(block)
            for transaction in block.transactions:
                number += 1
                yield _row(number, transaction.data, key)


def _account_key(block) -> str:
    return str(block.data.get("account_identification") or "mt940").replace(" ", "")


def _row(number: int, data: dict, account_key: str) -> ParsedRow | RowProblem:
    amount = data.get("amount")
    when = data.get("entry_date") or data.get("date")
    if amount is None or not amount.amount or when is None:
        return RowProblem(number, f"Transaction {number} (:61:) has no amount or no date.")
    payee, purpose = transaction_details(data)
    return ParsedRow.signed(
        row=number, occurred_at=date(when.year, when.month, when.day), amount=Decimal(amount.amount), currency=str(amount.currency or ""),
        merchant=payee, description=purpose or payee, account_key=account_key,
    )  # fmt: skip


def transaction_details(data: dict) -> tuple[str, str]:
    """(payee, purpose) of one transaction's :86:, as far as the layout tells them apart."""
    if "transaction_details" not in data:  # the library split a German ?-structured :86:
        payee = data.get("applicant_name") or ""
        return joined(payee), joined(data.get("purpose") or "", separator=" ") or joined(data.get("posting_text") or "")
    details = " ".join((data.get("transaction_details") or "").split())
    if details.startswith("/") and any(f"/{key}/" in details for key in ("NAME", "REMI", "CNTP")):
        return dutch_details(details)
    return "", details


def dutch_details(details: str) -> tuple[str, str]:
    """/TRTP/SEPA OVERBOEKING/IBAN/NL..../NAME/J Jansen/REMI/Huur/ and /CNTP/iban/bic/name/city//REMI/USTD//text/."""
    fields: dict[str, list[str]] = {}
    current = None
    for part in details.split("/"):
        if part in DUTCH_KEYS:
            current = fields.setdefault(part, [])
        elif current is not None:
            current.append(part.strip())
    payee = joined(*fields.get("NAME", []))
    counterparty = fields.get("CNTP", [])
    if not payee and len(counterparty) >= 3:
        payee = counterparty[2]
    remittance = [part for part in fields.get("REMI", []) if part and part not in _REMI_MARKERS]
    return payee, re.sub(r"\s+", " ", " ".join(remittance)).strip()
