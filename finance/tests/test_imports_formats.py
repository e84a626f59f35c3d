"""Every format through the real pipeline (/api/v1/imports/): banks' exports from six countries,
each deviation they carry, re-import as duplicates, and bad files failing in words a person reads."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from finance.models import Account, Category, Transaction
from finance.services import account_create, categorizer_for, category_create
from finance.tests.factories import record

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
URL = "/api/v1/imports/"


def run(client, name: str, capture, *, content: bytes | None = None, **fields) -> dict:
    data = content if content is not None else (FIXTURES / name).read_bytes()
    with capture(execute=True):
        answer = client.post(URL, {"file": SimpleUploadedFile(name, data), **fields}, format="multipart")
    assert answer.status_code == 202, answer.content
    return client.get(f"{URL}{answer.json()['id']}/").json()


def texts(user) -> list[tuple[str, str, str, str]]:
    """(merchant, description, kind, amount) of every transaction, oldest first."""
    rows = Transaction.objects.filter(user=user).order_by("occurred_at", "id")
    return [(t.merchant, t.description, t.kind, str(t.amount)) for t in rows]


@pytest.fixture
def checking(alice):
    return account_create(user=alice, name="Checking", currency="USD")


@pytest.mark.parametrize(
    ("name", "fmt", "created"),
    [
        ("chase_checking.csv", "csv", 6), ("bofa_checking.csv", "csv", 5), ("barclays_uk.csv", "csv", 5),
        ("monzo_uk.csv", "csv", 5), ("dkb_de.csv", "csv", 4), ("german_bank_cp1252.csv", "csv", 3),
        ("french_bank.csv", "csv", 4), ("ing_nl.csv", "csv", 4), ("bca_id.csv", "csv", 5),
        ("mandiri_id.csv", "csv", 4), ("us_bank_intu.qfx", "ofx", 3), ("quicken_us.qif", "qif", 8),
        ("banque_fr.qif", "qif", 4), ("camt053_v02_latin1.xml", "camt053", 4), ("camt053_v08.xml", "camt053", 3),
        ("sparkasse_de.sta", "mt940", 4), ("ing_nl.mt940", "mt940", 3),
    ],
)  # fmt: skip
def test_each_bank_file_is_recognised_imported_and_reimported_as_duplicates(
    alice_api, checking, django_capture_on_commit_callbacks, name, fmt, created
):
    first = run(alice_api, name, django_capture_on_commit_callbacks, account=checking.pk)
    again = run(alice_api, name, django_capture_on_commit_callbacks, account=checking.pk)

    assert (first["status"], first["format"], first["created"], first["errors"]) == ("done", fmt, created, []), first
    assert (again["status"], again["created"], again["duplicates"]) == ("done", 0, created)
    assert f"{created} were already there" in again["message"]
    assert Transaction.objects.filter(user=checking.user).count() == created


def test_chase_description_is_the_free_text_not_debit_or_credit(
    alice_api, checking, django_capture_on_commit_callbacks
):
    run(alice_api, "chase_checking.csv", django_capture_on_commit_callbacks, account=checking.pk)

    stored = texts(checking.user)
    descriptions = [description for _, description, _, _ in stored]
    assert "EMPLOYER INC DIRECT DEP PPD ID: 1234567890" in descriptions
    assert "ATM WITHDRAWAL 003456 01/02 1 MAIN ST NEW YORK NY" in descriptions
    assert not {"DEBIT", "CREDIT", "CHECK"} & set(descriptions)
    assert ("", "CHECK 1043", "expense", "1200.00") in stored  # the check number is already in the text


def test_payee_and_memo_are_kept_apart(alice_api, checking, django_capture_on_commit_callbacks):
    run(alice_api, "monzo_uk.csv", django_capture_on_commit_callbacks, account=checking.pk)

    stored = texts(checking.user)
    assert ("Tesco", "TESCO STORES 3041 LONDON GBR – weekly shop", "expense", "23.45") in stored
    assert ("ACME UK LTD", "ACME UK LTD SALARY", "income", "2100.00") in stored


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("dkb_de.csv", ("EDEKA Südbayern", "Kartenzahlung EDEKA Markt 4711 München", "expense", "54.12")),
        ("ing_nl.csv", ("Werkgever B.V.", "Naam: Werkgever B.V. Omschrijving: salaris januari 2025", "income", "2805.10")),
        ("bca_id.csv", ("", "TRSF E-BANKING CR 2501/FTSCY/WS95011 GAJI PT MAJU JAYA", "income", "12500000.00")),
        ("bca_id.csv", ("", "TARIKAN ATM 30/01 BCA GAMBIR", "expense", "1000000.00")),
        ("french_bank.csv", ("", "VIR SEPA RECU DE SARL DURAND SALAIRE", "income", "2640.00")),
        ("barclays_uk.csv", ("", "ACME UK LTD SALARY JAN BGC", "income", "2450.00")),
    ],
)  # fmt: skip
def test_national_csv_layouts(alice_api, checking, django_capture_on_commit_callbacks, name, expected):
    run(alice_api, name, django_capture_on_commit_callbacks, account=checking.pk)

    normalised = [(m, " ".join(d.split()), k, a) for m, d, k, a in texts(checking.user)]
    assert expected in normalised


def test_day_first_dates_are_read_day_first(alice_api, checking, django_capture_on_commit_callbacks):
    run(alice_api, "french_bank.csv", django_capture_on_commit_callbacks, account=checking.pk)

    salary = Transaction.objects.get(description__startswith="VIR SEPA")
    assert (salary.occurred_at.month, salary.occurred_at.day) in {(1, 24), (1, 23)}  # 24/01 in the user's zone


def test_real_world_ofx_deviations_are_read(alice_api, django_capture_on_commit_callbacks):
    """10-digit BANKID, INTU.BID/INTU.USERID, &amp; and &lt;, cp1252 text, 3 and 4 decimals, header spacing."""
    job = run(alice_api, "us_bank_intu.qfx", django_capture_on_commit_callbacks)

    assert job["status"] == "done", job
    account = Account.objects.get(external_id="000123456789")
    assert (account.currency, account.balance) == ("USD", Decimal("5321.12"))
    stored = texts(account.user)
    assert ("AT&T *BILL PAYMENT", "POS PURCHASE CAFÉ <NYC>", "expense", "42.17") in stored
    assert ("CHECK 1042", "CHECK 1042", "expense", "1200.00") in stored
    assert ("ACME CORP PAYROLL", "DIRECT DEP PPD ID: 9111111101", "income", "2345.68") in stored


def test_qif_sections_splits_categories_and_tags(alice, alice_api, django_capture_on_commit_callbacks):
    streaming = category_create(user=alice, name="Streaming services")
    job = run(alice_api, "quicken_us.qif", django_capture_on_commit_callbacks)

    assert job["status"] == "done", job
    card = Account.objects.get(user=alice, external_id="Visa Signature")
    checking = Account.objects.get(user=alice, external_id="Everyday Checking")
    assert card.kind == "credit" and checking.kind == "checking"
    costco = Transaction.objects.filter(merchant="COSTCO WHSE #0481").order_by("amount")
    assert [(str(t.amount), t.description) for t in costco] == [("30.00", "TP and soap"), ("82.40", "Food")]
    assert costco[1].category.name == "Groceries" and costco[1].category_source == "manual"
    assert costco[0].tag_names == ["Household"]  # no such category: kept as a tag
    rent = Transaction.objects.get(merchant="PROPERTY MGMT LLC")
    assert rent.description == "January rent – check 2043"
    assert (rent.category.name, rent.tag_names) == ("Housing", [])  # "Housing:Rent": the parent matches
    assert Transaction.objects.get(merchant="SPOTIFY USA").category == streaming
    assert Transaction.objects.get(merchant="SHELL OIL 5744").account == card
    assert Transaction.objects.get(merchant="Transfer").description == "transfer: Rainy Day Savings"


def test_qif_european_dates(alice_api, checking, django_capture_on_commit_callbacks):
    run(alice_api, "banque_fr.qif", django_capture_on_commit_callbacks, account=checking.pk)

    rent = Transaction.objects.get(merchant="CHEQUE 1234567")
    assert (rent.amount, rent.occurred_at.month) == (Decimal("1250.00"), 1)
    assert rent.description == "Loyer janvier"  # the check number is already in the payee


def test_camt053_v02_latin1_batch_and_pending(alice_api, django_capture_on_commit_callbacks):
    job = run(alice_api, "camt053_v02_latin1.xml", django_capture_on_commit_callbacks)

    assert job["status"] == "done", job
    account = Account.objects.get(external_id="DE12500105170648489890")
    assert (account.currency, account.balance) == ("EUR", Decimal("3309.67"))
    stored = texts(account.user)
    assert ("Müller & Söhne GmbH", "Lohn/Gehalt Januar 2025", "income", "2875.00") in stored
    assert ("Hausverwaltung Schäfer", "Miete Januar Whg. 3 OG links", "expense", "950.00") in stored
    assert ("Stadtwerke München", "Abschlag Strom Vertragskonto 889911", "expense", "71.00") in stored
    assert not Transaction.objects.filter(merchant__startswith="Netflix").exists()  # pending, not booked


def test_camt053_v08_party_names_and_reversal(alice_api, django_capture_on_commit_callbacks):
    run(alice_api, "camt053_v08.xml", django_capture_on_commit_callbacks)

    stored = texts(Account.objects.get(external_id="NL91ABNA0417164300").user)
    assert stored[0] == ("Albert Heijn 1403", "Betaalautomaat 03-02-2025 09:13 pasnr. 012", "expense", "37.85")
    assert stored[1] == ("Albert Heijn 1403", "Storno betaalautomaat 03-02-2025", "income", "37.85")


def test_an_entity_expansion_file_fails_cleanly(alice_api, django_capture_on_commit_callbacks):
    job = run(alice_api, "camt053_billion_laughs.xml", django_capture_on_commit_callbacks)

    assert job["status"] == "failed"
    assert "declares entities" in job["message"]
    assert Transaction.objects.count() == 0


def test_mt940_german_structured_details_and_reversal(alice_api, django_capture_on_commit_callbacks):
    run(alice_api, "sparkasse_de.sta", django_capture_on_commit_callbacks)

    account = Account.objects.get(external_id="50050201/0123456789")
    assert (account.currency, account.balance) == ("EUR", Decimal("3722.36"))
    stored = texts(account.user)
    assert ("Stadtwerke Frankfurt am Main GmbH", "Strom Abschlag Januar Kundennr 55521", "expense", "45.90") in stored
    assert ("Muster Software GmbH", "Gehalt Januar 2025", "income", "2500.00") in stored
    refund = stored[-1]  # RD: a reversed debit is money back
    assert refund[0] == "Stadtwerke Frankfurt am Main GmbH" and refund[2:] == ("income", "45.90")


def test_mt940_dutch_name_and_remi_layouts(alice_api, django_capture_on_commit_callbacks):
    run(alice_api, "ing_nl.mt940", django_capture_on_commit_callbacks)

    stored = texts(Account.objects.get(external_id="NL20INGB0001234567EUR").user)
    assert ("Vodafone Libertel BV", "Factuur 7712004 januari", "expense", "89.95") in stored
    assert ("J. de Vries", "Terugbetaling vakantiehuisje", "income", "1250.00") in stored
    assert ("", "BEA NR:XX123 15.01.25/10.32 Albert Heijn 1234 AMSTERDAM", "expense", "4.50") in stored


def test_a_wrong_explicit_format_is_refused_naming_both(alice_api):
    data = (FIXTURES / "quicken_us.qif").read_bytes()
    answer = alice_api.post(URL, {"file": SimpleUploadedFile("export.qif", data), "format": "ofx"}, format="multipart")

    assert answer.status_code == 415
    assert "You chose OFX/QFX, but this file is QIF" in answer.json()["detail"]
    assert Transaction.objects.count() == 0


def test_an_unknown_format_name_is_refused(alice_api):
    data = (FIXTURES / "quicken_us.qif").read_bytes()
    answer = alice_api.post(URL, {"file": SimpleUploadedFile("a.qif", data), "format": "xls"}, format="multipart")

    assert answer.status_code == 415
    assert "'xls' is not a format" in answer.json()["detail"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.qif", b"!Type:Bank\nD13/45/2025\nT-12.00\nPSHOP\n^\n", "'13/45/2025' is not a date (line D)"),
        ("bad.qif", b"!Type:Bank\nD01/05/2025\nTtwelve\nPSHOP\n^\n", "The amount (line T) is not a number"),
        ("bad.qif", b"!Type:Bank\nD01/05/2025\nT-10.00\nSFood\n$-4.00\nSFun\n$-5.00\n^\n", "add up to -9.00"),
        ("bad.sta", b":20:X\n:25:123/456\n:28C:1\n:60F:C250101EUR1,00\n:61:garbage\n", "could not be read"),
        ("bad.xml", b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.04"><BkToCstmrStmt><Stmt>',
         "not well-formed"),
    ],
)  # fmt: skip
def test_bad_files_fail_with_a_message_naming_what(
    alice_api, checking, django_capture_on_commit_callbacks, name, content, message
):
    job = run(alice_api, name, django_capture_on_commit_callbacks, content=content, account=checking.pk)

    assert job["status"] == "failed"
    reported = job["message"] + " ".join(error["message"] for error in job["errors"])
    assert message in reported, job
    assert Transaction.objects.count() == 0


def test_a_spendwise_category_named_in_the_file_is_used(alice_api, django_capture_on_commit_callbacks, alice):
    system = Category.objects.filter(user__isnull=True).first()
    content = f"!Type:Cash\nD01/05/2025\nT-9.50\nPCORNER SHOP\nL{system.name.upper()}\n^\n".encode()
    run(alice_api, "cash.qif", django_capture_on_commit_callbacks, content=content)

    assert Transaction.objects.get(merchant="CORNER SHOP").category == system


@pytest.mark.parametrize(
    ("charset", "encoding"),
    [("8859-1", "latin-1"), ("1252", "utf-8"), ("ISO-8859-1", "latin-1")],
)  # fmt: skip
def test_ofx_charset_named_oddly_or_not_matching_the_text(
    alice_api, django_capture_on_commit_callbacks, charset, encoding
):
    """A CHARSET ofxtools does not know (8859-1), or one the text does not match (says 1252, is UTF-8)."""
    original = (FIXTURES / "checking_ofx102.ofx").read_bytes().decode("ascii")
    text = original.replace("CHARSET:1252", f"CHARSET:{charset}").replace("WHOLE FOODS MARKET #123", "Café Zürich")
    job = run(alice_api, "bank.ofx", django_capture_on_commit_callbacks, content=text.encode(encoding))

    assert (job["status"], job["created"]) == ("done", 3), job
    assert Transaction.objects.filter(merchant="Café Zürich").count() == 1


def test_mt940_reversal_of_a_credit_is_money_out(alice_api, django_capture_on_commit_callbacks):
    statement = (
        ":20:STARTUMSE\r\n:25:50050201/0123456789\r\n:28C:1/1\r\n:60F:C250101EUR100,00\r\n"
        ":61:2501100110CR250,00NTRFNONREF\r\n:86:Erstattung Kaution\r\n"
        ":61:2501120112RC250,00NTRFNONREF\r\n:86:Storno Erstattung Kaution\r\n:62F:C250112EUR100,00\r\n-"
    )
    run(alice_api, "storno.sta", django_capture_on_commit_callbacks, content=statement.encode())

    stored = texts(Account.objects.get(external_id="50050201/0123456789").user)
    assert [row[1:] for row in stored] == [
        ("Erstattung Kaution", "income", "250.00"),
        ("Storno Erstattung Kaution", "expense", "250.00"),
    ]


def test_an_imported_row_is_categorised_as_the_same_line_typed_in_amount_included(
    alice, alice_api, checking, django_capture_on_commit_callbacks
):
    # Small PayPal payments were games, large ones furniture: only the amount tells them apart.
    with django_capture_on_commit_callbacks(execute=True):  # the refit runs as the labels commit
        for shop in ("ALDEN", "BRIXO", "CALVY", "DORNA", "ELMIK", "FARSO", "GUNTA", "HELVO", "IRMAS", "JOTUN"):
            record(alice, checking, "4.99", merchant=f"PAYPAL *{shop}", category="entertainment")
            record(alice, checking, "449.00", merchant=f"PAYPAL *{shop}", category="shopping")
    categorizer = categorizer_for(user=alice)
    typed = {
        amount: categorizer.categories[
            categorizer.categorize(merchant="PAYPAL *ZEPHYRA", description="", amount=Decimal(amount)).category_id
        ].slug
        for amount in ("5.49", "389.00")
    }
    assert typed == {"5.49": "entertainment", "389.00": "shopping"}

    content = b"!Type:Bank\nD01/05/2025\nT-5.49\nPPAYPAL *ZEPHYRA\n^\nD01/06/2025\nT-389.00\nPPAYPAL *ZEPHYRA\n^\n"
    run(alice_api, "paypal.qif", django_capture_on_commit_callbacks, content=content, account=checking.pk)

    imported = Transaction.objects.filter(user=alice, merchant="PAYPAL *ZEPHYRA")
    assert {str(t.amount): t.category.slug for t in imported} == {"5.49": "entertainment", "389.00": "shopping"}
