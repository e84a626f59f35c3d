import contextlib
from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.testing.concurrency import run_at_once
from core.months import month_start
from finance import services
from finance.models import (
    Account,
    Budget,
    MonthlyCategoryTotal,
    OutboxEvent,
    Transaction,
    UndoEntry,
)
from finance.services.validation import MAX_TAGS
from finance.tests.factories import AccountFactory, CreditCardFactory, UserFactory, record

pytestmark = pytest.mark.django_db


def totals_recomputed(user) -> dict:
    """The aggregate as it should be, straight from the live rows."""
    expected: dict = defaultdict(lambda: [Decimal("0.00"), 0])
    for txn in Transaction.objects.filter(user=user):
        key = (month_start(txn.occurred_at, user.timezone), txn.category_id, txn.kind)
        expected[key][0] += txn.amount
        expected[key][1] += 1
    return {key: tuple(value) for key, value in expected.items()}


def totals_stored(user) -> dict:
    rows = MonthlyCategoryTotal.objects.filter(user=user).exclude(count=0)
    return {(row.month, row.category_id, row.kind): (row.total, row.count) for row in rows}


@pytest.fixture
def checking(alice):
    return AccountFactory(user=alice, currency="EUR", balance=Decimal("1000.00"))


@pytest.fixture
def card(alice):
    return CreditCardFactory(user=alice, currency="EUR")


def test_recording_an_expense_moves_balance_aggregate_undo_and_outbox(alice, checking):
    txn = record(alice, checking, "12.50", merchant="Rewe", category="groceries")
    checking.refresh_from_db()
    assert checking.balance == Decimal("987.50")
    assert txn.currency == "EUR" and txn.category.slug == "groceries" and txn.category_source == "manual"
    assert totals_stored(alice) == totals_recomputed(alice)
    assert UndoEntry.objects.get(user=alice).action == "create"
    event = OutboxEvent.objects.get(user=alice, topic="transaction.changed")
    assert event.payload["action"] == "create" and event.payload["categories"] == ["groceries"]
    assert event.payload["transaction_ids"] == [txn.pk]


def test_income_enters_and_a_transfer_moves_money_between_accounts(alice, checking, card):
    record(alice, checking, "2000.00", kind="income", merchant="ACME payroll")
    record(alice, card, "300.00", merchant="Zalando")
    record(alice, checking, "250.00", kind="transfer", to_account=card)
    checking.refresh_from_db()
    card.refresh_from_db()
    assert checking.balance == Decimal("2750.00")
    assert card.balance == Decimal("50.00")  # owed: 300 spent, 250 paid off


def test_a_card_purchase_raises_what_is_owed(alice, card):
    record(alice, card, "40.00", merchant="Amazon")
    card.refresh_from_db()
    assert card.balance == Decimal("40.00")


def test_update_moves_the_aggregate_between_months_and_categories(alice, checking):
    txn = record(alice, checking, "20.00", category="dining", occurred_at=datetime(2026, 1, 10, 12, tzinfo=UTC))
    services.transaction_update(
        user=alice, transaction=txn, amount="35.00", category="travel", occurred_at=datetime(2026, 2, 3, tzinfo=UTC)
    )
    assert totals_stored(alice) == totals_recomputed(alice)
    january = MonthlyCategoryTotal.objects.get(user=alice, month="2026-01-01")
    assert (january.total, january.count) == (Decimal("0.00"), 0)
    checking.refresh_from_db()
    assert checking.balance == Decimal("965.00")


def test_delete_is_soft_and_takes_the_money_back(alice, checking):
    txn = record(alice, checking, "20.00", category="dining")
    services.transaction_delete(user=alice, transaction=txn)
    assert not Transaction.objects.filter(pk=txn.pk).exists()
    assert Transaction.all_objects.get(pk=txn.pk).deleted_at is not None
    checking.refresh_from_db()
    assert checking.balance == Decimal("1000.00")
    assert totals_stored(alice) == {}


