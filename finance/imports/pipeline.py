"""The import job: parse -> check every row -> report bad rows -> write (services for ImportJob).

Every format goes through here. A parser (finance.imports.formats) turns the file into the
accounts it speaks about and one ParsedRow (or RowProblem) per transaction. Phase 1 streams
those rows once: each is checked, categorised (each distinct text once) and staged. With bad
rows and no `skip_invalid`, nothing is written and every bad row is reported. Phase 2 writes
the staged rows batch by batch (finance.services.bulk): duplicates skipped, one outbox event
per batch, progress saved after each.

A worker holds a job by a lease: every step of progress renews `heartbeat_at`. A job whose lease
ran out (its worker was killed, or ran out of memory) is queued again by `import_jobs_recover`
and run from the start, the rows already written counting as duplicates, never twice; after
IMPORT_MAX_ATTEMPTS starts it ends failed, saying what was saved.
"""

import csv
import hashlib
import io
import logging
import zoneinfo
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import islice

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from finance.categorization import amount_band
from finance.imports.csv_parser import CsvLayout, csv_inspect, csv_rows, header_signature
from finance.imports.detect import FORMAT_NAMES, SNIFF_BYTES, detect_format, open_text
from finance.imports.formats import STATEMENT_PARSERS
from finance.imports.json_ingest import JsonDataSet
from finance.imports.records import ImportFileError, ParsedRow, RowProblem, StatementAccount
from finance.models import (
    Account,
    Category,
    CategorySource,
    CsvMapping,
    ImportJob,
    ImportStatus,
    TransactionSource,
)  # fmt: skip
from finance.services import account_create, categorizer_for
from finance.services.accounts import account_default_create, account_liability_set, accounts_reported_balance_set
from finance.services.bulk import BATCH_SIZE, TransactionStaging
from finance.services.validation import currency_clean, money_clean, text_fit, user_account
from users.models import ConsentScope
from users.selectors import consent_is_granted
from users.services import DATA_PROCESSING_OFF, data_processing_require

logger = logging.getLogger(__name__)

STAGE_CHUNK = 10_000
MAX_REPORTED_ERRORS = 1000
SERVER_TROUBLE = "The import stopped because of a problem on our side; nothing was lost. Please try again later."


class FileTooLargeError(Exception):
    """Over settings.IMPORT_MAX_BYTES (HTTP 413)."""


class UnsupportedFormatError(Exception):
    """Not a format Spendwise reads, or not the format the person said it is (HTTP 415)."""


def upload_size_check(size: int | None) -> None:
    """Call before reading an upload, so an oversized one is refused without loading it."""
    if size is not None and size > settings.IMPORT_MAX_BYTES:
        raise FileTooLargeError(f"The file is larger than {settings.IMPORT_MAX_BYTES / (1024 * 1024):g} MB.")


def import_job_create(
    *, user, content: bytes, filename: str, format: str = "", account=None, skip_invalid: bool = False,
    column_mapping: dict | None = None, queue: bool = True,
) -> ImportJob:  # fmt: skip
    """Check the upload, record the job and queue it (on commit) on the `imports` queue.
    With queue=False the job waits for its CSV columns to be chosen (import_job_columns_set)."""
    data_processing_require(user=user)
    upload_size_check(len(content))
    detected = format_check(chosen=format, detected=detect_format(filename=filename, head=content[:SNIFF_BYTES]))
    if account is not None:
        account = user_account(user=user, value=account)
    with transaction.atomic():
        job = ImportJob.objects.create(
            user=user, account=account, format=detected, filename=filename[:255], content=content,
            skip_invalid=skip_invalid, column_mapping=column_mapping or {},
        )  # fmt: skip
        if queue:
            transaction.on_commit(lambda: _queue(job.pk))
    return job


