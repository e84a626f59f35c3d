"""factory_boy factories for the ledger. Transactions are built through the real services."""

from decimal import Decimal

import factory

from finance import services
from finance.models import Account, Category
from users.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    timezone = "UTC"
    currency = "USD"
    password = factory.django.Password("correct-horse-battery-staple")


class AccountFactory(factory.django.DjangoModelFactory):
    """Accounts have no side effects beyond their row, so the factory writes it directly."""

    class Meta:
        model = Account

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Account {n}")
    kind = "checking"
    currency = "USD"
    balance = Decimal("1000.00")


class CreditCardFactory(AccountFactory):
    name = factory.Sequence(lambda n: f"Card {n}")
    kind = "credit"
    balance = Decimal("0.00")
    credit_limit = Decimal("2000.00")


def system_category(slug: str) -> Category:
    return Category.objects.get(user__isnull=True, slug=slug)


def record(user, account, amount="10.00", **fields):
    """A transaction recorded through finance.services (aggregate, balance, undo, outbox all written)."""
    return services.transaction_record(user=user, account=account, amount=Decimal(str(amount)), **fields)
