"""Data sets in the SpendSense shape (Plaid-style tables), read as a stream with ijson.

    {"users": [{"user_id", "email"?, "name"?, "timezone"?, "currency"?}],
     "accounts": [{"account_id", "user_id", "name"?, "type": depository|credit|loan|investment,
                   "subtype"?, "balances": {"current", "available"?, "limit"?}, "iso_currency_code"?}],
     "liabilities": [{"account_id", "aprs": [{"apr_type", "apr_percentage"}], "minimum_payment_amount",
                      "last_payment_amount"?, "last_statement_balance", "is_overdue", "next_payment_due_date"?}],
     "transactions": [{"transaction_id", "account_id", "date", "amount", "merchant_name"?, "name"?,
                       "iso_currency_code"?}],
     "products": [...]}          (the product catalogue is the insights app's business)

As in Plaid, a positive transaction amount is money leaving the account, a negative one money
entering it. `liabilities` may also be Plaid's {"credit": [...]}. Pure: no ORM.

The data set is nested a few levels deep; a file nested deeper than MAX_DEPTH is refused as the
parser reaches that depth, before anything of it is built (100,000 levels once took 12.7 GB).
"""

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import BinaryIO

import ijson

from finance.imports.records import ImportFileError, ParsedRow, RowProblem, StatementAccount

MAX_DEPTH = 32
TOO_DEEP = f"This JSON file is nested more than {MAX_DEPTH} levels deep; a data set needs far fewer."

ACCOUNT_KINDS = {"credit": "credit", "loan": "loan", "investment": "investment", "brokerage": "investment"}
SUBTYPE_KINDS = {"savings": "savings", "checking": "checking", "credit card": "credit", "cash management": "checking"}


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


class JsonDataSet:
    """One data set file. Users, accounts and liabilities are small and read whole; transactions stream."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        try:
            _check_depth(stream)
        except ijson.JSONError as exc:
            raise ImportFileError(f"This is not valid JSON ({str(exc)[:100]}).") from None
        # One pass over the file per section (the C parser skips the rest quickly); transactions stream later.
        self.users = self._section("users")
        liabilities = self._section("liabilities")
        if isinstance(liabilities, dict):  # Plaid's {"credit": [...], "student": [...]}
            liabilities = liabilities.get("credit") or []
        self.liabilities = {str(entry.get("account_id")): entry for entry in liabilities if isinstance(entry, dict)}
        self.account_entries = [entry for entry in self._section("accounts") if isinstance(entry, dict)]
        if not self.account_entries:
            raise ImportFileError('The JSON file lists no "accounts"; see the data set format in docs/imports.md.')

    def _section(self, key: str) -> list | dict:
        self.stream.seek(0)
        try:
            found = next(ijson.items(self.stream, key), [])
        except ijson.JSONError as exc:
            raise ImportFileError(f"This is not valid JSON ({str(exc)[:100]}).") from None
        return found if isinstance(found, list | dict) else []

    def owners(self) -> set[str]:
        return {str(entry.get("user_id", "")) for entry in self.account_entries}

    def accounts(self) -> list[StatementAccount]:
        return [self._account(entry) for entry in self.account_entries]

    def _account(self, entry: dict) -> StatementAccount:
        key = str(entry.get("account_id", ""))
        kind = ACCOUNT_KINDS.get(str(entry.get("type", "")).lower()) or SUBTYPE_KINDS.get(
            str(entry.get("subtype", "")).lower(), "checking"
        )
        balances = entry.get("balances") or {}
        liability = self.liabilities.get(key, {})
        aprs = liability.get("aprs") or []
        purchase = next((apr for apr in aprs if apr.get("apr_type") == "purchase_apr"), aprs[0] if aprs else {})
        return StatementAccount(
            key=key,
            name=str(entry.get("name") or entry.get("official_name") or entry.get("subtype") or "Account")[:100],
            kind=kind,
            currency=str(entry.get("iso_currency_code") or ""),
            balance=_decimal(balances.get("current")),
            credit_limit=_decimal(balances.get("limit")),
            owner=str(entry.get("user_id", "")),
            liability={
                "apr_percent": _decimal(purchase.get("apr_percentage")),
                "minimum_payment": _decimal(liability.get("minimum_payment_amount")),
                "last_payment_amount": _decimal(liability.get("last_payment_amount")),
                "last_statement_balance": _decimal(liability.get("last_statement_balance")),
                "is_overdue": bool(liability.get("is_overdue")),
                "next_payment_due": liability.get("next_payment_due_date"),
            }
            if liability
            else {},
        )

    def rows(self, *, owner: str | None = None) -> Iterator[ParsedRow | RowProblem]:
        """Every transaction (of `owner`'s accounts only, when given)."""
        self.stream.seek(0)
        everyone = {str(entry.get("account_id", "")) for entry in self.account_entries}
        known = {
            str(entry.get("account_id", ""))
            for entry in self.account_entries
            if owner is None or str(entry.get("user_id", "")) == owner
        }
        others = everyone - known
        dates: dict[str, date | datetime] = {}
        try:
            for number, entry in enumerate(ijson.items(self.stream, "transactions.item"), start=1):
                if others and isinstance(entry, dict) and str(entry.get("account_id", "")) in others:
                    continue  # another person's transaction in a shared data set
                yield _row(number, entry, known, dates)
        except ijson.JSONError as exc:
            raise ImportFileError(f"This is not valid JSON ({str(exc)[:100]}).") from None


def _check_depth(stream: BinaryIO) -> None:
    """ImportFileError as soon as the file opens more than MAX_DEPTH levels. A pass of its own over
    ijson's basic events: its prefixed events (items) spell every level's path, which a deep file
    makes grow with the square of its depth."""
    depth = 0
    for event, _ in ijson.basic_parse(stream):
        if event in ("start_map", "start_array"):
            depth += 1
            if depth > MAX_DEPTH:
                raise ImportFileError(TOO_DEEP)
        elif event in ("end_map", "end_array"):
            depth -= 1


def _when(text, dates: dict) -> date | datetime:
    found = dates.get(text)
    if found is None:
        value = str(text)
        found = date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
        if len(dates) < 50_000:
            dates[text] = found
    return found


def _row(number: int, entry, known: set[str], dates: dict) -> ParsedRow | RowProblem:
    if not isinstance(entry, dict):
        return RowProblem(number, "A transaction must be an object.")
    account_key = str(entry.get("account_id", ""))
    if account_key not in known:
        return RowProblem(number, f"Unknown account_id '{account_key[:50]}'.")
    if not entry.get("transaction_id"):
        return RowProblem(number, "transaction_id is missing.")
    amount = entry.get("amount")
    amount = amount if isinstance(amount, Decimal | int) and not isinstance(amount, bool) else _decimal(amount)
    if not amount:
        return RowProblem(number, "amount is missing or zero.")
    try:
        when = _when(entry.get("date") or entry.get("datetime"), dates)
    except (TypeError, ValueError):
        return RowProblem(number, f"date '{str(entry.get('date'))[:30]}' is not an ISO date (YYYY-MM-DD).")
    merchant = str(entry.get("merchant_name") or "")
    return ParsedRow(
        row=number,
        occurred_at=when,
        amount=abs(Decimal(amount)),
        kind="expense" if amount > 0 else "income",
        description=str(entry.get("name") or merchant),
        merchant=merchant,
        currency=str(entry.get("iso_currency_code") or ""),
        external_key=str(entry["transaction_id"]),
        account_key=account_key,
    )
