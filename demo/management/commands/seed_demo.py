"""`manage.py seed_demo --users N --months M`: synthetic people with realistic ledgers, a person of every
persona, and the demo user's recommendations, notifications and imports (what `make run` loads)."""

import os
import secrets

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from demo.services import demo_flows_seed, persona_email, personas_seed
from finance.demo.seeding import DEMO_EMAIL, STAFF_EMAIL, seed_people, seed_staff_and_demo
from finance.demo.synthetic import PERSONA_TRAITS


class Command(BaseCommand):
    help = (
        "Create synthetic users with accounts (checking, savings, a credit card with its limit and liability "
        "facts), salaries, rent, subscriptions, day-to-day spending and budgets, plus the demo user "
        f"{DEMO_EMAIL} and the staff superuser {STAFF_EMAIL} (passwords printed). Also one person of each persona "
        "(<persona>@personas.spendwise.local, at least 6 months, signed up through the sign-up service, their "
        "recommendations waiting for review), and for a new demo user the live side through the services: a "
        "dining budget crossed by today's meals (notifications), recommendations (some approved by the "
        "operator) and a savings statement imported twice (the second time only duplicates). Deterministic for a seed and "
        "idempotent: people who already exist are left as they are. Built for scale (--users 10000 --months 12 "
        "is about 5.6 million transactions, a few minutes on PostgreSQL): each batch of people is one database "
        "transaction written with COPY on PostgreSQL (bulk_create elsewhere) and its monthly aggregates are "
        "rebuilt set-wise, never through the per-row services, so no undo entries or outbox events are written "
        "for seeded history. The benchmarks (bench/insights.py, bench/ledger.py) load their data through it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=3, help="Synthetic users besides the demo user (default 3).")
        parser.add_argument("--months", type=int, default=3, help="Months of history up to today (default 3).")
        parser.add_argument("--seed", type=int, default=42, help="Random seed; the same seed gives the same data.")
        parser.add_argument("--batch-size", type=int, default=250, help="Users generated and written per batch.")
        parser.add_argument(
            "--jobs", type=int, default=min(4, os.cpu_count() or 1),
            help="Processes writing batches side by side on PostgreSQL (default: the CPUs, at most 4).",
        )  # fmt: skip

    def handle(self, *args, users: int, months: int, seed: int, batch_size: int, jobs: int, **options):
        if users < 0 or not 1 <= months <= 120 or batch_size < 1 or jobs < 1:
            raise CommandError("--users must be >= 0, --months between 1 and 120, --batch-size and --jobs >= 1.")
        today = timezone.now().date()
        demo_password, staff_password = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
        demo = seed_staff_and_demo(
            demo_password=demo_password, staff_password=staff_password, months=months, today=today, seed=seed
        )
        personas = personas_seed(months=months, today=today, seed=seed)
        progress = ProgressBar(total=users, stream=self.stderr)
        created = seed_people(
            count=users, months=months, today=today, seed=seed, batch_size=batch_size, jobs=jobs,
            on_progress=progress.update,
        )  # fmt: skip
        progress.finish()
        self.stdout.write(
            self.style.SUCCESS(f"{created['users']} users and {created['transactions']} transactions created.")
        )
        if personas:
            self.stdout.write(f"{len(personas)} people of the personas created, one of each:")
            self.stdout.write("  " + ", ".join(persona_email(persona) for persona in PERSONA_TRAITS))
        if demo is not None:
            made = demo_flows_seed(demo=demo)
            self.stdout.write(
                f"Demo user: {made['recommendations']} recommendations ({made['approved']} approved, the rest in "
                f"the review queue), {made['notifications']} notifications, {made['imports']} imports."
            )
        self.stdout.write(f"Demo user:  {DEMO_EMAIL}  password: {demo_password}")
        self.stdout.write(f"Staff user: {STAFF_EMAIL}  password: {staff_password}  (admin at /admin/)")


class ProgressBar:
    """A one-line progress bar on stderr (a command's OutputWrapper), so stdout stays clean for the summary."""

    def __init__(self, *, total: int, stream, width: int = 30):
        self.total, self.stream, self.width = max(total, 1), stream, width

    def update(self, done: int) -> None:
        filled = self.width * done // self.total
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {done}/{self.total} users", ending="")
        self.stream.flush()

    def finish(self) -> None:
        self.stream.write("")
        self.stream.flush()
