"""The Import page: upload, column choice, progress and result; the access cast."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from finance.models import ImportJob, Transaction
from finance.services import account_create

FIXTURES = Path(__file__).parent / "fixtures" / "imports"


def test_upload_shows_the_result(alice, alice_client, django_capture_on_commit_callbacks):
    account = account_create(user=alice, name="Checking")
    data = (FIXTURES / "checking_ofx102.ofx").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        answer = alice_client.post("/imports/", {"file": SimpleUploadedFile("s.ofx", data), "account": account.pk})
    job = ImportJob.objects.get()
    assert answer.status_code == 302 and answer.url == f"/imports/{job.pk}/"
    page = alice_client.get(answer.url).content.decode()
    assert 'role="status"' in page and "<progress" in page and "New transactions" in page
    assert Transaction.objects.filter(account=account).count() == 3


def test_unsure_csv_asks_for_columns(alice, alice_client, django_capture_on_commit_callbacks):
    data = b"When;What;How much\n01.02.2025;Coffee;-3,50\n"
    answer = alice_client.post("/imports/", {"file": SimpleUploadedFile("odd.csv", data)})
    job = ImportJob.objects.get()
    assert answer.url == f"/imports/{job.pk}/columns/"
    assert "Which column holds the date?" in alice_client.get(answer.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        chosen = alice_client.post(
            answer.url, {"date": "0", "description": "1", "amount": "2", "date_order": "dmy", "decimal_comma": "on"}
        )
    assert chosen.status_code == 302
    txn = Transaction.objects.get()
    assert (str(txn.amount), txn.kind, txn.description) == ("3.50", "expense", "Coffee")


def test_unknown_file_is_reported_on_the_form(alice_client):
    answer = alice_client.post("/imports/", {"file": SimpleUploadedFile("x.png", b"\x89PNG\x00\x00")})
    page = answer.content.decode()
    assert answer.status_code == 200 and "none of the formats Spendwise reads" in page
    assert 'aria-describedby="id_file_errors"' in page


def test_access_cast(alice, alice_client, bob_client, staff_client, anon_client):
    job = ImportJob.objects.create(user=alice, format="csv", filename="a.csv")
    assert alice_client.get("/imports/").status_code == 200
    assert alice_client.get(f"/imports/{job.pk}/").status_code == 200
    assert bob_client.get(f"/imports/{job.pk}/").status_code == 404
    assert staff_client.get(f"/imports/{job.pk}/").status_code == 404
    assert anon_client.get("/imports/").status_code == 302


def test_ingest_json_command(db):
    call_command("ingest_json", str(FIXTURES / "spendsense.json"))
    txns = Transaction.objects.filter(user__email="dana@example.com")
    assert txns.count() == 4 and set(txns.values_list("source", flat=True)) == {"ingest"}


def test_too_large_file_is_reported_on_the_form(alice_client, settings):
    settings.IMPORT_MAX_BYTES = 5
    answer = alice_client.post("/imports/", {"file": SimpleUploadedFile("a.csv", b"Date,Amount\n2025-01-01,-1\n")})
    assert answer.status_code == 200 and "larger than" in answer.content.decode()
    assert not ImportJob.objects.exists()


def test_rows_a_bank_file_gives_by_day_are_shown_without_a_time(
    alice, alice_client, django_capture_on_commit_callbacks
):
    account = account_create(user=alice, name="Checking")
    data = (FIXTURES / "us_bank_debit_credit.csv").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post("/imports/", {"file": SimpleUploadedFile("us.csv", data), "account": account.pk})
    assert Transaction.objects.filter(account=account).exists()
    assert not Transaction.objects.filter(account=account, date_only=False).exists()
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(
            "/transactions/",
            {"kind": "expense", "amount": "4.20", "account": account.pk, "occurred_at": "2025-01-20T08:15",
             "merchant": "Corner cafe"},
        )  # fmt: skip
    page = alice_client.get("/transactions/?month=2025-01").content.decode()
    assert '<time datetime="2025-01-20">20 Jan 2025</time>' in page
    assert "20 Jan 2025, 08:15" in page  # a time the person gave is still shown
    assert "00:00" not in page
