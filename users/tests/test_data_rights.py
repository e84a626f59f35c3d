"""Your data is yours: the export (a zip of JSON and CSV, prepared by a job, expiring) and
"delete my account" (every personal row removed or anonymised; consent and erasure audit kept)."""

import csv
import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from conftest import PASSWORD, api_client_for
from users.exports import csv_cell
from users.models import ConsentEvent, DataExport, ErasureEvent, User
from users.personal_data import erased_tables
from users.tasks import export_expire

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","Click")'


def spend(api, **fields) -> dict:
    accounts = api.get("/api/v1/accounts/").json()["results"]
    account = accounts[0]["id"] if accounts else api.post("/api/v1/accounts/", {"name": "Checking"}).json()["id"]
    answer = api.post(
        "/api/v1/transactions/", {"account": account, "amount": "12.50", "merchant": "Corner Grocer", **fields}
    )
    assert answer.status_code == 201, answer.content
    return answer.json()


@pytest.fixture
def alice_with_data(alice, alice_api, bob_api):
    spend(alice_api, merchant=FORMULA, tags=["@work", "lunch"])
    spend(alice_api, merchant="Cafe Noir", description="-5 for the tip")
    assert alice_api.post("/api/v1/budgets/", {"category": "groceries", "amount": "300.00"}).status_code == 201
    rule = {"field": "merchant", "operator": "contains", "value": "noir", "category": "dining"}
    assert alice_api.post("/api/v1/categorization-rules/", rule).status_code == 201
    assert (
        alice_api.post("/api/v1/alert-rules/", {"name": "Groceries watch", "category": "groceries"}).status_code == 201
    )
    assert alice_api.post("/api/v1/consents/", {"scope": "benchmarking", "granted": True}).status_code == 201
    spend(bob_api, merchant="Bob's Secret Shop")
    return alice


def export_for(api, capture) -> dict:
    with capture(execute=True):
        queued = api.post("/api/v1/me/export/")
    assert queued.status_code == 202
    assert queued.json()["status"] in ("queued", "done")
    return api.get(f"/api/v1/me/export/{queued.json()['id']}/").json()


def test_the_export_holds_everything_alice_has_and_nothing_of_bobs(
    alice_with_data, alice_api, django_capture_on_commit_callbacks
):
    export = export_for(alice_api, django_capture_on_commit_callbacks)
    assert export["status"] == "done" and export["progress"] == 100
    assert export["download_url"].endswith(f"/api/v1/me/export/{export['id']}/download/")
    download = alice_api.get(export["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert "no-store" in download["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(download.content))

    everything = json.loads(archive.read("spendwise.json"))
    assert everything["profile"]["email"] == "alice@example.com"
    assert {t["merchant"] for t in everything["transactions"]} == {FORMULA, "Cafe Noir"}
    assert sorted(everything["transactions"][0]["tags"]) == ["@work", "lunch"]
    assert everything["transactions"][0]["amount"] == "12.50"
    assert [b["amount"] for b in everything["budgets"]] == ["300.00"]
    assert [r["value"] for r in everything["categorization rules"]] == ["noir"]
    assert [r["name"] for r in everything["alert rules"]] == ["Groceries watch"]
    assert {c["scope"] for c in everything["consent events"]} == {"data_processing", "benchmarking"}
    assert "login events" in everything and "notifications" in everything and "accounts" in everything
    raw = b"".join(archive.read(name) for name in archive.namelist())
    assert b"Bob's Secret Shop" not in raw
    assert User.objects.get(pk=alice_with_data.pk).password.encode() not in raw

    rows = list(csv.DictReader(io.StringIO(archive.read("csv/transactions.csv").decode())))
    assert {row["merchant"] for row in rows} == {"'" + FORMULA, "Cafe Noir"}
    assert {row["description"] for row in rows} >= {"'-5 for the tip"}


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=1+2", "'=1+2"), ("+31 6 1234", "'+31 6 1234"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"),
     ("\t=1", "'\t=1"), ("Corner Grocer", "Corner Grocer"), (None, ""), (["@a", "b"], '["@a", "b"]')],
)  # fmt: skip
def test_csv_cells_that_a_spreadsheet_would_run_are_escaped(value, cell):
    assert csv_cell(value) == cell


def test_the_download_link_expires(alice_with_data, alice_api, django_capture_on_commit_callbacks):
    export = export_for(alice_api, django_capture_on_commit_callbacks)
    with freeze_time(timezone.now() + timedelta(hours=settings.DATA_EXPORT_HOURS, minutes=1)):
        alice_next_day = api_client_for(alice_with_data)
        assert alice_next_day.get(export["download_url"]).status_code == 410
        assert alice_next_day.get(f"/api/v1/me/export/{export['id']}/").json()["download_url"] is None


