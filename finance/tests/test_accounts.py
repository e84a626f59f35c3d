"""Accounts a person can manage: the default account from every sign-up, choosing it, archiving,
and transactions that go to the default account when none is named (API and pages)."""

import importlib
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from conftest import PASSWORD
from finance import services
from finance.models import Account, Budget, Transaction
from finance.tests.factories import system_category
from users.models import User

pytestmark = pytest.mark.django_db

ACCOUNTS = "/api/v1/accounts/"
TRANSACTIONS = "/api/v1/transactions/"


def default_of(user) -> Account:
    return Account.objects.get(user=user, is_default=True)


@pytest.fixture
def card(alice):
    return services.account_create(
        user=alice, name="Visa", kind="credit", currency="EUR", balance=Decimal("120.00"), credit_limit=Decimal("900")
    )


# --- every way in gives one default account ---------------------------------------------------------


def test_api_sign_up_answers_with_the_default_account(anon_api):
    response = anon_api.post("/api/v1/auth/register/", {"email": "new@example.com", "password": PASSWORD})
    assert response.status_code == 201
    user = User.objects.get(email="new@example.com")
    assert response.json()["default_account"] == default_of(user).pk
    assert (default_of(user).name, default_of(user).kind, default_of(user).balance) == (
        "Main account",
        "checking",
        Decimal("0.00"),
    )


def test_page_sign_up_gives_a_default_account_in_the_chosen_currency(anon_client):
    form = {"email": "page@example.com", "password": PASSWORD, "timezone": "Europe/Rome", "currency": "EUR"}
    assert anon_client.post("/signup/", form).status_code == 302
    assert default_of(User.objects.get(email="page@example.com")).currency == "EUR"


def test_admin_created_user_gets_a_default_account(admin_client):
    response = admin_client.post(
        "/admin/users/user/add/",
        {"email": "added@example.com", "timezone": "UTC", "currency": "GBP", "usable_password": "true",
         "password1": PASSWORD, "password2": PASSWORD},
    )  # fmt: skip
    assert response.status_code == 302
    assert default_of(User.objects.get(email="added@example.com")).currency == "GBP"


