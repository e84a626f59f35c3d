"""Bulk synthetic data for seed_demo (and the benchmarks): batches of people, each batch in one database
transaction. On PostgreSQL every table is written with COPY (ids reserved from the sequences first, rows streamed
by a thread while the next person is drawn, optionally several batches at once in worker processes); elsewhere
with bulk_create. Each batch's monthly aggregate is rebuilt set-wise inside the batch. Deliberately not through the per-row services: seeded
history needs no undo entries or outbox events, and millions of rows must load in minutes."""

import calendar
import json
import multiprocessing
import random
from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from itertools import islice

from django.contrib.auth.hashers import make_password
from django.db import connection, connections, transaction
from django.db.models import JSONField, Model
from psycopg.copy import QueuedLibpqWriter

from finance.categorization.defaults import default_category
from finance.demo.synthetic import (
    Profile,
    SyntheticTransaction,
    month_transactions,
    months_back,
    persona_profile,
    profile_draw,
)
from finance.models import Account, Budget, CategorizationRule, CreditLiability, Transaction
from finance.services.accounts import account_update, balance_moves
from finance.services.aggregates import monthly_totals_rebuild
from finance.services.bulk import copy_line
from finance.services.rules import system_category_ids
from users.models import ConsentScope, ConsentSource, User
from users.services import consent_set, consents_given_at_signup, user_register

DEMO_EMAIL = "demo@spendwise.local"
STAFF_EMAIL = "admin@spendwise.local"
PERSON_EMAIL = "user{:05d}@seed.spendwise.local"
CHECKING_NAME = "Everyday checking"
# The demo user pays many subscriptions, so the subscription review and the recurring bills show.
DEMO_PERSONA = "subscription_heavy"
# Months of history at least for the demo user and the personas' people: the persona checks look back up to
# 180 days, recurring bills need three charges in 90 days, and a pay every other month three months to show.
PERSONA_MONTHS = 6
TRANSACTION_COLUMNS = (
    "user_id", "account_id", "to_account_id", "kind", "amount", "currency", "occurred_at", "merchant", "description",
    "location", "category_id", "category_source", "category_confidence", "source", "external_id", "created_at",
    "updated_at", "deleted_at",
)  # fmt: skip
# Share of synthetic people who opted in to each optional consent scope.
CONSENT_SHARES = {ConsentScope.BENCHMARKING: 0.85, ConsentScope.RECOMMENDATIONS: 0.8, ConsentScope.EXTERNAL_SYNC: 0.3}
# Rows sent to the database at a time (COPY chunk, bulk_create batch).
CHUNK = 5000

Person = tuple[User, Profile, random.Random]


def seed_staff_and_demo(*, demo_password: str, staff_password: str, months: int, today: date, seed: int) -> User | None:
    """The operator and the demo user (their passwords set anew each time); the demo user when created now."""
    staff = User.objects.filter(email=STAFF_EMAIL).first()
    if staff is None:
        staff = user_register(
            email=STAFF_EMAIL, password=staff_password, display_name="Operator", source=ConsentSource.ADMIN
        )
        User.objects.filter(pk=staff.pk).update(is_staff=True, is_superuser=True)
    else:
        staff.set_password(staff_password)
        staff.save(update_fields=["password"])
    demo = User.objects.filter(email=DEMO_EMAIL).first()
    if demo is not None:
        demo.set_password(demo_password)
        demo.save(update_fields=["password"])
        return None
    rng = random.Random(f"{seed}:demo")
    profile = persona_profile(rng, DEMO_PERSONA)
    profile.timezone = "America/New_York"
    with transaction.atomic():
        demo = person_sign_up(
            email=DEMO_EMAIL, password=demo_password, display_name="Demo", profile=profile, rng=rng,
            months=max(months, PERSONA_MONTHS), today=today,
        )  # fmt: skip
        CategorizationRule.objects.create(
            user=demo, field="merchant", operator="contains", value="costco",
            category_id=system_category_ids()["groceries"], priority=10,
        )  # fmt: skip
    return demo


