"""manage.py ingest_json <file>: load a SpendSense-shaped data set (every person in it) into the ledger."""

import secrets
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from finance.imports.json_ingest import JsonDataSet
from finance.imports.pipeline import import_job_run
from finance.imports.records import ImportFileError
from finance.models import ImportJob
from users.models import User
from users.services import user_register


class Command(BaseCommand):
    help = "Ingest a SpendSense-shaped JSON data set: users, accounts, liabilities and transactions."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            with file.open("rb") as stream:
                data_set = JsonDataSet(stream)
                people = {str(entry.get("user_id")): entry for entry in data_set.users if isinstance(entry, dict)}
                owners = sorted(data_set.owners())
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        for owner in owners:
            user = _user_for(owner, people.get(owner, {}))
            job = ImportJob.objects.create(
                user=user,
                format="json",
                filename=file.name,
                file_path=str(file.resolve()),
                column_mapping={"owner": owner},
            )
            job = import_job_run(job_id=job.pk)
            job.refresh_from_db()
            self.stdout.write(f"{owner} ({user.email}): {job.status}: {job.message}")


def _user_for(owner: str, person: dict) -> User:
    email = str(person.get("email") or f"{owner}@ingest.spendwise.invalid").lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_register(
            email=email, password=secrets.token_urlsafe(24), timezone=person.get("timezone") or "UTC",
            currency=person.get("currency") or "USD", display_name=str(person.get("name") or "")[:80], source="api",
        )  # fmt: skip
    return user