def format_check(*, chosen: str, detected: str | None) -> str:
    """The detected format, or why the file cannot be imported as it is."""
    readable = ", ".join(FORMAT_NAMES.values())
    if chosen and chosen not in FORMAT_NAMES:
        raise UnsupportedFormatError(f"'{chosen[:20]}' is not a format Spendwise reads ({', '.join(FORMAT_NAMES)}).")
    if detected is None:
        raise UnsupportedFormatError(f"This file is none of the formats Spendwise reads: {readable}.")
    if chosen and chosen != detected:
        raise UnsupportedFormatError(
            f"You chose {FORMAT_NAMES[chosen]}, but this file is {FORMAT_NAMES[detected]}. "
            "Choose that format, or leave the format out to have it recognised."
        )
    return detected


def import_job_queue(*, user, job: ImportJob) -> None:
    """Queue a job that was created waiting (queue=False), as detected."""
    if ImportJob.objects.filter(pk=job.pk, user=user, status=ImportStatus.QUEUED).exists():
        transaction.on_commit(lambda: _queue(job.pk))


def import_job_columns_set(*, user, job: ImportJob, columns: dict[str, int], date_order: str, decimal_comma: bool):
    """Record the CSV columns a person chose, remember them for the file's header layout, queue the job."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk, user=user, status=ImportStatus.QUEUED)
        job.column_mapping = {"columns": columns, "date_order": date_order, "decimal_comma": decimal_comma}
        job.save(update_fields=["column_mapping"])
        with _source(job) as stream:
            headers = csv_inspect(open_text(stream)).headers
        CsvMapping.objects.update_or_create(
            user=user, signature=header_signature(headers),
            defaults={"headers": headers, "columns": columns, "date_order": date_order, "decimal_comma": decimal_comma},
        )  # fmt: skip
        transaction.on_commit(lambda: _queue(job.pk))
    return job


def csv_mapping_forget(*, user, mapping_id: int) -> bool:
    """Forget remembered CSV columns; the next file with that header row is guessed (and asked) again."""
    deleted, _ = CsvMapping.objects.filter(pk=mapping_id, user=user).delete()
    return bool(deleted)


def _queue(job_id: int) -> None:
    from finance.tasks import import_run

    import_run.delay(job_id)


def import_job_run(*, job_id: int) -> ImportJob:
    """Run one queued job to its end. A job another worker holds is left to it (a redelivered task);
    one it lost is queued again by import_jobs_recover. Rows already written count as duplicates."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=now, heartbeat_at=now, attempts=F("attempts") + 1,
        processed=0, errors=[], message="Reading the file…",
    )  # fmt: skip
    job = ImportJob.objects.select_related("user", "account").get(pk=job_id)
    if not claimed:
        return job
    job.total = job.processed = job.created = job.duplicates = 0
    try:
        _run(job)
    except ImportFileError as exc:
        _finish(job, ImportStatus.FAILED, str(exc))
    except Exception:
        logger.exception("import job %s failed", job_id)
        _finish(job, ImportStatus.FAILED, SERVER_TROUBLE)
    return job


def _finish(job: ImportJob, status: str, message: str) -> None:
    job.status, job.message, job.finished_at = status, message, timezone.now()
    job.save(
        update_fields=["status", "message", "finished_at", "total", "processed", "created", "duplicates", "errors"]
    )


def _source(job: ImportJob) -> io.BytesIO | io.BufferedReader:
    return open(job.file_path, "rb") if job.file_path else io.BytesIO(bytes(job.content or b""))


def csv_layout_for(job: ImportJob) -> CsvLayout:
    """The CSV's layout as chosen on the Import page for this file, else as the person last confirmed it
    for files with this header row, else as guessed."""
    with _source(job) as stream:
        layout = csv_inspect(open_text(stream))
    choice = job.column_mapping
    if not choice and not job.file_path:
        remembered = CsvMapping.objects.filter(user_id=job.user_id, signature=header_signature(layout.headers)).first()
        if remembered is not None:
            choice = {"columns": remembered.columns, "date_order": remembered.date_order}
            choice["decimal_comma"] = remembered.decimal_comma
    if choice:
        layout = layout.with_choices(
            columns={role: int(index) for role, index in choice.get("columns", {}).items()},
            date_order=choice.get("date_order", layout.date_order),
            decimal_comma=bool(choice.get("decimal_comma", layout.decimal_comma)),
        )
    return layout


