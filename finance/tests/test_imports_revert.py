"""Reverting an import (API and page), undoing the revert, and CSV column choices remembered per export."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum

from finance.models import Account, CsvMapping, ImportJob, MonthlyCategoryTotal, OutboxEvent, Transaction, UndoEntry
from finance.services import account_create, transaction_delete, transaction_update

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
URL = "/api/v1/imports/"


def imported(client, name: str, capture, **fields) -> dict:
    with capture(execute=True):
        answer = client.post(
            URL, {"file": SimpleUploadedFile(name, (FIXTURES / name).read_bytes()), **fields}, format="multipart"
        )
    assert answer.status_code == 202, answer.content
    return client.get(f"{URL}{answer.json()['id']}/").json()


def ledger_state(user) -> tuple:
    """What a person sees: live transactions, each account's balance, the monthly totals."""
    balances = tuple(Account.objects.filter(user=user).order_by("pk").values_list("balance", flat=True))
    totals = MonthlyCategoryTotal.objects.filter(user=user).aggregate(total=Sum("total"), count=Sum("count"))
    return Transaction.objects.filter(user=user).count(), balances, (totals["total"] or 0, totals["count"] or 0)


@pytest.fixture
def checking(alice):
    return account_create(user=alice, name="Checking", currency="EUR", balance=Decimal("100.00"))


def test_revert_removes_what_the_import_created_and_nothing_else(
    alice, alice_api, checking, django_capture_on_commit_callbacks
):
    before = ledger_state(alice)
    job = imported(alice_api, "dkb_de.csv", django_capture_on_commit_callbacks, account=checking.pk)
    assert ledger_state(alice) != before
    events = OutboxEvent.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        answer = alice_api.post(f"{URL}{job['id']}/revert/", {}, format="json")

    assert answer.status_code == 200, answer.content
    assert answer.json()["removed"] == 4 and answer.json()["job"]["reverted_at"]
    assert ledger_state(alice) == before
    assert UndoEntry.objects.filter(user=alice, action="revert").count() == 1
    event = OutboxEvent.objects.order_by("id")[events]
    assert OutboxEvent.objects.count() == events + 1
    assert (event.payload["action"], event.payload["count"]) == ("import_revert", 4)
    again = alice_api.post(f"{URL}{job['id']}/revert/", {}, format="json")
    assert again.status_code == 409 and "already reverted" in again.json()["detail"]


def test_the_same_file_imports_again_after_a_revert(alice, alice_api, checking, django_capture_on_commit_callbacks):
    job = imported(alice_api, "dkb_de.csv", django_capture_on_commit_callbacks, account=checking.pk)
    alice_api.post(f"{URL}{job['id']}/revert/", {}, format="json")

    second = imported(alice_api, "dkb_de.csv", django_capture_on_commit_callbacks, account=checking.pk)

    assert (second["created"], second["duplicates"]) == (4, 0)
    assert Transaction.objects.filter(user=alice).count() == 4


def test_edited_rows_refuse_the_revert_unless_forced(alice, alice_api, checking, django_capture_on_commit_callbacks):
    before = ledger_state(alice)
    job = imported(alice_api, "dkb_de.csv", django_capture_on_commit_callbacks, account=checking.pk)
    rent = Transaction.objects.get(merchant="Hausverwaltung Bäcker")
    transaction_update(user=alice, transaction=rent, amount=Decimal("1200.00"))
    transaction_delete(user=alice, transaction=Transaction.objects.get(merchant="Vodafone GmbH"))

    refused = alice_api.post(f"{URL}{job['id']}/revert/", {}, format="json")
    assert refused.status_code == 409
    assert refused.json()["edited"] == 2 and "changed or deleted since" in refused.json()["detail"]
    assert Transaction.objects.filter(user=alice).count() == 3

    forced = alice_api.post(f"{URL}{job['id']}/revert/", {"force": True}, format="json")
    assert forced.status_code == 200 and forced.json()["removed"] == 3
    assert ledger_state(alice) == before


def test_undo_brings_the_reverted_import_back(alice, alice_api, checking, django_capture_on_commit_callbacks):
    job = imported(alice_api, "camt053_v02_latin1.xml", django_capture_on_commit_callbacks, account=checking.pk)
    after_import = ledger_state(alice)
    alice_api.post(f"{URL}{job['id']}/revert/", {}, format="json")

    undone = alice_api.post("/api/v1/transactions/undo/")

    assert undone.status_code == 200, undone.content
    assert undone.json()["action"] == "revert" and undone.json()["transaction"] is None
    assert (undone.json()["import_job"], undone.json()["count"]) == (job["id"], 4)
    assert ledger_state(alice) == after_import
    assert ImportJob.objects.get(pk=job["id"]).reverted_at is None
    reimport = imported(alice_api, "camt053_v02_latin1.xml", django_capture_on_commit_callbacks, account=checking.pk)
    assert (reimport["created"], reimport["duplicates"]) == (0, 4)


