"""Quicken Interchange Format (QIF): bank, credit card and cash sections, with split lines.

A record is a run of lines, each a one-letter code and a value, ended by "^":
D date, T/U amount, P payee, M memo, L category ("[Name]" = a transfer), N check number,
S/E/$ one split's category, memo and amount. "!Account" blocks name the accounts the
sections that follow belong to. The file has no transaction ids, so duplicates are found by
content, as for CSV. Dates are month-first (Quicken US) unless the file proves day-first
(a day above 12, or dots). Pure: no ORM.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import BinaryIO

from finance.imports.csv_parser import parse_amount
from finance.imports.detect import decode_head
from finance.imports.records import ImportFileError, ParsedRow, RowProblem, StatementAccount, joined

SECTIONS = {"bank": "checking", "ccard": "credit", "cash": "cash", "oth a": "savings", "oth l": "loan"}
_DATE = re.compile(r"^\s*(\d{1,4})\s*[/.\-']\s*(\d{1,2})\s*[/.\-']\s*(\d{1,4})\s*$")


@dataclass
class _Record:
    line: int  # where it starts in the file: its row number (a split's is its S line)
    account: str
    fields: dict[str, str] = field(default_factory=dict)
    splits: list[dict] = field(default_factory=list)


class QifFile:
    """Every transaction of the bank, card and cash sections; other sections (investments,
    category lists, memorised payees) are skipped."""

    def __init__(self, stream: BinaryIO):
        text = decode_head(stream.read())
        self.records: list[_Record] = []
        self.account_kinds: dict[str, str] = {}
        self._read(text)
        if not self.records:
            raise ImportFileError("This QIF file holds no bank, credit card or cash transactions.")
        self.day_first = _day_first([record.fields.get("D", "") for record in self.records])

    def _read(self, text: str) -> None:
        section, account, pending_account = None, "", None
        record = None
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line:
                continue
            if line.startswith("!"):
                header = line[1:].casefold()
                if header == "account":
                    pending_account, section = {}, None
                elif header.startswith("type:"):
                    section = header[5:].strip()
                continue
            if pending_account is not None:  # an !Account block: N name, T type
                if line == "^":
                    account = pending_account.get("N", "")
                    kind = SECTIONS.get(pending_account.get("T", "bank").casefold(), "checking")
                    if account:
                        self.account_kinds.setdefault(account, kind)
                    pending_account = None
                else:
                    pending_account[line[0]] = line[1:].strip()
                continue
            if section not in SECTIONS:
                continue
            if account and account not in self.account_kinds:
                self.account_kinds[account] = SECTIONS[section]
            if record is None:
                record = _Record(line=number, account=account)
            code, value = line[0], line[1:].strip()
            if code == "^":
                self.records.append(record)
                record = None
            elif code == "S":
                record.splits.append({"S": value, "line": number})
            elif code in "E$" and record.splits:
                record.splits[-1][code] = value
            else:
                record.fields.setdefault(code, value)

    def accounts(self) -> list[StatementAccount]:
        return [StatementAccount(key=name, name=name, kind=kind) for name, kind in self.account_kinds.items()]

    def rows(self) -> Iterator[ParsedRow | RowProblem]:
        for record in self.records:
            yield from self._rows(record)

    def _rows(self, record: _Record) -> Iterator[ParsedRow | RowProblem]:
        values = record.fields
        try:
            when = qif_date(values.get("D", ""), day_first=self.day_first)
        except ValueError:
            yield RowProblem(record.line, f"'{values.get('D', '')}' is not a date (line D).")
            return
        try:
            total = _amount(values.get("T") or values.get("U") or "")
        except InvalidOperation:
            yield RowProblem(record.line, "The amount (line T) is not a number.")
            return
        check = values.get("N", "")
        said = values.get("P", "") + values.get("M", "")
        check_note = f"check {check}" if check.isdigit() and check not in said else ""
        common = {
            "row": record.line,
            "occurred_at": when,
            "merchant": values.get("P", ""),
            "account_key": record.account,
        }
        parts = [split for split in record.splits if split.get("$")]
        if not parts:
            if not total:
                yield RowProblem(record.line, "The amount is zero or missing.")
                return
            category, note = _category(values.get("L", ""))
            description = joined(values.get("M", ""), note, check_note) or values.get("P", "")
            yield ParsedRow.signed(amount=total, description=description, category_name=category, **common)
            return
        try:
            amounts = [_amount(split["$"]) for split in parts]
        except InvalidOperation:
            yield RowProblem(record.line, "A split's amount (line $) is not a number.")
            return
        if total and sum(amounts) != total:
            yield RowProblem(record.line, f"The splits add up to {sum(amounts)}, not to the total {total}.")
            return
        for split, amount in zip(parts, amounts, strict=True):
            if not amount:
                continue
            category, note = _category(split.get("S", ""))
            description = joined(split.get("E", "") or values.get("M", ""), note, check_note) or values.get("P", "")
            common["row"] = split["line"]
            yield ParsedRow.signed(amount=amount, description=description, category_name=category, **common)


def _amount(text: str) -> Decimal:
    text = text.strip()
    if not text:
        return Decimal(0)
    return parse_amount(text, decimal_comma=bool(re.search(r",\d{1,2}$", text)))


def _category(text: str) -> tuple[str, str]:
    """(category name, note): "[Savings]" is a transfer, noted in the description, not a category."""
    text = text.split("/")[0].strip()  # "Category/Class"
    if text.startswith("[") and text.endswith("]"):
        return "", f"transfer: {text[1:-1]}"
    return text, ""


def _day_first(texts: list[str]) -> bool:
    for text in texts:
        match = _DATE.match(text)
        if match and len(match.group(1)) < 4 and ("." in text or int(match.group(1)) > 12):
            return True
    return False


def qif_date(text: str, *, day_first: bool) -> date:
    """12/31'24, 12/31/2024, 1/ 5/24, 31.12.2024, 2024-12-31."""
    match = _DATE.match(text)
    if match is None:
        raise ValueError(text)
    a, b, c = (int(part) for part in match.groups())
    if len(match.group(1)) == 4:
        return date(a, b, c)
    year = c if c >= 100 else 2000 + c if c < 70 else 1900 + c
    day, month = (a, b) if day_first else (b, a)
    return date(year, month, day)