def test_undo_walks_back_the_stack_one_step_at_a_time(alice, checking):
    txn = record(alice, checking, "20.00", merchant="Cafe Luna", category="dining")
    services.transaction_update(user=alice, transaction=txn, amount="25.00", tags=["work"])
    services.transaction_delete(user=alice, transaction=txn)

    undone = services.transaction_undo_last(user=alice)
    assert undone.action == "delete" and undone.transaction.deleted_at is None
    undone = services.transaction_undo_last(user=alice)
    assert undone.action == "update" and undone.transaction.amount == Decimal("20.00")
    assert list(undone.transaction.tags.values_list("name", flat=True)) == []
    undone = services.transaction_undo_last(user=alice)
    assert undone.action == "create" and undone.transaction.deleted_at is not None
    with pytest.raises(services.NothingToUndo):
        services.transaction_undo_last(user=alice)

    checking.refresh_from_db()
    assert checking.balance == Decimal("1000.00")
    assert totals_stored(alice) == {}
    assert UndoEntry.objects.filter(user=alice, undone_at__isnull=False).count() == 3  # marked, not destroyed
    event = OutboxEvent.objects.filter(user=alice).last()
    assert event.payload["action"] == "undo" and event.payload["undone_action"] == "create"


def test_undo_only_touches_the_users_own_stack(alice, bob, checking):
    record(alice, checking, "5.00", category="dining")
    with pytest.raises(services.NothingToUndo):
        services.transaction_undo_last(user=bob)


@pytest.mark.parametrize(
    ("amount", "currency"),
    [("-5", None), ("0", None), ("NaN", None), ("Infinity", None), ("-Infinity", None), ("1.005", None),
     ("1e12", None), ("abc", None), (None, None), ("10.5", "JPY")],
)  # fmt: skip
def test_bad_amounts_name_the_amount_field(alice, checking, amount, currency):
    with pytest.raises(ValidationError) as caught:
        services.transaction_record(user=alice, account=checking, amount=amount, currency=currency)
    assert "amount" in caught.value.message_dict
    assert not Transaction.all_objects.exists()


def test_a_whole_yen_amount_is_fine(alice, checking):
    assert record(alice, checking, "1500", currency="JPY", category="dining").amount == Decimal("1500.00")


def test_unknown_currency_is_refused(alice, checking):
    with pytest.raises(ValidationError) as caught:
        record(alice, checking, "5.00", currency="XYZ")
    assert "currency" in caught.value.message_dict


def test_another_users_account_and_category_are_unknown(alice, bob, checking):
    bobs_account = AccountFactory(user=bob)
    bobs_category = services.category_create(user=bob, name="Bob's hobby")
    for unknown in (bobs_account, bobs_account.pk, "abc", 2**70):
        with pytest.raises(ValidationError) as caught:
            record(alice, unknown, "5.00")
        assert "account" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        record(alice, checking, "5.00", category=bobs_category)
    assert "category" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        record(alice, checking, "5.00", kind="transfer", to_account=bobs_account)
    assert "to_account" in caught.value.message_dict


def test_transfer_to_the_same_account_and_to_account_on_an_expense_are_refused(alice, checking, card):
    with pytest.raises(ValidationError) as caught:
        record(alice, checking, "5.00", kind="transfer", to_account=checking)
    assert "to_account" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        record(alice, checking, "5.00", kind="expense", to_account=card)
    assert "to_account" in caught.value.message_dict


def test_several_bad_fields_are_named_together(alice, checking):
    with pytest.raises(ValidationError) as caught:
        record(alice, checking, "-1", kind="gift", merchant="x" * 201, tags=[""])
    assert {"amount", "kind", "merchant", "tags"} <= set(caught.value.message_dict)


def test_tags_are_created_per_user_on_demand(alice, bob, checking):
    txn = record(alice, checking, "5.00", tags=["work", "trip", "work"])
    assert sorted(txn.tags.values_list("name", flat=True)) == ["trip", "work"]
    assert not bob.tags.exists()


def test_external_ids_are_unique_per_source(alice, checking):
    record(alice, checking, "5.00", source="sync", external_id="abc")
    with pytest.raises(ValidationError) as caught:
        record(alice, checking, "5.00", source="sync", external_id="abc")
    assert "external_id" in caught.value.message_dict
    record(alice, checking, "5.00", source="import", external_id="abc")


