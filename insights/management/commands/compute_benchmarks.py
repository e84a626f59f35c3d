from django.core.management.base import CommandError

from core.months import parse_month
from insights.management.commands._base import JobCommand
from insights.services import benchmarks_compute


class Command(JobCommand):
    help = "Compute cohort benchmarks (p10..p90, mean) per category for a month (default: last month and this one)."
    noun = "benchmarks published"

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM")

    def handle(self, *args, month=None, **options):
        try:
            months = [parse_month(month)] if month else None
        except ValueError as exc:
            raise CommandError(str(exc))
        self.report(benchmarks_compute, months=months)
