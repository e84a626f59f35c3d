from insights.management.commands._base import JobCommand
from insights.services import profiles_compute


class Command(JobCommand):
    help = "Compute 30- and 180-day signals and personas of consenting users."
    noun = "profiles written"

    def add_arguments(self, parser):
        parser.add_argument("--user", type=int, help="only this user id")

    def handle(self, *args, user=None, **options):
        self.report(profiles_compute, user_ids=[user] if user else None)
