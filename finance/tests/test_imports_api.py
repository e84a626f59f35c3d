"""/api/v1/imports/: each bank file, re-import, bad rows, limits, progress and the access cast."""

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from django.utils import timezone

from finance.models import Account, CreditLiability, MonthlyCategoryTotal, OutboxEvent, Transaction
from finance.services import account_create, monthly_totals_rebuild

FIXTURES = Path(__file__).parent / "fixtures" / "imports"
URL = "/api/v1/imports/"


def upload(client, name: str, *, content: bytes | None = None, **fields):
    data = content if content is not None else (FIXTURES / name).read_bytes()
    return client.post(URL, {"file": SimpleUploadedFile(name, data), **fields}, format="multipart")


@pytest.fixture
def checking(alice):
    return account_create(user=alice, name="Checking", currency="USD")


def run(client, name, django_capture_on_commit_callbacks, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        answer = upload(client, name, **fields)
    assert answer.status_code == 202, answer.content
    return client.get(f"{URL}{answer.json()['id']}/").json()


@pytest.mark.parametrize(
    ("name", "created", "spent", "earned"),
    [
        ("us_bank_debit_credit.csv", 4, "86.18", "2500.00"),
        ("german_bank_cp1252.csv", 3, "1324.46", "3456.78"),
        ("uk_bank_bom.csv", 3, "53.45", "1800.00"),
        ("export_utf16.csv", 3, "16.80", "19.99"),
    ],
)
def test_each_bank_csv_is_imported(
    alice_api, checking, django_capture_on_commit_callbacks, name, created, spent, earned
):
    job = run(alice_api, name, django_capture_on_commit_callbacks, account=checking.pk)

    assert job["status"] == "done", job
    assert (job["created"], job["duplicates"], job["errors"]) == (created, 0, [])
    assert job["total"] == job["processed"] == created
    rows = Transaction.objects.filter(user=checking.user, account=checking)
    assert rows.count() == created
    assert rows.filter(kind="expense").aggregate(s=Sum("amount"))["s"] == Decimal(spent)
    assert rows.filter(kind="income").aggregate(s=Sum("amount"))["s"] == Decimal(earned)
    assert set(rows.values_list("source", flat=True)) == {"import"}


def test_german_dates_are_day_first_and_umlauts_survive(alice_api, checking, django_capture_on_commit_callbacks):
    run(alice_api, "german_bank_cp1252.csv", django_capture_on_commit_callbacks, account=checking.pk)

    train = Transaction.objects.get(merchant="Deutsche Bahn")
    assert "München" in train.description
    assert (train.occurred_at.month, train.occurred_at.day) in {(1, 20), (1, 19)}  # 20.01. in Berlin


def test_reimport_creates_nothing_and_says_so(alice_api, checking, django_capture_on_commit_callbacks):
    first = run(alice_api, "us_bank_debit_credit.csv", django_capture_on_commit_callbacks, account=checking.pk)
    second = run(alice_api, "us_bank_debit_credit.csv", django_capture_on_commit_callbacks, account=checking.pk)

    assert first["created"] == 4  # two identical Netflix rows are both kept (occurrence index)
    assert (second["status"], second["created"], second["duplicates"]) == ("done", 0, 4)
    assert "4 were already there" in second["message"]
    assert Transaction.objects.filter(account=checking).count() == 4


@pytest.mark.parametrize(
    ("name", "accounts", "created"),
    [
        ("checking_ofx102.ofx", 1, 3),
        ("creditcard_ofx22.ofx", 1, 3),
        ("quicken_export.qfx", 1, 3),
        ("multi_account.ofx", 2, 6),
    ],
)
def test_ofx_statements(alice_api, django_capture_on_commit_callbacks, name, accounts, created):
    job = run(alice_api, name, django_capture_on_commit_callbacks)
    again = run(alice_api, name, django_capture_on_commit_callbacks)

    assert (job["status"], job["created"]) == ("done", created), job
    assert (again["created"], again["duplicates"]) == (0, created)
    # The statement's accounts, besides the default account alice started with.
    assert Account.objects.filter(user__email="alice@example.com", is_default=False).count() == accounts


def test_ofx_credit_card_currency_and_balance(alice_api, django_capture_on_commit_callbacks):
    run(alice_api, "creditcard_ofx22.ofx", django_capture_on_commit_callbacks)

    card = Account.objects.get(external_id="4111XXXXXXXX1111")
    assert (card.kind, card.currency, card.balance) == ("credit", "EUR", Decimal("431.90"))
    assert set(Transaction.objects.filter(account=card).values_list("currency", flat=True)) == {"EUR"}
    payment = Transaction.objects.get(account=card, amount=Decimal("300.00"))
    assert payment.kind == "income"


def test_malformed_ofx_fails_with_a_readable_message(alice_api, django_capture_on_commit_callbacks):
    job = run(alice_api, "malformed.ofx", django_capture_on_commit_callbacks)

    assert job["status"] == "failed"
    assert "could not be read" in job["message"]
    assert "Traceback" not in job["message"]
    assert Transaction.objects.count() == 0


def test_spendsense_json(alice_api, django_capture_on_commit_callbacks):
    job = run(alice_api, "spendsense.json", django_capture_on_commit_callbacks)

    assert (job["status"], job["created"]) == ("done", 4), job
    card = Account.objects.get(external_id="ss-acc-cc")
    assert (card.kind, card.credit_limit, card.balance) == ("credit", Decimal("5000.00"), Decimal("812.40"))
    liability = CreditLiability.objects.get(account=card)
    assert liability.apr_percent == Decimal("24.990") and liability.is_overdue
    assert liability.minimum_payment == Decimal("35.00")
    rent = Transaction.objects.get(external_id__endswith="tx-1")
    assert (rent.kind, rent.amount) == ("expense", Decimal("1250.00"))


def test_bad_rows_are_all_reported_and_nothing_is_imported(alice_api, checking, django_capture_on_commit_callbacks):
    job = run(alice_api, "bad_rows.csv", django_capture_on_commit_callbacks, account=checking.pk)

    assert job["status"] == "failed"
    assert [error["row"] for error in job["errors"]] == [3, 4, 6]
    assert all(error["message"] for error in job["errors"])
    assert "nothing was imported" in job["message"]
    assert Transaction.objects.count() == 0


def test_skip_invalid_imports_the_good_rows(alice_api, checking, django_capture_on_commit_callbacks):
    job = run(alice_api, "bad_rows.csv", django_capture_on_commit_callbacks, account=checking.pk, skip_invalid="true")

    assert (job["status"], job["created"], len(job["errors"])) == ("done", 2, 3)
    assert Transaction.objects.count() == 2


def test_too_large_is_413(alice_api, settings):
    settings.IMPORT_MAX_BYTES = 10
    assert upload(alice_api, "us_bank_debit_credit.csv").status_code == 413


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n\x00\x00binary", b""])
def test_unknown_format_is_415(alice_api, content):
    assert upload(alice_api, "picture.png", content=content + b"x").status_code == 415


def test_format_that_does_not_match_is_415(alice_api):
    assert upload(alice_api, "us_bank_debit_credit.csv", format="xlsx").status_code == 415


def test_missing_file_is_400_naming_it(alice_api):
    answer = alice_api.post(URL, {}, format="multipart")
    assert answer.status_code == 400 and "file" in answer.json()


def test_another_users_account_is_400(alice_api, bob):
    theirs = account_create(user=bob, name="Bob's")
    answer = upload(alice_api, "us_bank_debit_credit.csv", account=theirs.pk)
    assert answer.status_code == 400 and "account" in answer.json()


def test_aggregates_are_exact_after_a_bulk_import(alice, alice_api, checking, django_capture_on_commit_callbacks):
    run(alice_api, "us_bank_debit_credit.csv", django_capture_on_commit_callbacks, account=checking.pk)
    run(alice_api, "uk_bank_bom.csv", django_capture_on_commit_callbacks, account=checking.pk)
    kept = set(
        MonthlyCategoryTotal.objects.filter(user=alice).values_list("month", "category", "kind", "total", "count")
    )

    monthly_totals_rebuild(user_ids=[alice.pk])

    rebuilt = set(
        MonthlyCategoryTotal.objects.filter(user=alice).values_list("month", "category", "kind", "total", "count")
    )
    assert kept == {row for row in rebuilt if row[4]}
    assert checking.__class__.objects.get(pk=checking.pk).balance == Decimal("2500.00") - Decimal("86.18") + Decimal(
        "1800.00"
    ) - Decimal("53.45")


def test_one_outbox_event_per_import(alice_api, checking, django_capture_on_commit_callbacks):
    run(alice_api, "us_bank_debit_credit.csv", django_capture_on_commit_callbacks, account=checking.pk)

    events = OutboxEvent.objects.filter(topic="transaction.changed")
    assert events.count() == 1
    payload = events.get().payload
    assert payload["action"] == "import" and payload["months"] == ["2025-01"]
    assert len(payload["transaction_ids"]) == 4 and payload["categories"]


def test_list_and_detail_access_cast(
    alice_api, bob_api, staff_api, anon_api, checking, django_capture_on_commit_callbacks
):
    job = run(alice_api, "us_bank_debit_credit.csv", django_capture_on_commit_callbacks, account=checking.pk)
    detail = f"{URL}{job['id']}/"

    assert [item["id"] for item in alice_api.get(URL).json()["results"]] == [job["id"]]
    assert set(job) >= {"id", "status", "total", "processed", "created", "duplicates", "errors"}
    assert bob_api.get(detail).status_code == 404
    assert bob_api.get(URL).json()["results"] == []
    assert staff_api.get(detail).status_code == 404
    assert anon_api.get(detail).status_code == 401
    assert anon_api.post(URL, {}).status_code == 401


def test_import_task_runs_on_the_imports_queue():
    from finance.tasks import import_run

    assert import_run.queue == "imports" and import_run.acks_late


def test_one_outbox_event_per_batch(alice_api, checking, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr("finance.imports.pipeline.BATCH_SIZE", 2)
    job = run(alice_api, "us_bank_debit_credit.csv", django_capture_on_commit_callbacks, account=checking.pk)

    assert job["created"] == 4
    events = OutboxEvent.objects.filter(topic="transaction.changed").order_by("id")
    assert [len(event.payload["transaction_ids"]) for event in events] == [2, 2]


def test_running_a_finished_job_again_changes_nothing(alice_api, checking, django_capture_on_commit_callbacks):
    from finance.tasks import import_run

    job = run(alice_api, "checking_ofx102.ofx", django_capture_on_commit_callbacks, account=checking.pk)
    import_run.delay(job["id"])

    assert alice_api.get(f"{URL}{job['id']}/").json()["created"] == 3
    assert Transaction.objects.count() == 3


def test_a_job_interrupted_midway_resumes_without_doubles(alice, checking, django_capture_on_commit_callbacks):
    from finance.imports.pipeline import import_job_create, import_job_run, import_jobs_recover
    from finance.models import ImportJob

    content = (FIXTURES / "uk_bank_bom.csv").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        import_job_create(user=alice, content=content, filename="uk.csv", account=checking)
    job = ImportJob.objects.create(user=alice, account=checking, format="csv", filename="uk.csv", content=content)
    # As if its worker saved every row and died: held, with a heartbeat from before the lease.
    lost_at = timezone.now() - timedelta(seconds=settings.IMPORT_LEASE_SECONDS + 1)
    ImportJob.objects.filter(pk=job.pk).update(status="running", attempts=1, heartbeat_at=lost_at)

    import_job_run(job_id=job.pk)  # the task redelivered: the job is held, so it is left alone
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("running", 1)

    with django_capture_on_commit_callbacks(execute=True):
        assert import_jobs_recover() == 1

    job.refresh_from_db()
    assert (job.status, job.created, job.duplicates, job.attempts) == ("done", 0, 3, 2)


def test_a_job_whose_worker_is_alive_is_not_recovered(alice, checking, django_capture_on_commit_callbacks):
    from finance.imports.pipeline import import_jobs_recover
    from finance.models import ImportJob

    job = ImportJob.objects.create(user=alice, account=checking, format="csv", filename="uk.csv", content=b"")
    ImportJob.objects.filter(pk=job.pk).update(status="running", attempts=1, heartbeat_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert import_jobs_recover() == 0
    job.refresh_from_db()
    assert job.status == "running"


def test_a_fitid_repeated_inside_one_file_is_one_transaction(alice_api, django_capture_on_commit_callbacks):
    text = (FIXTURES / "checking_ofx102.ofx").read_text().replace("<FITID>2025012003", "<FITID>2025010301")
    with django_capture_on_commit_callbacks(execute=True):
        answer = upload(alice_api, "repeat.ofx", content=text.encode())
    job = alice_api.get(f"{URL}{answer.json()['id']}/").json()

    assert (job["status"], job["created"], job["duplicates"]) == ("done", 2, 1)
    assert Transaction.objects.count() == 2


def test_texts_with_tabs_newlines_and_backslashes_are_stored_exactly(
    alice_api, checking, django_capture_on_commit_callbacks
):
    texts = ["CAFE\tCENTRAL", "LINE ONE\nLINE TWO", "C:\\PAYROLL\\DEC", "\\N", "CR\rLF"]
    lines = ["Date,Description,Amount", *(f'2025-01-0{n + 1},"{text}",-{n + 1}.50' for n, text in enumerate(texts))]
    content = "\r\n".join(lines).encode()

    first = run(alice_api, "odd.csv", django_capture_on_commit_callbacks, account=checking.pk, content=content)
    again = run(alice_api, "odd.csv", django_capture_on_commit_callbacks, account=checking.pk, content=content)

    assert (first["status"], first["created"]) == ("done", 5), first
    stored = Transaction.objects.filter(account=checking).order_by("occurred_at").values_list("description", flat=True)
    assert list(stored) == texts
    assert (again["created"], again["duplicates"]) == (0, 5)


def test_a_json_import_nested_100000_deep_fails_with_a_message(alice_api, django_capture_on_commit_callbacks):
    hostile = b'{"accounts": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    job = run(alice_api, "deep.json", django_capture_on_commit_callbacks, content=hostile)

    assert job["status"] == "failed"
    assert job["message"] == "This JSON file is nested more than 32 levels deep; a data set needs far fewer."
    assert Transaction.objects.count() == 0
