"""Bank CSV exports: find the columns, read day-first or month-first dates and both decimal styles.

`csv_inspect` looks at the first rows and guesses a layout (saying where it is unsure);
`csv_rows` then streams every row with that layout. Pure: no ORM, no I/O beyond the stream.
"""

import csv
import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TextIO

from dateutil import parser as dateutil_parser

from finance.imports.detect import detect_delimiter
from finance.imports.records import ImportFileError, ParsedRow, RowProblem, joined

INSPECT_ROWS = 200
ROLES = ("date", "amount", "debit", "credit", "description", "merchant", "memo", "balance", "currency", "direction",
         "check")  # fmt: skip
ROLE_LABELS = {
    "date": "Date", "amount": "Amount (signed, or with a debit/credit column)", "debit": "Money out (debit)",
    "credit": "Money in (credit)", "description": "Description (the bank's text)", "merchant": "Payee / merchant",
    "memo": "Memo / notes", "balance": "Balance", "currency": "Currency", "direction": "Debit or credit mark",
    "check": "Check number",
}  # fmt: skip

# Normalised header words of real exports (US, UK, German, Dutch, French, Spanish, Indonesian banks).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": ("date", "transaction date", "posted date", "posting date", "booking date", "trans date", "buchungstag",
             "buchungsdatum", "datum", "date operation", "fecha", "tanggal", "completed date", "started date",
             "tanggal transaksi", "date de l operation", "date operation"),
    "amount": ("amount", "transaction amount", "betrag", "umsatz", "montant", "importe", "bedrag", "jumlah", "value",
               "amount eur", "amount usd", "amount gbp", "betrag eur", "nominal", "mutasi"),
    "debit": ("debit", "debit amount", "withdrawal", "withdrawals", "money out", "paid out", "soll", "ausgang",
              "debet", "af", "debits"),
    "credit": ("credit", "credit amount", "deposit", "deposits", "money in", "paid in", "haben", "eingang",
               "kredit", "bij", "credits"),
    "description": ("description", "transaction description", "details", "memo", "narrative", "verwendungszweck",
                    "buchungstext", "reference", "libelle", "concepto", "omschrijving", "keterangan", "particulars",
                    "mededelingen", "transaction details", "libelle operation", "uraian", "remarks"),
    "memo": ("notes", "note", "notes and tags", "notes tags", "memo notes", "comment", "comments", "notiz"),
    "merchant": ("payee", "merchant", "name", "counterparty", "beguenstigter zahlungspflichtiger",
                 "auftraggeber begunstigter", "empfanger", "zahlungsempfanger", "naam omschrijving", "payee name"),
    "balance": ("balance", "running balance", "running bal", "saldo", "kontostand", "solde", "balance eur"),
    "currency": ("currency", "wahrung", "waehrung", "devise", "moneda", "valuta code"),
    "direction": ("type", "transaction type", "cr dr", "dr cr", "debit credit", "soll haben", "af bij", "db cr",
                  "jenis", "jenis transaksi"),
    "check": ("check or slip", "check number", "check no", "cheque number", "cheque no", "check", "checknum"),
}  # fmt: skip
EXPENSE_WORDS = {"debit", "dr", "d", "db", "soll", "s", "af", "out", "withdrawal", "expense"}
# A text column whose non-empty cells take this few distinct values is a code (DEBIT/CREDIT, a type), not text.
CODE_VALUES = 3
_MARK = re.compile(r"\s*\b(DB|CR|DR|D|C|Debit|Credit)\s*$", re.IGNORECASE)

_DATE = re.compile(r"^\s*(\d{1,4})[./\-](\d{1,2})[./\-](\d{1,4})\b")
_COMPACT_DATE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")  # 20250131 (ING)
_JUNK = re.compile(r"[^\d.,]")
_AMOUNTISH = re.compile(r"^[\d\s.,/:()+\-]*$")


@dataclass
class CsvLayout:
    delimiter: str
    header_row: int  # 0-based record index of the header
    headers: list[str]
    columns: dict[str, int]  # role -> column index
    date_order: str = "ymd"  # ymd | dmy | mdy
    decimal_comma: bool = False
    unsure: list[str] = field(default_factory=list)

    def with_choices(self, *, columns: dict[str, int], date_order: str, decimal_comma: bool) -> "CsvLayout":
        """The layout as a person corrected it on the Import page."""
        return replace(self, columns=columns, date_order=date_order, decimal_comma=decimal_comma, unsure=[])

    def missing(self) -> list[str]:
        problems = []
        if "date" not in self.columns:
            problems.append("Which column holds the date?")
        if "amount" not in self.columns and not {"debit", "credit"} & set(self.columns):
            problems.append("Which column holds the amount (or the debit and credit columns)?")
        return problems


