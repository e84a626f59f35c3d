"""Insights test data: people through users/finance services; larger data sets with a bulk factory."""

import itertools
from datetime import datetime, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from finance.models import Account, Category, Transaction
from finance.services import account_create, monthly_totals_rebuild, transaction_record
from users.models import User
from users.services import consent_set

_emails = itertools.count()


def person(*, scopes=("benchmarking", "recommendations"), **fields) -> User:
    user = User.objects.create_user(email=f"person{next(_emails)}@example.com", password=None, **fields)
    for scope in scopes:
        consent_set(user=user, scope=scope, granted=True, source="api")
    return user


def grant(user, *scopes: str) -> None:
    for scope in scopes:
        consent_set(user=user, scope=scope, granted=True, source="api")


def revoke(user, scope: str) -> None:
    consent_set(user=user, scope=scope, granted=False, source="api")


def checking(user, balance="1000.00") -> Account:
    return account_create(user=user, name="Checking", kind="checking", balance=Decimal(balance))


def spend(
    user,
    account,
    amount,
    *,
    category="groceries",
    merchant="Shop",
    when: datetime | None = None,
    kind="expense",
    **fields,
):
    """One transaction through the real service."""
    return transaction_record(
        user=user, account=account, amount=Decimal(str(amount)), kind=kind, category=category, merchant=merchant,
        occurred_at=when or timezone.now(), **fields,
    )  # fmt: skip


class TransactionRowFactory(factory.django.DjangoModelFactory):
    """Rows written in bulk (for data sets of many users); call monthly_totals_refresh after."""

    class Meta:
        model = Transaction

    kind = "expense"
    amount = Decimal("10.00")
    currency = "USD"
    merchant = "Shop"
    occurred_at = factory.LazyFunction(timezone.now)
    created_at = factory.LazyAttribute(lambda row: row.occurred_at)


def bulk_spending(rows: list[tuple[User, Account, str, Decimal, datetime]]) -> None:
    """(user, account, category slug, amount, when) rows written at once, then the monthly totals rebuilt."""
    categories = {c.slug: c for c in Category.objects.filter(user__isnull=True)}
    Transaction.objects.bulk_create(
        [
            TransactionRowFactory.build(user=u, account=a, category=categories[c], amount=amount, occurred_at=when)
            for u, a, c, amount, when in rows
        ]  # fmt: skip
    )
    monthly_totals_rebuild(user_ids={u.pk for u, *_ in rows})


def days_ago(days: int, hour: int = 12) -> datetime:
    return (timezone.now() - timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def approve(recommendation) -> None:
    """Stands in for the operators' review (their app owns the approval service)."""
    type(recommendation).objects.filter(pk=recommendation.pk).update(status="approved", reviewed_at=timezone.now())
    recommendation.refresh_from_db()