def person_sign_up(
    *,
    email: str,
    password: str | None,
    display_name: str,
    profile: Profile,
    rng: random.Random,
    months: int,
    today: date,
) -> User:
    """One person signed up through the real sign-up service (their default account becomes their everyday
    checking account), who opts in to recommendations and benchmarking, with `months` of history."""
    user = user_register(
        email=email, password=password, display_name=display_name, timezone=profile.timezone,
        source=ConsentSource.SIGNUP,
    )  # fmt: skip
    for scope in (ConsentScope.RECOMMENDATIONS, ConsentScope.BENCHMARKING):
        consent_set(user=user, scope=scope, granted=True, source=ConsentSource.SIGNUP)
    _write_people([(user, profile, rng)], months=months, today=today, signed_up=True)
    monthly_totals_rebuild(user_ids=[user.pk])
    return user


def seed_people(
    *,
    count: int,
    months: int,
    today: date,
    seed: int,
    batch_size: int,
    on_progress: Callable[[int], None],
    jobs: int = 1,
) -> dict[str, int]:
    """Create up to `count` synthetic people (user00000@seed.spendwise.local, ...); existing ones are skipped.

    A batch is all or nothing, its monthly totals included, so an interrupted run is finished by running again.
    With jobs > 1 (PostgreSQL), that many processes write batches side by side, each on its own connection."""
    batches = [range(start, min(count, start + batch_size)) for start in range(0, count, batch_size)]
    work = partial(_batch_seed, months=months, today=today, seed=seed)
    created = {"users": 0, "transactions": 0}
    done = 0
    for users, transactions, size in _batches_run(work, batches, jobs):
        created["users"] += users
        created["transactions"] += transactions
        done += size
        on_progress(done)
    if created["users"] and connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh statistics, or the first queries plan for empty tables
            cursor.execute(f"ANALYZE {Transaction._meta.db_table}, {User._meta.db_table}")
    return created


def _batches_run(work: Callable, batches: list[range], jobs: int) -> Iterator[tuple[int, int, int]]:
    if jobs <= 1 or len(batches) <= 1 or connection.vendor != "postgresql":
        yield from map(work, batches)
        return
    # A forked process must open its own connections, not share the parent's sockets: close them,
    # and the pool too (its idle connections and threads would otherwise be inherited).
    connections.close_all()
    connection.close_pool()
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        yield from pool.imap_unordered(work, batches)


def _batch_seed(numbers: range, *, months: int, today: date, seed: int) -> tuple[int, int, int]:
    """One batch of people in one database transaction: (people created, transactions written, batch size)."""
    emails = {number: PERSON_EMAIL.format(number) for number in numbers}
    existing = set(User.objects.filter(email__in=emails.values()).values_list("email", flat=True))
    people = [_person_draw(number, email, seed) for number, email in emails.items() if email not in existing]
    if not people:
        return 0, 0, len(numbers)
    with transaction.atomic():
        _rows_insert(User, [user for user, _, _ in people])
        written = _write_people(people, months=months, today=today)
        monthly_totals_rebuild(user_ids=[user.pk for user, _, _ in people])
    return len(people), written, len(numbers)


def _person_draw(number: int, email: str, seed: int) -> Person:
    rng = random.Random(f"{seed}:{number}")
    profile = profile_draw(rng)
    return User(email=email, timezone=profile.timezone, password=make_password(None)), profile, rng


