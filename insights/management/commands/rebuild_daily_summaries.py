from insights.management.commands._base import JobCommand
from insights.services import daily_spending_rebuild


class Command(JobCommand):
    help = "Rebuild the daily spending summaries of consenting users (last 400 days)."
    noun = "daily rows written"

    def add_arguments(self, parser):
        parser.add_argument("--user", type=int, help="only this user id")

    def handle(self, *args, user=None, **options):
        self.report(daily_spending_rebuild, user_ids=[user] if user else None)
