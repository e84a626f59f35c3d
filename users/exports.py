"""Your data is yours: a zip of everything a person has, as JSON and as CSV, prepared by a
background job (users.tasks.export_build) with progress, downloadable until it expires."""

import csv
import io
import json
import logging
import zipfile
from datetime import timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from users import tasks
from users.models import DataExport, ExportStatus, User
from users.personal_data import exported_tables

logger = logging.getLogger(__name__)

PROFILE_FIELDS = ("id", "email", "display_name", "timezone", "currency", "date_joined", "last_login")
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A value as a CSV cell that no spreadsheet will run as a formula."""
    if value is None:
        return ""
    if isinstance(value, list | dict):
        value = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_file(records: list[dict]) -> str:
    out = io.StringIO()
    if records:
        writer = csv.writer(out)
        writer.writerow(records[0].keys())
        writer.writerows([csv_cell(value) for value in record.values()] for record in records)
    return out.getvalue()


def export_request(*, user: User) -> DataExport:
    """Queue a new export (one running at a time: an unfinished one is returned instead)."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        unfinished = DataExport.objects.filter(
            user=user, status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]
        ).first()
        if unfinished is not None:
            return unfinished
        export = DataExport.objects.create(user=user)
        transaction.on_commit(lambda: tasks.export_build.delay(export.pk))
    return export


def _set_progress(export: DataExport, percent: int) -> None:
    DataExport.objects.filter(pk=export.pk).update(progress=percent)


def export_build(*, export_id: int) -> None:
    """Prepare the archive of a queued export; a failure ends it `failed` with a message."""
    claimed = DataExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(status=ExportStatus.RUNNING)
    if not claimed:
        return  # already built, or being built by another worker
    export = DataExport.objects.select_related("user").get(pk=export_id)
    try:
        archive = _archive(export)
    except Exception:
        logger.exception("Data export %s failed", export_id)
        DataExport.objects.filter(pk=export_id).update(
            status=ExportStatus.FAILED, finished_at=timezone.now(), message="Preparing the export failed; ask again."
        )
        return
    now = timezone.now()
    DataExport.objects.filter(pk=export_id).update(
        status=ExportStatus.DONE,
        progress=100,
        archive=archive,
        size=len(archive),
        finished_at=now,
        expires_at=now + timedelta(hours=settings.DATA_EXPORT_HOURS),
    )


def _archive(export: DataExport) -> bytes:
    user = export.user
    everything = {"profile": {name: getattr(user, name) for name in PROFILE_FIELDS}}
    tables = exported_tables()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("csv/profile.csv", _csv_file([everything["profile"]]))
        for done, table in enumerate(tables, start=1):
            records = list(table.records(user))
            everything[table.name] = records
            archive.writestr(f"csv/{table.name.replace(' ', '_')}.csv", _csv_file(records))
            _set_progress(export, int(90 * done / len(tables)))
        archive.writestr("spendwise.json", json.dumps(everything, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1))
        archive.writestr("README.txt", _readme(user, tables))
    return buffer.getvalue()


def _readme(user: User, tables) -> str:
    names = ", ".join(table.name for table in tables)
    return (
        f"Everything Spendwise holds about {user.email}, as of {timezone.now():%Y-%m-%d %H:%M} UTC.\n\n"
        "spendwise.json has it all in one file; csv/ has one table per file (profile, " + names + ").\n"
        "Money amounts are exact decimals; times are in UTC (ISO 8601).\n"
        "In the CSV files, a cell that starts with = + - or @ is written with a leading apostrophe,\n"
        "so that no spreadsheet runs it as a formula.\n"
    )


def export_expire() -> int:
    """Drop the archives of expired exports; how many."""
    return DataExport.objects.filter(status=ExportStatus.DONE, expires_at__lte=timezone.now()).update(
        status=ExportStatus.EXPIRED, archive=None
    )
