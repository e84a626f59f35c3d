from django.core.management.base import BaseCommand

from alerts.services.evaluation import evaluate_user
from users.models import User


class Command(BaseCommand):
    help = "Evaluate every user's alert rules against this month's budgets (normally done on each ledger change)."

    def add_arguments(self, parser):
        parser.add_argument("--user", type=int, help="Only this user id.")

    def handle(self, *args, user=None, **options):
        users = User.objects.filter(is_active=True)
        if user is not None:
            users = users.filter(id=user)
        sent = sum(len(evaluate_user(user=person)) for person in users.iterator())
        self.stdout.write(self.style.SUCCESS(f"{sent} notification(s) sent."))