def test_createsuperuser_gets_a_default_account(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", "--no-input", "--email", "root@example.com", stdout=StringIO())
    assert default_of(User.objects.get(email="root@example.com")).name == "Main account"


def test_seeded_people_and_the_demo_user_have_their_checking_account_as_default():
    call_command("seed_demo", users=1, months=1, stdout=StringIO(), stderr=StringIO())
    for email in ("demo@spendwise.local", "user00000@seed.spendwise.local", "admin@spendwise.local"):
        user = User.objects.get(email=email)
        assert Account.objects.filter(user=user, is_default=True).count() == 1, email
    demo = User.objects.get(email="demo@spendwise.local")
    assert default_of(demo).name == "Everyday checking"
    assert not Account.objects.filter(user=demo, name="Main account").exists()


def test_me_carries_the_default_account_and_follows_a_change(alice, alice_api, card):
    assert alice_api.get("/api/v1/me/").json()["default_account"] == default_of(alice).pk
    assert alice_api.patch(f"{ACCOUNTS}{card.pk}/", {"is_default": True}, format="json").status_code == 200
    assert alice_api.get("/api/v1/me/").json()["default_account"] == card.pk
    assert Account.objects.filter(user=alice, is_default=True).count() == 1


# --- transactions without an account -------------------------------------------------------------------


def test_a_transaction_without_an_account_goes_to_the_default_one(alice, alice_api, card):
    main = default_of(alice)
    response = alice_api.post(TRANSACTIONS, {"amount": "12.50", "merchant": "Bakery"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["account"] == main.pk
    main.refresh_from_db()
    assert main.balance == Decimal("-12.50")

    alice_api.patch(f"{ACCOUNTS}{card.pk}/", {"is_default": True}, format="json")
    response = alice_api.post(TRANSACTIONS, {"amount": "30.00", "merchant": "Cinema"}, format="json")
    assert response.json()["account"] == card.pk
    card.refresh_from_db()
    assert card.balance == Decimal("150.00")  # owed on the card: 120 + 30


def test_an_archived_account_takes_no_new_transactions_but_keeps_its_history(alice, alice_api, card):
    kept = services.transaction_record(user=alice, account=card, amount=Decimal("9.99"), merchant="Spotify")
    response = alice_api.patch(f"{ACCOUNTS}{card.pk}/", {"archived": True}, format="json")
    assert response.status_code == 200 and response.json()["archived"] is True

    refused = alice_api.post(TRANSACTIONS, {"account": card.pk, "amount": "5.00"}, format="json")
    assert refused.status_code == 400
    assert "archived" in refused.json()["account"][0]
    transfer = {"kind": "transfer", "amount": "5.00", "to_account": card.pk}
    assert "to_account" in alice_api.post(TRANSACTIONS, transfer, format="json").json()

    listed = alice_api.get(TRANSACTIONS).json()["results"]
    assert [row["id"] for row in listed] == [kept.pk]
    edited = alice_api.patch(f"{TRANSACTIONS}{kept.pk}/", {"merchant": "Spotify AB"}, format="json")
    assert edited.status_code == 200 and edited.json()["account"] == card.pk

    restored = alice_api.patch(f"{ACCOUNTS}{card.pk}/", {"archived": False}, format="json")
    assert restored.json()["archived"] is False
    assert alice_api.post(TRANSACTIONS, {"account": card.pk, "amount": "5.00"}, format="json").status_code == 201


# --- the default account's rules -----------------------------------------------------------------------


def test_the_default_account_cannot_be_archived_or_deleted(alice, alice_api):
    main = default_of(alice)
    response = alice_api.patch(f"{ACCOUNTS}{main.pk}/", {"archived": True}, format="json")
    assert response.status_code == 400
    assert "make another account the default" in response.json()["archived"][0]
    response = alice_api.delete(f"{ACCOUNTS}{main.pk}/")
    assert response.status_code == 400
    main.refresh_from_db()
    assert main.is_default and not main.is_archived


def test_the_default_is_moved_by_choosing_another_never_by_unsetting(alice, alice_api, card):
    main = default_of(alice)
    response = alice_api.patch(f"{ACCOUNTS}{main.pk}/", {"is_default": False}, format="json")
    assert response.status_code == 400 and "is_default" in response.json()

    alice_api.patch(f"{ACCOUNTS}{card.pk}/", {"archived": True}, format="json")
    response = alice_api.patch(f"{ACCOUNTS}{card.pk}/", {"is_default": True}, format="json")
    assert response.status_code == 400 and "restore it first" in response.json()["is_default"][0]
    assert default_of(alice) == main


def test_a_new_account_can_be_made_the_default_and_cannot_start_archived(alice, alice_api):
    made = alice_api.post(ACCOUNTS, {"name": "Wallet", "kind": "cash", "is_default": True}, format="json")
    assert made.status_code == 201 and made.json()["is_default"] is True
    assert default_of(alice).name == "Wallet"
    refused = alice_api.post(ACCOUNTS, {"name": "Old", "archived": True}, format="json")
    assert refused.status_code == 400 and "archived" in refused.json()


def test_currency_of_an_account_in_use_stays(alice, alice_api, card):
    services.transaction_record(user=alice, account=card, amount=Decimal("5.00"))
    response = alice_api.patch(f"{ACCOUNTS}{card.pk}/", {"currency": "USD"}, format="json")
    assert response.status_code == 400 and "EUR" in response.json()["currency"][0]


@pytest.mark.parametrize("client_name", ["bob_api", "staff_api"])
def test_others_cannot_archive_or_choose_alices_account(request, alice, card, client_name):
    client = request.getfixturevalue(client_name)
    for change in ({"archived": True}, {"is_default": True}):
        assert client.patch(f"{ACCOUNTS}{card.pk}/", change, format="json").status_code == 404
    assert client.post(TRANSACTIONS, {"account": card.pk, "amount": "1.00"}, format="json").status_code == 400
    card.refresh_from_db()
    assert not card.is_archived and not card.is_default


def test_anonymous_cannot_touch_accounts(anon_api, card):
    assert anon_api.patch(f"{ACCOUNTS}{card.pk}/", {"archived": True}, format="json").status_code == 401


# --- the Accounts page -------------------------------------------------------------------------------


def text(response) -> str:
    return response.content.decode()


def test_accounts_page_lists_balances_in_peoples_words(alice, alice_client, card):
    page = text(alice_client.get("/accounts/"))
    assert "Main account" in page and "Default" in page
    assert "Credit card" in page and "120.00 EUR owed" in page and "900.00 EUR" in page
    assert "<td>credit</td>" not in page and "<td>checking</td>" not in page


def test_figures_are_written_in_each_accounts_currency(alice, alice_client):
    services.account_create(user=alice, name="Tokyo wallet", kind="cash", currency="JPY", balance=Decimal("15000"))
    page = text(alice_client.get("/accounts/"))
    assert "15,000 JPY" in page and "15,000.00 JPY" not in page


def test_add_edit_archive_restore_and_choose_the_default_on_the_page(alice, alice_client):
    response = alice_client.post(
        "/accounts/",
        {"name": "Savings", "kind": "savings", "currency": "EUR", "balance": "500", "credit_limit": ""},
        follow=True,
    )
    assert "Account added." in text(response)
    savings = Account.objects.get(user=alice, name="Savings")
    assert savings.balance == Decimal("500.00") and not savings.is_default

    edit = {"name": "Rainy day", "kind": "savings", "currency": "EUR", "balance": "480.00", "credit_limit": ""}
    assert "Account saved." in text(alice_client.post(f"/accounts/{savings.pk}/edit/", edit, follow=True))
    savings.refresh_from_db()
    assert (savings.name, savings.balance) == ("Rainy day", Decimal("480.00"))

    page = text(alice_client.post(f"/accounts/{savings.pk}/archive/", follow=True))
    assert "“Rainy day” is archived" in page and "Archived" in page
    assert text(alice_client.get("/transactions/")).count("Rainy day") == 0
    alice_client.post(f"/accounts/{savings.pk}/restore/")
    page = text(alice_client.post(f"/accounts/{savings.pk}/default/", follow=True))
    assert "“Rainy day” is now your default account." in page
    assert default_of(alice) == savings


def test_archiving_the_default_on_the_page_is_refused_with_a_reason(alice, alice_client):
    main = default_of(alice)
    page = text(alice_client.post(f"/accounts/{main.pk}/archive/", follow=True))
    assert "make another account the default before archiving it" in page
    main.refresh_from_db()
    assert not main.is_archived


def test_a_bad_account_form_names_the_field(alice_client):
    response = alice_client.post("/accounts/", {"name": "", "kind": "piggy", "currency": "EUR", "balance": "x"})
    assert response.status_code == 200
    page = text(response)
    assert "This field is required." in page and "Select a valid choice." in page and "Enter a number." in page


@pytest.mark.parametrize("client_name", ["bob_client", "staff_client"])
def test_others_get_404_on_alices_account_pages(request, alice, card, client_name):
    client = request.getfixturevalue(client_name)
    assert card.name not in text(client.get("/accounts/"))
    assert client.get(f"/accounts/{card.pk}/edit/").status_code == 404
    for change in ("archive", "default"):
        assert client.post(f"/accounts/{card.pk}/{change}/").status_code == 404
    card.refresh_from_db()
    assert not card.is_archived and not card.is_default


def test_anonymous_is_sent_to_log_in(anon_client):
    assert anon_client.get("/accounts/")["Location"].startswith("/login/?next=")


# --- the transaction form ------------------------------------------------------------------------------


def test_the_transaction_form_preselects_the_default_and_hides_archived_accounts(alice, alice_client, card):
    old = services.account_create(user=alice, name="Old wallet", kind="cash")
    services.account_update(user=alice, account=old, archived=True)
    page = text(alice_client.get("/transactions/"))
    assert f'<option value="{default_of(alice).pk}" selected>Main account</option>' in page
    assert "Old wallet" not in page
    assert 'data-shown-for-kind="transfer"' in page and "transaction-form.js" in page


def test_a_transaction_added_on_the_page_without_an_account_goes_to_the_default(alice, alice_client):
    form = {"kind": "expense", "amount": "4.20", "occurred_at": "2026-11-03T09:15", "merchant": "Kiosk"}
    response = alice_client.post("/transactions/", form, follow=True)
    assert "Transaction added." in text(response)
    assert Transaction.objects.get(user=alice, merchant="Kiosk").account == default_of(alice)


# --- budgets: one per category and month, on every database -----------------------------------------


@pytest.mark.parametrize(("category", "month"), [(None, None), (None, "2026-11-01"), ("x", None), ("x", "2026-11-01")])
def test_a_second_budget_for_the_same_category_and_month_is_refused_by_the_database(alice, category, month):
    fields = {"user": alice, "amount": Decimal("10"), "month": month}
    fields["category"] = system_category("groceries") if category else None
    Budget.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Budget.objects.create(**fields)


def test_system_checks_print_no_warning():
    out = StringIO()
    call_command("check", stdout=out, stderr=out)
    assert "W047" not in out.getvalue() and "WARNINGS" not in out.getvalue()


def test_the_data_migration_gives_every_existing_user_one_default(alice, bob):
    from django.apps import apps

    migration = importlib.import_module("finance.migrations.0008_default_accounts")
    # As before this wave: alice has a savings and a checking account, bob none, and nobody a default.
    Account.objects.all().delete()
    savings = Account.objects.create(user=alice, name="Savings", kind="savings")
    checking = Account.objects.create(user=alice, name="Checking", kind="checking")

    migration.defaults_choose(apps, None)
    migration.defaults_choose(apps, None)  # a second run changes nothing

    assert default_of(alice) == checking and not Account.objects.get(pk=savings.pk).is_default
    assert default_of(bob).name == "Main account" and Account.objects.filter(user=bob).count() == 1
