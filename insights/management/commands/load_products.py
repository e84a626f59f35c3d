import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from insights.services import products_load


class Command(BaseCommand):
    help = "Load the product catalogue for offers from a JSON list (default: the bundled catalogue)."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", help="a JSON file: [{slug, name, kind, description, personas, conditions}]"
        )

    def handle(self, *args, path=None, **options):
        try:
            catalogue = json.loads(Path(path).read_text()) if path else None
            count = products_load(catalogue=catalogue)
        except (OSError, ValueError, ValidationError) as exc:
            raise CommandError(str(exc))
        self.stdout.write(self.style.SUCCESS(f"{count} products loaded"))
