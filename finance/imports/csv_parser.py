"""Bank CSV exports: find the columns, read day-first or month-first dates and both decimal styles.

`csv_inspect` looks at the first rows and guesses a layout (saying where it is unsure);
`csv_rows` then streams every row with that layout. Pure: no ORM, no I/O beyond the stream.
"""

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TextIO

from dateutil import parser as dateutil_parser

from finance.imports.detect import detect_delimiter
from finance.imports.records import ImportFileError, ParsedRow, RowProblem

INSPECT_ROWS = 200
ROLES = ("date", "amount", "debit", "credit", "description", "merchant", "balance", "currency", "direction")

# Normalised header words of real exports (US, UK, German, Dutch, French, Spanish, Indonesian banks).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": ("date", "transaction date", "posted date", "posting date", "booking date", "trans date", "buchungstag",
             "buchungsdatum", "datum", "date operation", "fecha", "tanggal", "completed date", "started date"),
    "amount": ("amount", "transaction amount", "betrag", "umsatz", "montant", "importe", "bedrag", "jumlah", "value",
               "amount eur", "amount usd", "amount gbp", "betrag eur"),
    "debit": ("debit", "debit amount", "withdrawal", "withdrawals", "money out", "paid out", "soll", "ausgang",
              "debet", "af", "debits"),
    "credit": ("credit", "credit amount", "deposit", "deposits", "money in", "paid in", "haben", "eingang",
               "kredit", "bij", "credits"),
    "description": ("description", "transaction description", "details", "memo", "narrative", "verwendungszweck",
                    "buchungstext", "reference", "libelle", "concepto", "omschrijving", "keterangan", "particulars"),
    "merchant": ("payee", "merchant", "name", "counterparty", "beguenstigter zahlungspflichtiger",
                 "auftraggeber begunstigter", "empfanger", "zahlungsempfanger", "naam omschrijving", "payee name"),
    "balance": ("balance", "running balance", "saldo", "kontostand", "solde", "balance eur"),
    "currency": ("currency", "wahrung", "waehrung", "devise", "moneda", "valuta code"),
    "direction": ("type", "transaction type", "cr dr", "dr cr", "debit credit", "soll haben", "af bij"),
}  # fmt: skip
EXPENSE_WORDS = {"debit", "dr", "d", "soll", "s", "af", "out", "withdrawal", "expense"}

_DATE = re.compile(r"^\s*(\d{1,4})[./\-](\d{1,2})[./\-](\d{1,4})\b")
_JUNK = re.compile(r"[^\d.,]")


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
    text = header.casefold().replace("ä", "a").replace("ö", "o").replace("ü", "u").replace("ß", "ss")
    text = re.sub(r"\(.*?\)|[^a-z0-9]+", " ", text)
    return " ".join(text.split())


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
                hit = name in SYNONYMS[role] if exact else any(name.startswith(s + " ") for s in SYNONYMS[role])
                if hit and not taken:
                    columns[role] = index
                    break
    if "description" not in columns and "merchant" in columns:
        columns["description"] = columns.pop("merchant")
    return columns


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
    layout.unsure = layout.missing()
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

    def row(self, number: int, record: list[str]) -> ParsedRow:
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
            raise ValueError("The amount is not a number.") from None
        if not amount:
            raise ValueError("The amount is zero or missing.")
        description = self.cell(record, self.description_at)
        merchant = self.cell(record, self.merchant_at)
        negative = amount < 0
        return ParsedRow(
            row=number,
            occurred_at=when,
            amount=-amount if negative else amount,
            kind="expense" if negative else "income",
            description=description or merchant,
            merchant=merchant,
            currency=self.cell(record, self.currency_at).upper(),
        )


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
            yield reader.row(number, record)
        except ValueError as exc:
            yield RowProblem(number, str(exc))
