from insights.management.commands._base import JobCommand
from insights.services import anomalies_detect


class Command(JobCommand):
    help = "Flag unusual expenses of the last 7 days and notify each once."
    noun = "new anomalies"

    def add_arguments(self, parser):
        parser.add_argument("--user", type=int, help="only this user id")

    def handle(self, *args, user=None, **options):
        self.report(anomalies_detect, user_ids=[user] if user else None)