def test_update_refuses_unknown_fields_and_other_users(alice, bob, checking):
    txn = record(alice, checking, "5.00")
    with pytest.raises(ValidationError) as caught:
        services.transaction_update(user=alice, transaction=txn, user_id=bob.pk)
    assert "user_id" in caught.value.message_dict
    with pytest.raises(Transaction.DoesNotExist):
        services.transaction_update(user=bob, transaction=txn, amount="1.00")


def test_an_account_with_transactions_cannot_be_deleted(alice, checking):
    txn = record(alice, checking, "5.00")
    services.transaction_delete(user=alice, transaction=txn)
    with pytest.raises(ValidationError) as caught:
        services.account_delete(user=alice, account=checking)
    assert "account" in caught.value.message_dict
    empty = services.account_create(user=alice, name="Spare", kind="savings")
    services.account_delete(user=alice, account=empty)
    assert not Account.objects.filter(pk=empty.pk).exists()


def test_account_create_validates(alice):
    with pytest.raises(ValidationError) as caught:
        services.account_create(user=alice, name="", kind="piggy", currency="ABC", credit_limit="-3")
    assert {"name", "kind", "currency", "credit_limit"} <= set(caught.value.message_dict)
    account = services.account_create(user=alice, name="Visa", kind="credit", credit_limit="1500", balance="-12.30")
    assert account.currency == "EUR" and account.balance == Decimal("-12.30")
    account = services.account_update(user=alice, account=account, name="Visa Gold")
    assert account.name == "Visa Gold"


def test_category_slugs_clash_with_neither_system_nor_own(alice, bob):
    with pytest.raises(ValidationError) as caught:
        services.category_create(user=alice, name="Groceries")
    assert "slug" in caught.value.message_dict
    services.category_create(user=alice, name="Pet food", parent="groceries")
    with pytest.raises(ValidationError):
        services.category_create(user=alice, name="Pet Food")
    assert services.category_create(user=bob, name="Pet food").slug == "pet_food"


def test_budgets_are_unique_per_category_and_month_and_announce_themselves(alice):
    budget = services.budget_create(user=alice, category="dining", amount="300")
    services.budget_create(user=alice, category="dining", amount="500", month="2026-12")
    with pytest.raises(ValidationError) as caught:
        services.budget_create(user=alice, category="dining", amount="100")
    assert "category" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.budget_create(user=alice, category="nope", amount="-1", month="2026-13")
    assert {"category", "amount", "month"} <= set(caught.value.message_dict)
    services.budget_update(user=alice, budget=budget, amount="350", rollover=True)
    services.budget_delete(user=alice, budget=budget)
    topics = list(OutboxEvent.objects.filter(topic="budget.updated").values_list("payload", flat=True))
    assert topics[-1] == {"budget_id": budget.pk, "category": "dining", "month": None, "deleted": True}
    assert Budget.objects.filter(user=alice).count() == 1


def test_a_failed_write_leaves_nothing_behind(alice, checking):
    with pytest.raises(ValidationError), transaction.atomic():
        record(alice, checking, "5.00", category="dining")
        record(alice, checking, "NaN")
    assert not Transaction.all_objects.exists() and not OutboxEvent.objects.exists()
    assert totals_stored(alice) == {}


def test_the_aggregate_rebuild_agrees_with_the_services(alice, checking):
    record(alice, checking, "5.00", category="dining", occurred_at=datetime(2026, 1, 31, 22, 30, tzinfo=UTC))
    txn = record(alice, checking, "7.00", category="travel")
    services.transaction_delete(user=alice, transaction=txn)
    kept = totals_stored(alice)
    services.monthly_totals_rebuild(user_ids=[alice.pk])
    assert totals_stored(alice) == kept == totals_recomputed(alice)


operations = st.lists(
    st.tuples(
        st.sampled_from(["create", "update", "delete", "undo"]),
        st.integers(min_value=1, max_value=99999),  # cents
        st.sampled_from(["dining", "groceries", "travel"]),
        st.sampled_from(["expense", "income", "transfer"]),
        st.integers(min_value=0, max_value=60),  # days into 2026
        st.integers(min_value=0, max_value=10),  # which transaction
    ),
    max_size=20,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=operations)