def _run(job: ImportJob) -> None:
    if not consent_is_granted(user=job.user, scope=ConsentScope.DATA_PROCESSING):  # revoked while it was queued
        raise ImportFileError(DATA_PROCESSING_OFF)
    with _source(job) as stream:
        accounts, rows = _parse(job, stream)
        account_map, new_accounts = _accounts_resolve(job, accounts)
        source = TransactionSource.INGEST if job.file_path else TransactionSource.IMPORT
        with TransactionStaging(user=job.user, source=source, import_job_id=job.pk) as staging:
            bad = _stage(job, rows, account_map, staging)
            if bad and not job.skip_invalid:
                more = f" (the first {len(job.errors)} are listed)" if bad > len(job.errors) else ""
                raise ImportFileError(
                    f"{bad} rows have problems{more}; nothing was imported. "
                    "Correct them, or import again skipping the bad rows."
                )
            staging.number_repeats()
            for result in staging.write(batch_size=BATCH_SIZE):
                job.created += result.created
                job.duplicates += result.duplicates
                job.processed += result.created + result.duplicates
                _progress(job, "Saving…")
    accounts_reported_balance_set(balances=new_accounts)
    skipped = f" {bad} bad rows were skipped." if bad else ""
    message = f"Imported {job.created} new transactions; {job.duplicates} were already there.{skipped}"
    _finish(job, ImportStatus.DONE, message)


def _parse(job: ImportJob, stream):
    if job.format == "csv":
        layout = csv_layout_for(job)
        return [], csv_rows(open_text(stream), layout)
    if job.format in STATEMENT_PARSERS:
        statement = STATEMENT_PARSERS[job.format](stream)
        return statement.accounts(), statement.rows()
    data_set = JsonDataSet(stream)
    owner = job.column_mapping.get("owner")
    if owner is None and len(data_set.owners()) > 1:
        raise ImportFileError("This file holds several people's data; operators load it with `manage.py ingest_json`.")
    return data_set.accounts(), data_set.rows(owner=owner)


def _progress(job: ImportJob, message: str) -> None:
    fields = {"total": job.total, "processed": job.processed, "created": job.created}
    fields.update(duplicates=job.duplicates, errors=job.errors, message=message, heartbeat_at=timezone.now())
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def import_jobs_recover() -> int:
    """Running jobs whose lease ran out: queued again, or failed after IMPORT_MAX_ATTEMPTS starts.
    The number of jobs recovered either way."""
    silent_since = timezone.now() - timedelta(seconds=settings.IMPORT_LEASE_SECONDS)
    lost = ImportJob.objects.filter(
        Q(heartbeat_at__lt=silent_since) | Q(heartbeat_at__isnull=True),  # null: started before leases
        status=ImportStatus.RUNNING,
    )
    recovered = 0
    for job_id, attempts, created in lost.values_list("id", "attempts", "created"):
        this_one = lost.filter(pk=job_id)  # still lost: not renewed or finished since the query
        if attempts >= settings.IMPORT_MAX_ATTEMPTS:
            recovered += this_one.update(
                status=ImportStatus.FAILED, finished_at=timezone.now(), message=_given_up(attempts, created)
            )
        elif this_one.update(status=ImportStatus.QUEUED, message="Interrupted; it will start again shortly."):
            recovered += 1
            transaction.on_commit(lambda job_id=job_id: _queue(job_id))
    return recovered


