from insights.management.commands._base import JobCommand
from insights.services import recommendations_generate_all


class Command(JobCommand):
    help = "Generate recommendations (pending review) for consenting users, or one user."
    noun = "recommendations created"

    def add_arguments(self, parser):
        parser.add_argument("--user", type=int, help="a user id")

    def handle(self, *args, user=None, **options):
        self.report(recommendations_generate_all, user_ids=[user] if user else None)