def _write_people(people: list[Person], *, months: int, today: date, signed_up: bool = False) -> int:
    """Everything but the users themselves (already saved) and the monthly totals. Returns transactions written.

    `signed_up`: they came through the sign-up service, which gave them their default account and consents."""
    categories = system_category_ids()
    accounts = {user.pk: _accounts_draw(user, profile, rng, signed_up=signed_up) for user, profile, rng in people}
    _rows_insert(Account, [account for mine in accounts.values() for account in mine.values() if account.pk is None])
    if not signed_up:
        consents_given_at_signup(grants=[grant for user, _, rng in people for grant in _consents(user, rng)])
    _rows_insert(
        Budget, [budget for user, profile, rng in people for budget in _budgets(user, profile, categories, rng)]
    )
    rows = (
        row
        for user, profile, rng in people
        for row in _ledger_rows(user, profile, rng, accounts[user.pk], categories, months=months, today=today)
    )
    written = _transactions_write(rows)
    for user, profile, _ in people:  # the history is kept; the opening balances are what it implies
        for key, balance in profile.end_balances.items():
            accounts[user.pk][key].balance = Decimal(balance)
    Account.objects.bulk_update([a for mine in accounts.values() for a in mine.values()], ["balance"], batch_size=1000)
    _rows_insert(
        CreditLiability, [_liability(accounts[user.pk]["card"], profile, rng, today) for user, profile, rng in people]
    )
    return written


def _accounts_draw(user: User, profile: Profile, rng: random.Random, *, signed_up: bool) -> dict[str, Account]:
    """Checking (their default account), savings, a card, and an investment account for some."""
    opening = Decimal(rng.randint(300, 6000))
    if signed_up:  # the account sign-up gave them becomes their everyday checking account
        checking = account_update(
            user=user, account=Account.objects.get(user=user, is_default=True), name=CHECKING_NAME, balance=opening
        )
    else:
        checking = Account(user=user, name=CHECKING_NAME, kind="checking", balance=opening, is_default=True)
    accounts = {
        "checking": checking,
        "savings": Account(user=user, name="Savings", kind="savings", balance=Decimal(rng.randint(500, 25000))),
        "card": Account(user=user, name="Visa card", kind="credit", credit_limit=Decimal(profile.credit_limit)),
    }
    if profile.investment:
        accounts["investment"] = Account(user=user, name="Index funds", kind="investment")
    return accounts


def _ledger_rows(user, profile, rng, mine: dict[str, Account], categories, *, months: int, today: date) -> list[tuple]:
    """One person's history as transaction rows; their accounts' balances move with it."""
    rows, by_id = [], {account.pk: account for account in mine.values()}
    for month in months_back(today, months):
        last_day = today.day if month == today.replace(day=1) else calendar.monthrange(month.year, month.month)[1]
        for synthetic in month_transactions(rng, profile, month, last_day):
            rows.append(_row(user, synthetic, mine, categories, rng))
            to_account = mine.get(synthetic.to_account) if synthetic.to_account else None
            moves = balance_moves(
                kind=synthetic.kind,
                amount=Decimal(synthetic.amount),
                account=mine[synthetic.account],
                to_account=to_account,
            )
            for account_id, change in moves:
                by_id[account_id].balance += change
    return rows


def _row(user: User, synthetic: SyntheticTransaction, mine: dict, categories: dict, rng: random.Random) -> tuple:
    guessed = _default_for(synthetic.merchant)
    source, confidence = ("default", 0.5) if guessed == synthetic.category else ("manual", 1.0)
    if synthetic.kind != "expense":
        source, confidence = "default", 1.0
    logged = synthetic.occurred_at + timedelta(minutes=rng.randint(1, 600))
    to_account = mine[synthetic.to_account].pk if synthetic.to_account else None
    return (
        user.pk, mine[synthetic.account].pk, to_account, synthetic.kind, synthetic.amount, "USD", synthetic.occurred_at,
        synthetic.merchant, synthetic.description, "", categories[synthetic.category], source, confidence,
        "import" if rng.random() < 0.7 else "manual", None, logged, logged, None,
    )  # fmt: skip


_DEFAULTS_SEEN: dict[str, str | None] = {}