def test_aggregate_and_balances_stay_exact_under_any_sequence(db, steps):
    with transaction.atomic():
        user = UserFactory(email="random@example.com", timezone="Europe/Berlin")
        accounts = [AccountFactory(user=user, balance=Decimal("0")), CreditCardFactory(user=user)]
        opening = {account.pk: account.balance for account in accounts}
        for action, cents, slug, kind, day, pick in steps:
            _apply(user, accounts, action, Decimal(cents) / 100, slug, kind, day, pick)
        assert totals_stored(user) == totals_recomputed(user)
        assert _balances(accounts) == _balances_recomputed(user, opening)
        transaction.set_rollback(True)


def _apply(user, accounts, action, amount, slug, kind, day, pick):
    live = list(Transaction.objects.filter(user=user).order_by("id"))
    occurred_at = datetime(2026, 1, 1, 23, 30, tzinfo=UTC).replace(day=1 + day % 28, month=1 + day // 28)
    target = {"to_account": accounts[1]} if kind == "transfer" else {"to_account": None}
    if action == "create" or (action in ("update", "delete") and not live):
        services.transaction_record(
            user=user, account=accounts[0], amount=amount, kind=kind, category=slug, occurred_at=occurred_at, **target
        )
    elif action == "update":
        txn = live[pick % len(live)]
        services.transaction_update(user=user, transaction=txn, amount=amount, category=slug, kind=kind, **target)
    elif action == "delete":
        services.transaction_delete(user=user, transaction=live[pick % len(live)])
    else:
        with contextlib.suppress(services.NothingToUndo):
            services.transaction_undo_last(user=user)


def _balances(accounts):
    return {account.pk: Account.objects.get(pk=account.pk).balance for account in accounts}


def _balances_recomputed(user, opening):
    balances = dict(opening)
    accounts = {account.pk: account for account in Account.objects.filter(user=user)}
    for txn in Transaction.objects.filter(user=user):
        for account_id, change in services.accounts.balance_moves(
            kind=txn.kind, amount=txn.amount, account=accounts[txn.account_id], to_account=txn.to_account
        ):
            balances[account_id] += change
    return balances


@pytest.mark.services
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_the_aggregate_and_balance_exact():
    user = UserFactory(email="busy@example.com", timezone="Europe/Berlin")
    account = AccountFactory(user=user, balance=Decimal("0.00"))
    when = datetime(2026, 3, 3, 12, tzinfo=UTC)

    def writer(number: int) -> None:
        for step in range(8):
            record(user, account, f"{number + 1}.{step:02d}", category="dining", occurred_at=when)

    run_at_once(writer, times=6)

    assert Transaction.objects.filter(user=user).count() == 48
    assert totals_stored(user) == totals_recomputed(user)
    account.refresh_from_db()
    assert account.balance == -sum(Transaction.objects.filter(user=user).values_list("amount", flat=True))


def test_every_path_shares_the_transactions_text_limits():
    from finance.models import Transaction
    from finance.services.validation import TEXT_LIMITS, text_fit

    assert {
        field: Transaction._meta.get_field(field).max_length
        for field in ("merchant", "description", "location", "external_id")
    } == TEXT_LIMITS
    long_text = "x" * (TEXT_LIMITS["merchant"] + 50)
    assert text_fit(long_text, field="merchant") == "x" * TEXT_LIMITS["merchant"]
    assert text_fit("Corner shop", field="merchant") == "Corner shop"


def test_a_service_write_refuses_more_than_twenty_tags_whatever_called_it(alice):
    account = services.account_create(user=alice, name="Everyday")
    with pytest.raises(ValidationError) as refused:
        services.transaction_record(
            user=alice, account=account, amount=Decimal("1.00"), tags=[f"t{n}" for n in range(MAX_TAGS + 1)]
        )
    assert refused.value.message_dict == {"tags": [f"At most {MAX_TAGS} tags per transaction."]}
    kept = services.transaction_record(
        user=alice, account=account, amount=Decimal("1.00"), tags=[f"t{n}" for n in range(MAX_TAGS)]
    )
    assert len(kept.tag_names) == MAX_TAGS
