import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from finance.demo.seeding import PERSON_EMAIL
from finance.models import Account, Budget, CreditLiability, MonthlyCategoryTotal, Transaction
from finance.tests.test_services import totals_recomputed, totals_stored
from users.models import User

pytestmark = pytest.mark.django_db


def seed(**options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("seed_demo", stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_a_small_seed_creates_people_with_realistic_ledgers():
    out, err = seed(users=2, months=2)
    assert "2/2 users" in err
    demo_password = re.search(r"demo@spendwise.local\s+password: (\S+)", out).group(1)
    staff_password = re.search(r"admin@spendwise.local\s+password: (\S+)", out).group(1)
    assert User.objects.get(email="demo@spendwise.local").check_password(demo_password)
    staff = User.objects.get(email="admin@spendwise.local")
    assert staff.is_staff and staff.is_superuser and staff.check_password(staff_password)

    person = User.objects.get(email="user00000@seed.spendwise.local")
    assert Transaction.objects.filter(user=person, kind="income").exists()
    assert Transaction.objects.filter(user=person, category__slug="subscriptions").exists()
    card = Account.objects.get(user=person, kind="credit")
    assert card.credit_limit and CreditLiability.objects.filter(account=card).exists()
    assert Budget.objects.filter(user=person, category__isnull=True).exists()
    for user in User.objects.exclude(email="admin@spendwise.local"):
        assert totals_stored(user) == totals_recomputed(user)


def test_seeding_again_duplicates_nobody_and_is_deterministic():
    seed(users=2, months=2, seed=5)
    person = User.objects.get(email="user00001@seed.spendwise.local")
    amounts = list(Transaction.objects.filter(user=person).order_by("occurred_at").values_list("amount", flat=True))
    counts = (User.objects.count(), Transaction.objects.count(), MonthlyCategoryTotal.objects.count())

    out, _ = seed(users=2, months=2, seed=5)
    assert "0 users and 0 transactions created" in out
    assert (User.objects.count(), Transaction.objects.count(), MonthlyCategoryTotal.objects.count()) == counts

    person.delete()
    seed(users=2, months=2, seed=5)
    person = User.objects.get(email="user00001@seed.spendwise.local")
    again = list(Transaction.objects.filter(user=person).order_by("occurred_at").values_list("amount", flat=True))
    assert again == amounts


def amounts_of(email: str) -> list:
    return list(
        Transaction.objects.filter(user__email=email).order_by("occurred_at", "amount").values_list("amount", flat=True)
    )


def test_how_people_are_batched_does_not_change_what_they_get():
    seed(users=3, months=2, seed=9, batch_size=2, jobs=1)
    before = {number: amounts_of(PERSON_EMAIL.format(number)) for number in range(3)}
    User.objects.filter(email__endswith="@seed.spendwise.local").delete()

    out, err = seed(users=3, months=2, seed=9, batch_size=1, jobs=1)
    assert "3 users" in out and "3/3 users" in err
    assert {number: amounts_of(PERSON_EMAIL.format(number)) for number in range(3)} == before


@pytest.mark.skipif(not settings.USES_POSTGRES, reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
def test_the_copy_path_writes_whole_people_with_exact_monthly_totals():
    # One process: worker processes would write outside the test transaction.
    out, _ = seed(users=3, months=3, batch_size=2, jobs=1)
    people = User.objects.filter(email__endswith="@seed.spendwise.local")
    written = re.search(r"(\d+) transactions created", out).group(1)
    assert Transaction.objects.filter(user__in=people).count() == int(written) > 0
    for person in people:
        assert totals_stored(person) == totals_recomputed(person)
        assert person.consent_events.filter(scope="data_processing", granted=True).exists()
        assert person.has_usable_password() is False
        card = Account.objects.get(user=person, kind="credit")
        assert card.liability.last_statement_balance == max(card.balance, 0)
        assert Transaction.objects.filter(user=person, account=card).exists()


@pytest.mark.skipif(not settings.USES_POSTGRES, reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
@pytest.mark.django_db(transaction=True)
def test_worker_processes_each_write_their_own_batches():
    out, err = seed(users=4, months=2, batch_size=1, jobs=2)
    assert "4/4 users" in err
    people = User.objects.filter(email__endswith="@seed.spendwise.local")
    assert people.count() == 4
    for person in people:
        assert totals_stored(person) == totals_recomputed(person)
        assert Transaction.objects.filter(user=person).exists()