def test_revert_access_cast(alice_api, bob_api, anon_api, staff_api, checking, django_capture_on_commit_callbacks):
    job = imported(alice_api, "dkb_de.csv", django_capture_on_commit_callbacks, account=checking.pk)

    assert bob_api.post(f"{URL}{job['id']}/revert/", {}, format="json").status_code == 404
    assert staff_api.post(f"{URL}{job['id']}/revert/", {}, format="json").status_code == 404
    assert anon_api.post(f"{URL}{job['id']}/revert/", {}, format="json").status_code in {401, 403}
    assert Transaction.objects.count() == 4


def test_revert_on_the_import_page(alice, alice_client, checking, django_capture_on_commit_callbacks):
    data = (FIXTURES / "dkb_de.csv").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post("/imports/", {"file": SimpleUploadedFile("dkb.csv", data), "account": checking.pk})
    job = ImportJob.objects.get()
    page = alice_client.get(f"/imports/{job.pk}/").content.decode()
    assert "Revert this import (remove the 4 transactions it created)" in page
    transaction_update(user=alice, transaction=Transaction.objects.first(), description="mine now")

    refused = alice_client.post(f"/imports/{job.pk}/revert/")
    assert refused.status_code == 409
    assert "1 of this import's transactions were changed" in refused.content.decode()
    assert 'name="force"' in refused.content.decode()

    done = alice_client.post(f"/imports/{job.pk}/revert/", {"force": "on"}, follow=True)
    assert "Removed the 4 transactions this import created" in done.content.decode()
    assert "was reverted" in done.content.decode()
    assert not Transaction.objects.filter(user=alice).exists()
    assert alice_client.post("/transactions/undo/", follow=True).status_code == 200
    assert Transaction.objects.filter(user=alice).count() == 4


def test_another_users_import_page_revert_is_404(alice, bob_client, checking):
    job = ImportJob.objects.create(user=alice, format="csv", filename="a.csv", status="done")
    assert bob_client.post(f"/imports/{job.pk}/revert/").status_code == 404


def test_confirmed_columns_are_remembered_and_reused(
    alice, alice_client, alice_api, django_capture_on_commit_callbacks
):
    data = (FIXTURES / "chase_checking.csv").read_bytes()
    answer = alice_client.post("/imports/", {"file": SimpleUploadedFile("Chase1234_Activity.CSV", data)})
    first = ImportJob.objects.get()
    assert answer.url == f"/imports/{first.pk}/columns/"  # all dates could be either order: it asks
    form = alice_client.get(answer.url).content.decode()
    assert "Are the dates day-first or month-first?" in form
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(
            answer.url, {"date": "1", "description": "2", "amount": "3", "direction": "4", "date_order": "mdy"}
        )
    assert Transaction.objects.filter(user=alice).count() == 6

    later = data.replace(b"01/0", b"02/0")  # next month's export: same columns, new rows
    with django_capture_on_commit_callbacks(execute=True):
        again = alice_client.post("/imports/", {"file": SimpleUploadedFile("Chase1234_Activity2.CSV", later)})
    second = ImportJob.objects.exclude(pk=first.pk).get()
    assert again.url == f"/imports/{second.pk}/"  # no question this time
    february = Transaction.objects.filter(user=alice, occurred_at__month=2)
    assert february.count() == 6
    assert set(february.values_list("description", flat=True)) >= {"STARBUCKS STORE 0413 NEW YORK NY"}

    mappings = alice_api.get("/api/v1/import-mappings/").json()
    listed = mappings["results"] if isinstance(mappings, dict) else mappings
    assert [entry["columns"] for entry in listed] == [{"date": 1, "description": 2, "amount": 3, "direction": 4}]
    assert "Chase" not in str(listed) and "Check or Slip #" in listed[0]["headers"]
    assert alice_api.delete(f"/api/v1/import-mappings/{listed[0]['id']}/").status_code == 204
    assert not CsvMapping.objects.exists()


def test_mappings_are_per_user(alice, bob_api):
    mapping = CsvMapping.objects.create(user=alice, signature="x", headers=["Date"], columns={"date": 0})
    assert bob_api.get(f"/api/v1/import-mappings/{mapping.pk}/").status_code == 404
    assert bob_api.delete(f"/api/v1/import-mappings/{mapping.pk}/").status_code == 404
    assert CsvMapping.objects.exists()
