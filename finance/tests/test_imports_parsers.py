"""The pure parsers: detection, CSV layouts and values, OFX and JSON data sets (no database)."""

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finance.imports.csv_parser import csv_inspect, csv_rows, parse_amount, parse_date
from finance.imports.detect import detect_encoding, detect_format, open_text
from finance.imports.json_ingest import JsonDataSet
from finance.imports.mt940_parser import dutch_details
from finance.imports.ofx_parser import OfxStatement, ofx_clean
from finance.imports.qif_parser import qif_date
from finance.imports.records import ImportFileError, ParsedRow, RowProblem

FIXTURES = Path(__file__).parent / "fixtures" / "imports"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def csv_layout(name: str):
    return csv_inspect(open_text(io.BytesIO(fixture(name))))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("us_bank_debit_credit.csv", "csv"), ("german_bank_cp1252.csv", "csv"), ("uk_bank_bom.csv", "csv"),
        ("export_utf16.csv", "csv"), ("checking_ofx102.ofx", "ofx"), ("creditcard_ofx22.ofx", "ofx"),
        ("quicken_export.qfx", "ofx"), ("spendsense.json", "json"),
    ],
)  # fmt: skip
def test_format_is_detected_from_the_content(name, expected):
    assert detect_format(filename="upload.bin", head=fixture(name)) == expected


def test_a_picture_named_ofx_is_no_format():
    assert detect_format(filename="statement.ofx", head=b"\x89PNG\r\n\x1a\n") is None


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("uk_bank_bom.csv", "utf-8-sig"), ("export_utf16.csv", "utf-16"), ("german_bank_cp1252.csv", "cp1252")],
)
def test_encoding(name, encoding):
    assert detect_encoding(fixture(name)) == encoding


def test_german_layout_has_a_preamble_semicolons_decimal_commas_and_day_first_dates():
    layout = csv_layout("german_bank_cp1252.csv")
    assert (layout.delimiter, layout.header_row, layout.decimal_comma, layout.date_order) == (";", 3, True, "dmy")
    assert {"date", "amount", "description", "merchant", "balance"} <= set(layout.columns)
    assert layout.unsure == []


def test_us_layout_has_a_debit_credit_pair_and_month_first_dates():
    layout = csv_layout("us_bank_debit_credit.csv")
    assert {"debit", "credit"} <= set(layout.columns) and "amount" not in layout.columns
    assert layout.date_order == "mdy"


def test_a_header_nobody_knows_is_unsure():
    layout = csv_inspect(io.StringIO("When;What;How much\n01.02.2025;Coffee;-3,50\n"))
    assert "Which column holds the date?" in layout.unsure


def test_dates_that_prove_nothing_are_unsure():
    layout = csv_inspect(io.StringIO("Date,Description,Amount\n01/02/2025,Coffee,-3.50\n"))
    assert "Are the dates day-first or month-first?" in layout.unsure


def test_bad_rows_carry_their_row_numbers():
    rows = list(csv_rows(open_text(io.BytesIO(fixture("bad_rows.csv"))), csv_layout("bad_rows.csv")))
    assert [(row.row, type(row)) for row in rows] == [
        (2, ParsedRow), (3, RowProblem), (4, RowProblem), (5, ParsedRow), (6, RowProblem),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "comma", "amount"),
    [
        ("-1.234,56", True, "-1234.56"), ("1.234,56-", True, "-1234.56"), ("$1,234.56", False, "1234.56"),
        ("(12.00)", False, "-12.00"), ("1 234,56 €", True, "1234.56"), ("1,234.56", True, "1234.56"),
        ("+7", False, "7"),
    ],
)  # fmt: skip
def test_amount_styles(text, comma, amount):
    assert parse_amount(text, comma) == Decimal(amount)


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_amounts_survive_the_german_style(value):
    whole, cents = f"{abs(value):.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    text = ("-" if value < 0 else "") + f"{grouped},{cents}"
    assert parse_amount(text, True) == value


@pytest.mark.parametrize(
    ("text", "order", "day"),
    [("31.01.2025", "dmy", date(2025, 1, 31)), ("01/31/2025", "mdy", date(2025, 1, 31)),
     ("2025-01-31", "dmy", date(2025, 1, 31)), ("31.01.25", "dmy", date(2025, 1, 31)),
     ("31 Jan 2025", "dmy", date(2025, 1, 31))],
)  # fmt: skip
def test_date_styles(text, order, day):
    assert parse_date(text, order) == day


def test_ofx_multi_account_and_fitids():
    statement = OfxStatement(io.BytesIO(fixture("multi_account.ofx")))
    assert [(a.key, a.kind) for a in statement.accounts()] == [
        ("000123456789", "checking"),
        ("000987654321", "savings"),
    ]
    rows = list(statement.rows())
    assert len(rows) == 6 and all(row.external_key for row in rows)
    assert {row.account_key for row in rows} == {"000123456789", "000987654321"}


def test_malformed_ofx_says_so_in_words():
    with pytest.raises(ImportFileError, match="could not be read"):
        OfxStatement(io.BytesIO(fixture("malformed.ofx")))


