"""What `seed_demo` adds on top of the synthetic ledgers (finance.demo.seeding), so an operator and a user each see
their whole flow at once: a person of every persona, recommendations in the review queue and approved ones
for the demo user, a notification history and imports in the list. Every step goes through the services a
person or an operator would use; nothing here writes a row itself."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.months import month_start
from finance.demo.seeding import PERSONA_MONTHS, STAFF_EMAIL, person_sign_up
from finance.demo.synthetic import PERSONA_TRAITS, persona_profile
from finance.imports.pipeline import import_job_create, import_job_run
from finance.outbox import outbox_relay_event, outbox_waiting_ids
from finance.selectors import accounts_for_user, budgets_for_user, monthly_spending
from finance.services import budget_create, budget_update, transaction_record
from insights.selectors.review import review_queue
from insights.services.profiles import profiles_compute
from insights.services.recommendations import recommendations_generate
from operators.services.decisions import recommendation_approve
from users.models import User

PERSONA_EMAIL = "{}@personas.spendwise.local"  # e.g. savings.builder@personas.spendwise.local
# Of the demo user's recommendations, the operator has approved this many; the rest wait for review.
DEMO_APPROVED = 2


def persona_email(persona: str) -> str:
    return PERSONA_EMAIL.format(persona.replace("_", "."))


def personas_seed(*, months: int, today: date, seed: int) -> list[User]:
    """One person per persona (skipped when they exist), each with recommendations waiting for review."""
    people = []
    for persona in PERSONA_TRAITS:
        email = persona_email(persona)
        if User.objects.filter(email=email).exists():
            continue
        rng = random.Random(f"{seed}:persona:{persona}")
        with transaction.atomic():
            person = person_sign_up(
                email=email, password=None, display_name=persona.replace("_", " ").capitalize(),
                profile=persona_profile(rng, persona), rng=rng, months=max(months, PERSONA_MONTHS), today=today,
            )  # fmt: skip
        people.append(person)
    if people:
        profiles_compute(user_ids=[person.pk for person in people])  # all at once, as the nightly job does
    for person in people:
        recommendations_generate(user=person)
    return people


def demo_flows_seed(*, demo: User) -> dict[str, int]:
    """The demo user's live side: today's spending recorded as they would record it (so the alerts see it),
    recommendations generated and some approved by the operator, and two imports of their savings statement
    (the second finds only duplicates). Returns what was made, by kind."""
    _spending_today(demo=demo)
    recommendations_generate(user=demo)
    drafts = list(review_queue(status="pending_review").filter(user=demo).values_list("id", flat=True))
    staff = User.objects.get(email=STAFF_EMAIL)
    for recommendation_id in drafts[:DEMO_APPROVED]:
        recommendation_approve(operator=staff, recommendation_id=recommendation_id, notes="Fits this person.")
    return {
        "recommendations": len(drafts),
        "approved": min(len(drafts), DEMO_APPROVED),
        "imports": len(_savings_statement_imported(demo=demo)),
        "notifications": demo.notifications.count(),  # the budget's alerts and the approved recommendations'
    }


def _spending_today(*, demo: User) -> None:
    """The dining budget set a little above this month's dining, then lunch and dinner today: the budget's
    thresholds are crossed the way they are for anyone, and the notifications follow."""
    checking = accounts_for_user(user=demo).get(is_default=True)
    now = timezone.now()
    dining_so_far = monthly_spending(user=demo, month=month_start(now, demo.timezone)).get("dining", Decimal(0))
    amount = (dining_so_far + Decimal("40")).quantize(Decimal("1"))
    budget = budgets_for_user(user=demo).filter(category__slug="dining", month__isnull=True).first()
    if budget is None:
        budget_create(user=demo, category="dining", amount=amount)
    else:
        budget_update(user=demo, budget=budget, amount=amount)
    for merchant, price, hours_ago in (("CHIPOTLE", "18.40", 5), ("TST* OSTERIA ROMANA", "64.00", 1)):
        transaction_record(
            user=demo, account=checking, amount=Decimal(price), merchant=merchant, category="dining",
            occurred_at=now - timedelta(hours=hours_ago),
        )  # fmt: skip
    # Without a broker the relay already ran on commit; with one, no worker runs yet, so relay here (once).
    for event_id in outbox_waiting_ids(user=demo):
        outbox_relay_event(event_id=event_id)


def _savings_statement_imported(*, demo: User) -> list:
    savings = accounts_for_user(user=demo).get(kind="savings")
    content = _savings_statement_csv(today=timezone.localdate())
    jobs = []
    for _ in range(2):
        job = import_job_create(
            user=demo, content=content, filename="savings-statement.csv", account=savings, queue=False
        )
        jobs.append(import_job_run(job_id=job.pk))
    return jobs


def _savings_statement_csv(*, today: date) -> bytes:
    """A savings account's export as a bank prints it: the interest paid at each of the last months' ends."""
    lines = ["Date,Description,Amount"]
    month_end = today.replace(day=1) - timedelta(days=1)
    for number in range(3):
        lines.append(f"{month_end.isoformat()},INTEREST PAYMENT,{Decimal('14.20') + Decimal(number * 3) / 10:.2f}")
        month_end = month_end.replace(day=1) - timedelta(days=1)
    return ("\n".join(lines) + "\n").encode()