def _default_for(merchant: str) -> str | None:
    if merchant not in _DEFAULTS_SEEN:
        _DEFAULTS_SEEN[merchant] = default_category(merchant=merchant, description="")
    return _DEFAULTS_SEEN[merchant]


def _transactions_write(rows: Iterable[tuple]) -> int:
    if connection.vendor == "postgresql":
        return _copy(Transaction._meta.db_table, TRANSACTION_COLUMNS, rows)
    written = 0
    for chunk in _chunks(iter(rows)):
        Transaction.all_objects.bulk_create(
            [Transaction(**dict(zip(TRANSACTION_COLUMNS, row, strict=True))) for row in chunk]
        )
        written += len(chunk)
    return written


def _rows_insert(model: type[Model], objects: list[Model]) -> None:
    """Save new model instances in bulk; users and accounts get their ids (later rows point at them)."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=CHUNK)
        return
    if model in (User, Account):
        for instance, pk in zip(objects, _ids_reserve(model, len(objects)), strict=True):
            instance.pk = pk
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or objects[0].pk is not None]
    rows = ([_copy_value(f, instance) for f in fields] for instance in objects)
    _copy(model._meta.db_table, [f.column for f in fields], rows)


def _copy_value(field, instance: Model):
    """A field's value as COPY takes it: JSON as its text, the rest as the database adapts it."""
    if isinstance(field, JSONField):
        return json.dumps(field.value_from_object(instance))
    return field.get_db_prep_save(field.pre_save(instance, True), connection)


def _ids_reserve(model: type[Model], count: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def _copy(table: str, columns: Iterable[str], rows: Iterable[Iterable]) -> int:
    """COPY rows into a table, in chunks; a thread sends them while the caller draws the next ones."""
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    written = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(
            f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN", writer=QueuedLibpqWriter(raw)
        ) as copy:
            for chunk in _chunks(map(copy_line, rows)):
                copy.write("".join(chunk))
                written += len(chunk)
    return written


def _chunks(items: Iterator) -> Iterator[list]:
    while chunk := list(islice(items, CHUNK)):
        yield chunk


def _liability(card: Account, profile: Profile, rng: random.Random, today: date) -> CreditLiability:
    owed = max(card.balance, Decimal("0"))
    minimum = max(Decimal("25.00"), (owed * Decimal("0.02")).quantize(Decimal("0.01")))
    last_payment = Decimal(rng.randint(25, 800))
    if profile.minimum_payment_only is not None:
        last_payment = minimum if profile.minimum_payment_only else minimum + Decimal(rng.randint(50, 400))
    overdue = rng.random() < 0.05
    return CreditLiability(
        account=card,
        apr_percent=Decimal(str(round(rng.uniform(17.9, 29.9), 3))),
        minimum_payment=minimum,
        last_payment_amount=last_payment,
        last_statement_balance=owed,
        is_overdue=overdue if profile.overdue is None else profile.overdue,
        next_payment_due=today.replace(day=1) + timedelta(days=rng.randint(35, 55)),
    )


def _budgets(user: User, profile: Profile, categories: dict, rng: random.Random) -> list[Budget]:
    monthly = Decimal(int(profile.salary * rng.uniform(0.55, 0.8)))
    budgets = [Budget(user=user, category=None, amount=monthly)]
    for slug, share in (("dining", 0.06), ("groceries", 0.09), ("transport", 0.05), ("shopping", 0.05)):
        if rng.random() < 0.75:
            amount = Decimal(max(50, int(profile.salary * share * profile.scale * rng.uniform(0.8, 1.3))))
            budgets.append(Budget(user=user, category_id=categories[slug], amount=amount, rollover=rng.random() < 0.3))
    return budgets


def _consents(user: User, rng: random.Random) -> list[tuple[User, str]]:
    grants = [(user, ConsentScope.DATA_PROCESSING)]
    for scope, share in CONSENT_SHARES.items():
        if rng.random() < share:
            grants.append((user, scope))
    return grants