def test_json_data_set_reads_liabilities_and_plaid_signs():
    data_set = JsonDataSet(io.BytesIO(fixture("spendsense.json")))
    card = next(account for account in data_set.accounts() if account.kind == "credit")
    assert card.liability["is_overdue"] is True and card.liability["apr_percent"] == Decimal("24.99")
    kinds = [(row.external_key, row.kind) for row in data_set.rows()]
    assert kinds[:2] == [("tx-1", "expense"), ("tx-2", "income")]


def test_json_that_is_not_json():
    with pytest.raises(ImportFileError, match="not valid JSON"):
        JsonDataSet(io.BytesIO(b'{"accounts": [1, 2'))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("quicken_us.qif", "qif"), ("banque_fr.qif", "qif"), ("camt053_v02_latin1.xml", "camt053"),
        ("camt053_v08.xml", "camt053"), ("sparkasse_de.sta", "mt940"), ("ing_nl.mt940", "mt940"),
        ("us_bank_intu.qfx", "ofx"), ("chase_checking.csv", "csv"), ("bca_id.csv", "csv"),
    ],
)  # fmt: skip
def test_new_formats_are_detected_whatever_the_name(name, expected):
    assert detect_format(filename="download.txt", head=fixture(name)) == expected


def test_an_xml_file_that_is_no_statement_is_no_format():
    assert (
        detect_format(filename="export.xml", head=b'<?xml version="1.0"?><invoice><total>3</total></invoice>') is None
    )


@pytest.mark.parametrize(
    ("text", "day_first", "expected"),
    [
        ("1/ 5'25", False, date(2025, 1, 5)), ("12/31/2024", False, date(2024, 12, 31)),
        ("05.01.2025", True, date(2025, 1, 5)), ("2025-01-05", False, date(2025, 1, 5)),
        ("31/12/99", True, date(1999, 12, 31)),
    ],
)  # fmt: skip
def test_qif_dates(text, day_first, expected):
    assert qif_date(text, day_first=day_first) == expected


@pytest.mark.parametrize(
    ("details", "expected"),
    [
        ("/TRTP/SEPA OVERBOEKING/IBAN/NL39RABO0300065264/BIC/RABONL2U/NAME/J. de Vries/REMI/Huur maart/EREF/X",
         ("J. de Vries", "Huur maart")),
        ("/CNTP/NL80INGB0000123456/INGBNL2A/Vodafone Libertel BV/MAASTRICHT//REMI/USTD//Factuur 77/",
         ("Vodafone Libertel BV", "Factuur 77")),
    ],
)  # fmt: skip
def test_dutch_mt940_details_split_into_payee_and_purpose(details, expected):
    assert dutch_details(details) == expected


def test_ofx_clean_mends_header_private_tags_and_bankid_only():
    cleaned = ofx_clean(fixture("us_bank_intu.qfx")).decode()
    assert cleaned.startswith("OFXHEADER:100\r\nDATA:OFXSGML\r\n")
    assert "INTU." not in cleaned and "<BANKID>026708413\r\n" in cleaned
    assert "CAFÉ &lt;NYC&gt;" in cleaned and "<TRNAMT>2345.675" in cleaned  # text and amounts untouched


def test_chase_layout_prefers_the_varied_text_over_debit_credit():
    layout = csv_layout("chase_checking.csv")
    assert layout.headers[layout.columns["description"]] == "Description"
    assert layout.headers[layout.columns["check"]] == "Check or Slip #"
    assert "Are the dates day-first or month-first?" in layout.unsure


def test_two_varied_text_columns_make_the_page_ask():
    data = "Date,Description,Details,Amount\n" + "".join(
        f"2025-01-{day:02d},Shop number {day},Card payment at till {day * 7},-{day}.00\n" for day in range(1, 9)
    )
    layout = csv_inspect(open_text(io.BytesIO(data.encode())))
    assert layout.unsure == ["Which column holds the description: 'Details' or 'Description'?"]  # likelier first


@pytest.mark.parametrize(
    "hostile",
    [
        b'{"accounts": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",  # 200 KB, 100,000 deep
        b'{"users": [{"name": ' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_000 + b"}]}",
    ],
    ids=["arrays", "objects"],
)
def test_json_nested_deeper_than_any_data_set_is_refused_before_it_is_built(hostile):
    with pytest.raises(ImportFileError, match="nested more than 32 levels"):
        JsonDataSet(io.BytesIO(hostile))


def test_a_deeply_nested_transaction_is_refused_as_the_file_is_first_read():
    accounts = b'{"accounts": [{"account_id": "a1", "type": "depository"}], "transactions": ['
    deep = b'{"transaction_id": "t1", "account_id": "a1", "amount": 1, "date": "2026-01-02", "x": '
    with pytest.raises(ImportFileError, match="nested more than 32 levels"):
        JsonDataSet(io.BytesIO(accounts + deep + b"[" * 10_000 + b"]" * 10_000 + b"}]}"))