def _normalise(header: str) -> str:
    text = unicodedata.normalize("NFKD", header.casefold().replace("ß", "ss"))
    text = "".join(char for char in text if not unicodedata.combining(char))  # é -> e, ä -> a
    text = re.sub(r"\(.*?\)|[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def header_signature(headers: list[str]) -> str:
    """Which export a file is: the same bank's files share their header row."""
    names = "\x1f".join(_normalise(header) for header in headers)
    return hashlib.sha256(names.encode()).hexdigest()


def guess_columns(headers: list[str]) -> dict[str, int]:
    """Each role's column: an exact synonym first, else a header starting with one."""
    names = [_normalise(header) for header in headers]
    columns: dict[str, int] = {}
    for exact in (True, False):
        for role in ROLES:
            if role in columns:
                continue
            for index, name in enumerate(names):
                taken = index in columns.values()
                if not taken and _names_role(name, role, exact=exact):
                    columns[role] = index
                    break
    return columns


def _names_role(name: str, role: str, *, exact: bool = True) -> bool:
    synonyms = SYNONYMS[role]
    return name in synonyms if exact else any(name.startswith(synonym + " ") for synonym in synonyms)


def csv_inspect(stream: TextIO) -> CsvLayout:
    """Guess the layout from the first rows. Raises ImportFileError when there is no usable header."""
    sample = stream.read(64 * 1024)
    stream.seek(0)
    if not sample.strip():
        raise ImportFileError("The file is empty.")
    delimiter = detect_delimiter(sample)
    records = []
    for number, record in enumerate(csv.reader(stream, delimiter=delimiter)):
        records.append(record)
        if number >= INSPECT_ROWS:
            break
    stream.seek(0)
    header_row, columns = _find_header(records)
    layout = CsvLayout(delimiter, header_row, records[header_row], columns)
    body = [record for record in records[header_row + 1 :] if any(cell.strip() for cell in record)]
    layout.decimal_comma = _decimal_comma(body, layout)
    layout.date_order, sure_of_dates = _date_order(body, layout)
    text_question = _text_columns_choose(body, layout)
    layout.unsure = layout.missing()
    if text_question:
        layout.unsure.append(text_question)
    if not sure_of_dates:
        layout.unsure.append("Are the dates day-first or month-first?")
    return layout


def _find_header(records: list[list[str]]) -> tuple[int, dict[str, int]]:
    """The first record naming a date and an amount; banks often put account details above it."""
    best = (0, guess_columns(records[0]) if records else {})
    for index, record in enumerate(records[:30]):
        columns = guess_columns(record)
        if "date" in columns and ("amount" in columns or {"debit", "credit"} <= set(columns)):
            return index, columns
        if len(columns) > len(best[1]):
            best = (index, columns)
    return best


def _text_columns_choose(body: list[list[str]], layout: CsvLayout) -> str:
    """Description, payee and memo by content: the header names candidates, the cells decide.

    A column of two or three repeated values (DEBIT/CREDIT, a type code) is never the text. Returns
    a question for the mapping page when two columns of varied text could both be the description."""
    names = [_normalise(header) for header in layout.headers]
    free = {index for index in range(len(names)) if _is_free_text(body, index)}
    taken = {index for role, index in layout.columns.items() if role not in {"description", "merchant", "memo"}}
    for role in ("description", "merchant", "memo"):
        layout.columns.pop(role, None)
    candidates = {
        role: [
            i
            for i, name in enumerate(names)
            if (_names_role(name, role) or _names_role(name, role, exact=False)) and i in free and i not in taken
        ]  # fmt: skip
        for role in ("description", "merchant", "memo")
    }
    descriptions = sorted(candidates["description"], key=lambda i: _variety(body, i), reverse=True)
    if len(descriptions) > 1:
        descriptions = [i for i in descriptions if _is_worded(body, i)] or descriptions[:1]
    question = ""
    if len(descriptions) > 1:
        choices = " or ".join(f"'{layout.headers[i]}'" for i in descriptions)
        question = f"Which column holds the description: {choices}?"
    if descriptions:
        layout.columns["description"] = descriptions[0]
    merchants = [i for i in candidates["merchant"] if i not in layout.columns.values()]
    if merchants:
        layout.columns["merchant"] = merchants[0]
    memos = [i for i in candidates["memo"] if i not in layout.columns.values()]
    if memos:
        layout.columns["memo"] = memos[0]
    return question


def _column(body: list[list[str]], index: int) -> list[str]:
    return [record[index].strip() for record in body if index < len(record) and record[index].strip()]


def _is_free_text(body: list[list[str]], index: int) -> bool:
    cells = _column(body, index)
    if not cells or len(cells) * 5 < len(body):  # mostly empty: nothing to choose it for
        return False
    distinct = set(cells)
    if len(cells) > CODE_VALUES and len(distinct) <= CODE_VALUES:
        return False
    return not all(_AMOUNTISH.match(cell) for cell in distinct)


def _is_worded(body: list[list[str]], index: int) -> bool:
    """Words, not one code per row (a reference number, a transaction id): many cells have a space."""
    cells = _column(body, index)
    return sum(1 for cell in cells if " " in cell) * 3 >= len(cells)


def _variety(body: list[list[str]], index: int) -> tuple[int, float]:
    cells = _column(body, index)
    return len(set(cells)), sum(map(len, cells)) / max(len(cells), 1)


def _cells(body: list[list[str]], layout: CsvLayout, roles: tuple[str, ...]) -> list[str]:
    indexes = [layout.columns[role] for role in roles if role in layout.columns]
    return [record[i].strip() for record in body for i in indexes if i < len(record) and record[i].strip()]


def _decimal_comma(body: list[list[str]], layout: CsvLayout) -> bool:
    cells = _cells(body, layout, ("amount", "debit", "credit", "balance"))
    comma = sum(1 for cell in cells if re.search(r"\d,\d{1,2}\s*-?$", cell))
    dot = sum(1 for cell in cells if re.search(r"\d\.\d{1,2}\s*-?$", cell))
    return comma > dot or (comma == dot and layout.delimiter == ";")


def _date_order(body: list[list[str]], layout: CsvLayout) -> tuple[str, bool]:
    """ymd/dmy/mdy and whether the rows prove it (a day above 12, a four-digit first part, dots)."""
    firsts, seconds, dotted = [], [], False
    for cell in _cells(body, layout, ("date",)):
        if _COMPACT_DATE.match(cell):
            return "ymd", True
        match = _DATE.match(cell)
        if match is None:
            continue
        if len(match.group(1)) == 4:
            return "ymd", True
        dotted = dotted or "." in cell[: match.end()]
        firsts.append(int(match.group(1)))
        seconds.append(int(match.group(2)))
    if any(first > 12 for first in firsts) or dotted:
        return "dmy", True
    if any(second > 12 for second in seconds):
        return "mdy", True
    # No proof either way: decimal commas and semicolons come from day-first countries.
    return ("dmy" if layout.decimal_comma else "mdy"), not firsts


def parse_date(text: str, order: str) -> date:
    compact = _COMPACT_DATE.match(text)
    if compact:
        return date(*(int(part) for part in compact.groups()))
    match = _DATE.match(text)
    if match is None:
        parsed = dateutil_parser.parse(text, dayfirst=order == "dmy", yearfirst=order == "ymd")
        return parsed.date()
    a, b, c = (int(part) for part in match.groups())
    if len(match.group(1)) == 4:
        year, month, day = a, b, c
    else:
        year = c if len(match.group(3)) == 4 else 2000 + c if c < 70 else 1900 + c
        day, month = (a, b) if order == "dmy" else (b, a)
    return date(year, month, day)


def parse_amount(text: str, decimal_comma: bool) -> Decimal:
    """A signed amount: "-1.234,56", "(12.00)", "12.00-", "$1,234.56", "1 234,56 €"."""
    cleaned = text.strip()
    negative = cleaned.startswith("-") or cleaned.endswith("-") or (cleaned.startswith("(") and cleaned.endswith(")"))
    digits = _JUNK.sub("", cleaned)
    if "," in digits and "." in digits:
        decimal_comma = digits.rfind(",") > digits.rfind(".")
    digits = digits.replace(".", "").replace(",", ".") if decimal_comma else digits.replace(",", "")
    if not digits or digits.count(".") > 1:
        raise InvalidOperation(text)
    amount = Decimal(digits)
    return -amount if negative else amount


class _RowReader:
    """Reads one record with a layout; caches parsed dates (a file has few distinct ones)."""

    def __init__(self, layout: CsvLayout):
        self.layout = layout
        self.dates: dict[str, date] = {}
        # -1: the file has no such column
        columns = layout.columns
        self.date_at, self.amount_at = columns.get("date", -1), columns.get("amount", -1)
        self.debit_at, self.credit_at = columns.get("debit", -1), columns.get("credit", -1)
        self.description_at, self.merchant_at = columns.get("description", -1), columns.get("merchant", -1)
        self.currency_at, self.direction_at = columns.get("currency", -1), columns.get("direction", -1)
        self.memo_at, self.check_at = columns.get("memo", -1), columns.get("check", -1)
        self.balance_at = columns.get("balance", -1)

    def is_balance_line(self, record: list[str]) -> bool:
        """A "Beginning balance" line (Bank of America): a balance and no amount, so no transaction."""
        amounts = (self.cell(record, at) for at in (self.amount_at, self.debit_at, self.credit_at))
        return bool(self.cell(record, self.balance_at)) and not any(amounts)

    @staticmethod
    def cell(record: list[str], index: int) -> str:
        return record[index].strip() if 0 <= index < len(record) else ""

    def date(self, text: str) -> date:
        found = self.dates.get(text)
        if found is None:
            if len(self.dates) > 50_000:
                self.dates.clear()
            found = self.dates[text] = parse_date(text, self.layout.date_order)
        return found

    def signed_amount(self, record: list[str]) -> Decimal:
        comma = self.layout.decimal_comma
        if self.amount_at >= 0:
            text = self.cell(record, self.amount_at)
            mark = _MARK.search(text) if text[-1:].isalpha() else None
            if mark:  # "1.234.567,00 DB" (Indonesian banks), "12.50 CR"
                amount = abs(parse_amount(text[: mark.start()], comma))
                return -amount if mark.group(1).casefold() in EXPENSE_WORDS else amount
            try:
                amount = parse_amount(text, comma) if comma else Decimal(text)
            except InvalidOperation:
                amount = parse_amount(text, comma)
            # An unsigned amount with a debit/credit column ("Type: DR"); other type codes say nothing.
            if amount > 0 and self.cell(record, self.direction_at).casefold() in EXPENSE_WORDS:
                return -amount
            return amount
        debit, credit = self.cell(record, self.debit_at), self.cell(record, self.credit_at)
        debit_amount = abs(parse_amount(debit, comma)) if debit else Decimal(0)
        credit_amount = abs(parse_amount(credit, comma)) if credit else Decimal(0)
        return credit_amount - debit_amount

    def row(self, number: int, record: list[str]) -> ParsedRow | None:
        """The record as a row; None for a balance line. Raises ValueError saying what is wrong."""
        text = self.cell(record, self.date_at)
        if not text:
            raise ValueError("The date is missing.")
        try:
            when = self.date(text)
        except (ValueError, OverflowError):
            raise ValueError(f"'{text}' is not a date.") from None
        try:
            amount = self.signed_amount(record)
        except (InvalidOperation, ValueError):
            if self.is_balance_line(record):
                return None
            raise ValueError("The amount is not a number.") from None
        if not amount:
            if self.is_balance_line(record):
                return None
            raise ValueError("The amount is zero or missing.")
        merchant = self.cell(record, self.merchant_at)
        description = self.cell(record, self.description_at)
        if self.memo_at >= 0 or self.check_at >= 0:
            check = self.cell(record, self.check_at)
            description = joined(description, self.cell(record, self.memo_at), f"check {check}" if check else "")
        negative = amount < 0
        return ParsedRow(
            row=number, occurred_at=when, amount=-amount if negative else amount,
            kind="expense" if negative else "income", description=description or merchant, merchant=merchant,
            currency=self.cell(record, self.currency_at).upper() if self.currency_at >= 0 else "",
        )  # fmt: skip


def csv_rows(stream: TextIO, layout: CsvLayout) -> Iterator[ParsedRow | RowProblem]:
    """Every row after the header; row numbers count the file's records from 1, header included."""
    problems = layout.missing()
    if problems:
        raise ImportFileError(" ".join(problems) + " Choose the columns on the Import page.")
    reader = _RowReader(layout)
    records = csv.reader(stream, delimiter=layout.delimiter)
    first_row = layout.header_row + 1
    for number, record in enumerate(records, start=1):
        if number <= first_row or not any(record) or (len(record) == 1 and not record[0].strip()):
            continue
        try:
            row = reader.row(number, record)
        except ValueError as exc:
            yield RowProblem(number, str(exc))
        else:
            if row is not None:
                yield row