def _given_up(attempts: int, created: int) -> str:
    times = "once" if attempts == 1 else f"{attempts} times"
    return (
        f"The import stopped {times} before it finished (the server processing it was lost, as when a "
        f"file needs more memory than it has), so it will not be tried again. {created} transactions were saved; "
        "importing the same file again adds only the rest."
    )


def _accounts_resolve(job: ImportJob, found: list[StatementAccount]) -> tuple[dict[str, Account], list]:
    """The file's accounts as the user's: the chosen one for a single-account file, else matched by the
    bank's id, else created. Returns (key -> account, [(new account, reported balance)])."""
    user = job.user
    if not found:
        return {"": job.account or _default_account(user)}, []
    owner = job.column_mapping.get("owner")
    found = [entry for entry in found if owner is None or entry.owner == owner]
    if job.account is not None and len(found) == 1:
        return {found[0].key: job.account}, []
    mapping, new = {}, []
    for entry in found:
        account = Account.objects.filter(user=user, external_id=entry.key[:100]).first()
        if account is None:
            account = _account_create(user, entry)
            new.append((account, entry.balance))
        if entry.liability:
            _liability_set(account, entry.liability)
        mapping[entry.key] = account
    return mapping, new


def _default_account(user) -> Account:
    """Rows of a file that names no account go to the person's default account, as a transaction does."""
    return account_default_create(user=user)


def _account_create(user, entry: StatementAccount) -> Account:
    try:
        return account_create(
            user=user, name=entry.name or entry.key, kind=entry.kind, currency=entry.currency or user.currency,
            credit_limit=entry.credit_limit, external_id=entry.key[:100],
        )  # fmt: skip
    except ValidationError as exc:
        raise ImportFileError(f"Account {entry.key[:40]} cannot be created: {' '.join(exc.messages)}") from None


def _liability_set(account: Account, facts: dict) -> None:
    account_liability_set(
        account=account, facts={**facts, "next_payment_due": _iso_date(facts.get("next_payment_due"))}
    )


def _iso_date(value) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