def test_another_persons_export_is_a_404_and_anonymous_a_401(
    alice_with_data, alice_api, bob_api, anon_api, staff_api, django_capture_on_commit_callbacks
):
    export = export_for(alice_api, django_capture_on_commit_callbacks)
    for intruder in (bob_api, staff_api):
        assert intruder.get(f"/api/v1/me/export/{export['id']}/").status_code == 404
        assert intruder.get(export["download_url"]).status_code == 404
    assert anon_api.get(export["download_url"]).status_code == 401
    assert anon_api.post("/api/v1/me/export/").status_code == 401


def test_a_failing_export_ends_failed_with_a_message(alice, alice_api, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr("users.exports._archive", lambda export: 1 / 0)
    export = export_for(alice_api, django_capture_on_commit_callbacks)
    assert export["status"] == "failed" and export["message"] and export["download_url"] is None


def personal_row_counts(user_id: int) -> dict[str, int]:
    return {
        table.label: table.model._base_manager.filter(**{f"{table.field}_id": user_id}).count()
        for table in erased_tables()
    }


def test_deleting_my_account_removes_every_personal_row_and_keeps_the_audit(
    alice_with_data, alice_api, bob, bob_api, django_capture_on_commit_callbacks
):
    alice_id = alice_with_data.pk
    consents = ConsentEvent.objects.filter(user_id=alice_id).count()
    bob_before = personal_row_counts(bob.pk)
    assert sum(personal_row_counts(alice_id).values()) > 5

    wrong = alice_api.delete("/api/v1/me/", {"password": "not-my-password"})
    assert wrong.status_code == 400 and list(wrong.json()) == ["password"]
    assert alice_api.delete("/api/v1/me/", {}).status_code == 400
    assert User.objects.get(pk=alice_id).is_active

    with django_capture_on_commit_callbacks(execute=True):
        assert alice_api.delete("/api/v1/me/", {"password": PASSWORD}).status_code == 204

    assert personal_row_counts(alice_id) == {label: 0 for label in personal_row_counts(alice_id)}
    erased = User.objects.get(pk=alice_id)
    assert erased.email != "alice@example.com" and not erased.is_active and not erased.has_usable_password()
    assert erased.display_name == ""
    assert ConsentEvent.objects.filter(user_id=alice_id).count() == consents
    assert not ConsentEvent.objects.filter(user_id=alice_id, ip__isnull=False).exists()
    assert ErasureEvent.objects.get(user_id=alice_id).confirmed_with == "password"
    assert personal_row_counts(bob.pk) == bob_before
    # nothing to come back to: the old token, the password and undo all fail
    assert alice_api.get("/api/v1/me/").status_code == 401
    assert alice_api.post("/api/v1/transactions/undo/").status_code == 401
    login = api_client_for(None).post("/api/v1/auth/token/", {"email": "alice@example.com", "password": PASSWORD})
    assert login.status_code == 401


def test_deleting_with_an_emailed_code(alice, alice_api, anon_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        anon_api.post("/api/v1/auth/otp/request/", {"email": alice.email})
    code = mail.outbox[-1].subject.rsplit(" ", 1)[-1]
    assert alice_api.delete("/api/v1/me/", {"code": "000000" if code != "000000" else "111111"}).status_code == 400
    assert alice_api.delete("/api/v1/me/", {"code": code}).status_code == 204
    assert ErasureEvent.objects.get(user=alice).confirmed_with == "code"


def test_the_page_prepares_an_export_and_deletes_only_when_confirmed(
    alice_with_data, alice_client, anon_client, django_capture_on_commit_callbacks
):
    page = alice_client.get("/settings/data/")
    assert page.status_code == 200
    assert "Delete my account" in page.content.decode()
    assert anon_client.get("/settings/data/").status_code == 302

    with django_capture_on_commit_callbacks(execute=True):
        assert alice_client.post("/settings/data/", {"action": "export"}).status_code == 302
    export = DataExport.objects.get(user=alice_with_data)
    page = alice_client.get("/settings/data/").content.decode()
    assert 'role="status"' in page and "Ready" in page
    download = alice_client.get(f"/settings/data/exports/{export.pk}/download/")
    assert download.status_code == 200 and download.content.startswith(b"PK")

    unconfirmed = alice_client.post("/settings/data/", {"action": "erase", "password": PASSWORD})
    assert unconfirmed.status_code == 400
    assert User.objects.get(pk=alice_with_data.pk).is_active

    with django_capture_on_commit_callbacks(execute=True):
        gone = alice_client.post("/settings/data/", {"action": "erase", "password": PASSWORD, "confirm": "on"})
    assert gone.status_code == 302 and gone["Location"] == "/"
    assert not User.objects.get(pk=alice_with_data.pk).is_active
    assert alice_client.get("/settings/data/").status_code == 302  # logged out


def test_expired_archives_are_dropped_by_the_hourly_job(alice_with_data, alice_api, django_capture_on_commit_callbacks):
    export = export_for(alice_api, django_capture_on_commit_callbacks)
    assert export_expire() == 0
    with freeze_time(timezone.now() + timedelta(hours=settings.DATA_EXPORT_HOURS, minutes=1)):
        assert export_expire.delay().get() == 1
    stored = DataExport.objects.get(pk=export["id"])
    assert stored.status == "expired" and stored.archive is None
