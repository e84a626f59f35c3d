"""factory_boy factories and small builders for the alerts tests. Ledger state goes through finance.services."""

from decimal import Decimal

import factory

from alerts import services
from finance import services as finance_services
from finance.models import Account
from finance.tests.factories import AccountFactory as LedgerAccountFactory
from finance.tests.factories import UserFactory  # noqa: F401  (re-exported for the alert tests)


class AccountFactory(LedgerAccountFactory):
    """Alert tests want the account in the user's own currency, with room to spend."""

    currency = factory.LazyAttribute(lambda account: account.user.currency)
    balance = Decimal("5000.00")


def budget(user, amount, category="groceries"):
    return finance_services.budget_create(user=user, amount=Decimal(str(amount)), category=category)


def spend(user, amount, *, account=None, category="groceries", **fields):
    account = account or Account.objects.filter(user=user).first() or AccountFactory(user=user)
    return finance_services.transaction_record(
        user=user, account=account, amount=Decimal(str(amount)), category=category, **fields
    )


def rule(user, **fields):
    return services.alert_rule_create(user=user, **fields)


def webhook_channel(user, url, **fields):
    return services.channel_create(user=user, kind="webhook", target=url, secret="s3cret", **fields)