class RowChecker:
    """Turns parsed rows into staged tuples: checked, categorised (each distinct text once), keyed."""

    def __init__(self, *, user, account_map: dict[str, Account]):
        self.accounts = {key: (account.pk, account.currency) for key, account in account_map.items()}
        self.zone = zoneinfo.ZoneInfo(user.timezone)
        self.categorizer = categorizer_for(user=user)
        self.decisions: dict[tuple, tuple] = {}
        self.moments: dict = {}
        self.amounts: dict[tuple, str] = {}
        self.currencies: dict[str, str] = {}
        self.user = user
        self.category_names: dict[str, int] | None = None  # read when a file first names a category

    def stage(self, row: ParsedRow) -> tuple:
        """The row as bulk.STAGED values, already as text (COPY's format; SQLite takes it too)."""
        account = self.accounts.get(row.account_key) or self.accounts.get("")
        if account is None:
            raise ValidationError(f"Unknown account '{row.account_key[:40]}'.")
        account_id = account[0]
        currency = self._currency(row.currency or account[1])
        amount = self._amount(row.amount, currency)
        when = self._moment(row.occurred_at)
        description, merchant = text_fit(row.description, field="description"), text_fit(row.merchant, field="merchant")
        category, tag = self._category(merchant, description, row.kind, amount), None
        if row.category_name:
            category, tag = self._named_category(row.category_name, category)
        if row.external_key:
            external_id, fingerprint = _external_id(account_id, row.external_key), None
        else:
            sign = "" if row.kind == "income" else "-"
            text = f"{account_id}|{when}|{sign}{amount}|{description}|{merchant}"
            fingerprint = "csv:" + hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
            external_id = fingerprint + ":1"
        date_only = not isinstance(row.occurred_at, datetime)
        return (row.row, account_id, when, amount, row.kind, currency, merchant, description, *category,
                external_id, fingerprint, tag, date_only)  # fmt: skip

    def _named_category(self, name: str, guessed: tuple) -> tuple[tuple, str | None]:
        """The user's (or a system) category the file names ("Food:Groceries" matches Groceries, then Food),
        chosen as the person chose it in their old tool; else the guess, with the name kept as a tag."""
        if self.category_names is None:
            rows = Category.objects.filter(Q(user=self.user) | Q(user__isnull=True)).values_list("name", "pk", "user")
            # The user's own category wins over a system one of the same name.
            self.category_names = {name.casefold(): pk for name, pk, owner in sorted(rows, key=lambda r: r[2] or 0)}
        parts = [part.strip() for part in name.split(":") if part.strip()]
        for candidate in (name.strip(), *reversed(parts)):
            found = self.category_names.get(candidate.casefold())
            if found is not None:
                return (found, CategorySource.MANUAL, 1.0), None
        return guessed, name.strip()[:40] or None

    def _amount(self, value: Decimal, currency: str) -> str:
        """The checked amount as text; keyed by text because hashing a Decimal is slow."""
        key = (str(value), currency)
        found = self.amounts.get(key)
        if found is None:
            found = str(money_clean(value, currency=currency))
            if len(self.amounts) < 100_000:
                self.amounts[key] = found
        return found

    def _currency(self, code: str) -> str:
        found = self.currencies.get(code)
        if found is None:
            found = self.currencies[code] = currency_clean(code)
        return found

    def _moment(self, value: date | datetime) -> str:
        """The aware moment in ISO 8601 (computed once per distinct date: formatting is slow)."""
        found = self.moments.get(value)
        if found is None:
            if isinstance(value, datetime):
                found = value if timezone.is_aware(value) else value.replace(tzinfo=self.zone)
            else:
                found = datetime.combine(value, time(0), tzinfo=self.zone)
            if not 1970 <= found.year <= 2200:
                raise ValidationError("The date must lie between 1970 and 2200.")
            found = found.isoformat()
            if len(self.moments) < 100_000:
                self.moments[value] = found
        return found

    def _category(self, merchant: str, description: str, kind: str, amount: str) -> tuple:
        """The categoriser's decision, as for a transaction typed in (the amount is one of the model's features:
        only its band counts, so the decisions are remembered per band)."""
        key = (merchant, description, kind, amount_band(amount))
        found = self.decisions.get(key)
        if found is None:
            decision = self.categorizer.categorize(
                merchant=merchant, description=description, kind=kind, amount=Decimal(amount)
            )
            found = (decision.category_id, decision.source, decision.confidence)
            if len(self.decisions) < 200_000:
                self.decisions[key] = found
        return found


def _external_id(account_id: int, key: str) -> str:
    external_id = f"{account_id}:{key}"
    if len(external_id) > 200:
        external_id = f"{account_id}:#" + hashlib.blake2b(key.encode(), digest_size=20).hexdigest()
    return external_id


def _stage(job: ImportJob, rows, account_map: dict[str, Account], staging: TransactionStaging) -> int:
    """Phase 1. Returns the number of bad rows; the first MAX_REPORTED_ERRORS are on the job."""
    checker = RowChecker(user=job.user, account_map=account_map)
    bad = 0
    while True:
        try:
            chunk = list(islice(rows, STAGE_CHUNK))
        except (csv.Error, UnicodeError) as exc:
            raise ImportFileError(f"The file cannot be read past row {job.total}: {exc}.") from None
        if not chunk:
            return bad
        good = []
        for row in chunk:
            if isinstance(row, RowProblem):
                problem = row.message
            else:
                try:
                    good.append(checker.stage(row))
                    continue
                except ValidationError as exc:
                    problem = " ".join(exc.messages)
            bad += 1
            if len(job.errors) < MAX_REPORTED_ERRORS:
                job.errors.append({"row": row.row, "message": problem})
        staging.add(good)
        job.total += len(chunk)
        _progress(job, f"Checked {job.total} rows…")
