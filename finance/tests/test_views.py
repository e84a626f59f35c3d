"""The ledger pages: the access cast, forms that add/edit/delete/undo, the dashboard's bars and charts."""

import zoneinfo
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from finance import services
from finance.models import Budget, CategorizationRule, Category, Transaction
from finance.pages.dashboard import BudgetRow
from finance.selectors import budget_status_for_month, local_today

PAGES = ["/dashboard/", "/transactions/", "/budgets/", "/categories/"]


@pytest.fixture
def checking(alice):
    return services.account_create(user=alice, name="Checking", currency="EUR", balance=Decimal("500.00"))


@pytest.fixture
def lunch(alice, checking):
    return services.transaction_record(
        user=alice, account=checking, amount=Decimal("12.50"), merchant="Cafe Luna", category="dining"
    )


@pytest.fixture
def budget(alice):
    return services.budget_create(user=alice, category="dining", amount=Decimal("100.00"))


@pytest.fixture
def rule(alice):
    return services.categorization_rule_create(
        user=alice, field="merchant", operator="contains", value="lidl", category="groceries"
    )


def content(response) -> str:
    return response.content.decode()


# --- the access cast --------------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_login(anon_client, page):
    response = anon_client.get(page)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={page}"


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("client_name", ["alice_client", "bob_client", "staff_client"])
def test_every_user_sees_their_pages(request, page, client_name):
    response = request.getfixturevalue(client_name).get(page)
    assert response.status_code == 200


@pytest.mark.parametrize("client_name", ["bob_client", "staff_client"])
def test_others_never_see_alices_data(request, lunch, budget, rule, client_name):
    client = request.getfixturevalue(client_name)
    for page in PAGES:
        assert "Cafe Luna" not in content(client.get(page))
    assert "lidl" not in content(client.get("/categories/"))


@pytest.mark.parametrize("client_name", ["bob_client", "staff_client"])
def test_others_get_404_on_alices_objects(request, lunch, budget, rule, client_name):
    client = request.getfixturevalue(client_name)
    for path in (
        f"/transactions/{lunch.pk}/edit/",
        f"/budgets/{budget.pk}/edit/",
        f"/categories/rules/{rule.pk}/edit/",
    ):
        assert client.get(path).status_code == 404
        assert client.post(path, {"amount": "1"}).status_code == 404
    for path in (
        f"/transactions/{lunch.pk}/delete/",
        f"/budgets/{budget.pk}/delete/",
        f"/categories/rules/{rule.pk}/delete/",
    ):
        assert client.post(path).status_code == 404
    assert Transaction.objects.filter(pk=lunch.pk).exists()
    assert Budget.objects.filter(pk=budget.pk).exists()
    assert CategorizationRule.objects.filter(pk=rule.pk).exists()


@pytest.mark.parametrize(
    "path", ["/transactions/1/edit/", "/transactions/1/delete/", "/transactions/undo/", "/budgets/1/edit/",
             "/categories/rules/1/edit/", "/accounts/", "/accounts/1/edit/", "/accounts/1/archive/"],
)  # fmt: skip
def test_anonymous_actions_are_sent_to_login(anon_client, path):
    response = anon_client.post(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


# --- transactions -----------------------------------------------------------------------------------


def test_add_a_transaction(alice_client, checking):
    form = {"kind": "expense", "amount": "23.40", "account": checking.pk, "occurred_at": "2026-03-05T18:30",
            "merchant": "Lidl", "description": "", "category": "", "tags": "family, weekly"}  # fmt: skip
    response = alice_client.post("/transactions/", form, follow=True)
    assert "Transaction added." in content(response)
    txn = Transaction.objects.get()
    assert txn.amount == Decimal("23.40")
    assert sorted(txn.tags.values_list("name", flat=True)) == ["family", "weekly"]
    assert txn.occurred_at.hour == 17  # 18:30 in Berlin is 17:30 UTC in March
    assert "Lidl" in content(response)


@pytest.mark.parametrize(("amount", "message"), [("-5", "greater than or equal"), ("1.234", "decimal")])
def test_bad_amount_is_shown_on_the_form(alice_client, checking, amount, message):
    form = {"kind": "expense", "amount": amount, "account": checking.pk, "occurred_at": "2026-03-05T18:30"}
    response = alice_client.post("/transactions/", form)
    assert response.status_code == 200
    assert 'aria-invalid="true"' in content(response)
    assert message in content(response)
    assert not Transaction.objects.exists()


def test_service_errors_are_shown_on_the_form(alice_client, checking):
    form = {"kind": "expense", "amount": "0", "account": checking.pk, "occurred_at": "2026-03-05T18:30"}
    response = alice_client.post("/transactions/", form)
    assert response.status_code == 200
    assert "must be positive" in content(response)


def test_search_filters_and_pages(alice_client, alice, checking):
    for index in range(55):
        services.transaction_record(user=alice, account=checking, amount=Decimal("1.00"), merchant=f"Shop {index}")
    services.transaction_record(user=alice, account=checking, amount=Decimal("99.00"), merchant="Bookstore")
    first = content(alice_client.get("/transactions/"))
    assert "56 transactions" in first and "Page 1 of 2" in first
    found = content(alice_client.get("/transactions/", {"q": "book"}))
    assert "Bookstore" in found and "Shop 1" not in found and "1 transaction." in found
    assert "Bookstore" in content(alice_client.get("/transactions/", {"min_amount": "50"}))
    bad = alice_client.get("/transactions/", {"month": "2026-13"})
    assert bad.status_code == 200
    assert 'aria-invalid="true"' in content(bad)


def test_edit_a_transaction(alice_client, lunch):
    page = alice_client.get(f"/transactions/{lunch.pk}/edit/")
    assert "Cafe Luna" in content(page)
    form = {"kind": "expense", "amount": "15.00", "account": lunch.account_id, "occurred_at": "2026-03-05T12:00",
            "merchant": "Cafe Luna", "category": "dining", "tags": ""}  # fmt: skip
    response = alice_client.post(f"/transactions/{lunch.pk}/edit/", form, follow=True)
    assert "Transaction saved." in content(response)
    lunch.refresh_from_db()
    assert lunch.amount == Decimal("15.00")


def test_delete_then_undo(alice_client, lunch):
    response = alice_client.post(f"/transactions/{lunch.pk}/delete/", follow=True)
    assert "Transaction deleted" in content(response)
    assert not Transaction.objects.filter(pk=lunch.pk).exists()
    undone = alice_client.post("/transactions/undo/", follow=True)
    assert "Restored “Cafe Luna”" in content(undone)
    assert Transaction.objects.filter(pk=lunch.pk).exists()


def test_undo_an_edit_and_then_the_add(alice_client, alice, lunch):
    services.transaction_update(user=alice, transaction=lunch, amount=Decimal("40.00"))
    first = content(alice_client.post("/transactions/undo/", follow=True))
    assert "Undid the change to “Cafe Luna”" in first
    lunch.refresh_from_db()
    assert lunch.amount == Decimal("12.50")
    assert "Undid adding “Cafe Luna”" in content(alice_client.post("/transactions/undo/", follow=True))
    assert "Nothing left to undo." in content(alice_client.post("/transactions/undo/", follow=True))


def test_undo_goes_back_to_the_page_it_came_from_only_on_this_site(alice_client, lunch):
    assert alice_client.post("/transactions/undo/", {"next": "/dashboard/"})["Location"] == "/dashboard/"
    assert alice_client.post("/transactions/undo/", {"next": "https://evil.example/"})["Location"] == "/transactions/"


def test_bob_cannot_undo_alices_changes(bob_client, lunch):
    assert "Nothing left to undo." in content(bob_client.post("/transactions/undo/", follow=True))
    assert Transaction.objects.filter(pk=lunch.pk).exists()


def test_times_are_shown_in_the_users_timezone(alice_client, alice, checking):
    moment = timezone.now().replace(hour=10, minute=15, second=0, microsecond=0)
    services.transaction_record(
        user=alice, account=checking, amount=Decimal("3.00"), merchant="Bakery", occurred_at=moment
    )
    local = timezone.localtime(moment, timezone=zoneinfo.ZoneInfo("Europe/Berlin"))
    assert local.strftime("%H:%M") in content(alice_client.get("/transactions/"))


# --- budgets ---------------------------------------------------------------------------------------


def test_set_a_budget_and_see_its_status(alice_client, alice, checking):
    response = alice_client.post(
        "/budgets/", {"category": "dining", "amount": "200", "month": "", "rollover": "on"}, follow=True
    )
    assert "Budget set." in content(response)
    budget = Budget.objects.get()
    assert budget.rollover and budget.month is None
    services.transaction_record(user=alice, account=checking, amount=Decimal("50.00"), category="dining")
    page = content(alice_client.get("/budgets/"))
    assert 'role="progressbar"' in page
    assert "50.00 of 200.00 EUR spent (25%)" in page


def test_set_a_budget_for_one_month(alice_client):
    alice_client.post("/budgets/", {"category": "", "amount": "1500", "month": "2026-12"})
    budget = Budget.objects.get()
    assert budget.category is None and budget.month.isoformat() == "2026-12-01"


@pytest.mark.parametrize(
    ("form", "message"), [({"amount": "abc"}, "Enter a number"), ({"amount": "10", "month": "2026-13"}, "YYYY-MM")]
)
def test_bad_budget_is_shown_on_the_form(alice_client, form, message):
    response = alice_client.post("/budgets/", {"category": "", **form})
    assert response.status_code == 200
    assert message in content(response)
    assert not Budget.objects.exists()


def test_duplicate_budget_error_is_shown(alice_client, budget):
    response = alice_client.post("/budgets/", {"category": "dining", "amount": "10"})
    assert "already a budget" in content(response)


def test_adjust_and_remove_a_budget(alice_client, budget):
    response = alice_client.post(f"/budgets/{budget.pk}/edit/", {"category": "dining", "amount": "120"}, follow=True)
    assert "Budget saved." in content(response)
    budget.refresh_from_db()
    assert budget.amount == Decimal("120.00")
    alice_client.post(f"/budgets/{budget.pk}/delete/")
    assert not Budget.objects.exists()


# --- categories and rules ------------------------------------------------------------------------


def test_add_a_category(alice_client, alice):
    response = alice_client.post(
        "/categories/", {"adding": "category", "category-name": "Pets", "category-parent": ""}, follow=True
    )
    assert "Category added." in content(response)
    assert Category.objects.get(user=alice).slug == "pets"


def test_add_a_category_that_clashes(alice_client):
    response = alice_client.post("/categories/", {"adding": "category", "category-name": "Groceries"})
    assert "system category" in content(response)


def test_add_edit_delete_a_rule(alice_client, alice):
    form = {"adding": "rule", "rule-field": "merchant", "rule-operator": "contains", "rule-value": "shell",
            "rule-category": "transport", "rule-priority": "10"}  # fmt: skip
    assert "Rule added." in content(alice_client.post("/categories/", form, follow=True))
    rule = CategorizationRule.objects.get(user=alice)
    edit = {"field": "merchant", "operator": "regex", "value": "^shell", "category": "transport", "priority": "5"}
    assert "Rule saved." in content(alice_client.post(f"/categories/rules/{rule.pk}/edit/", edit, follow=True))
    rule.refresh_from_db()
    assert (rule.operator, rule.priority) == ("regex", 5)
    alice_client.post(f"/categories/rules/{rule.pk}/delete/")
    assert not CategorizationRule.objects.exists()


def test_bad_regex_is_shown_on_the_rule_form(alice_client):
    form = {"adding": "rule", "rule-field": "merchant", "rule-operator": "regex", "rule-value": "(",
            "rule-category": "groceries", "rule-priority": "10"}  # fmt: skip
    response = alice_client.post("/categories/", form)
    assert response.status_code == 200
    page = content(response)
    assert 'id="id_rule-value_error"' in page
    assert not CategorizationRule.objects.exists()


# --- dashboard ---------------------------------------------------------------------------------------


def test_dashboard_shows_budget_bars_charts_and_recent(alice_client, alice, checking, budget):
    services.budget_create(user=alice, category=None, amount=Decimal("1000.00"))
    services.transaction_record(
        user=alice, account=checking, amount=Decimal("80.00"), merchant="Bistro", category="dining"
    )
    services.transaction_record(
        user=alice, account=checking, amount=Decimal("20.00"), merchant="Lidl", category="groceries"
    )
    page = content(alice_client.get("/dashboard/"))
    assert 'role="progressbar"' in page
    assert "80.00 of 100.00 EUR spent (80%)" in page
    assert "All spending" in page and "Dining" in page
    assert 'class="bar-chart"' in page and 'class="line-chart"' in page
    assert "Spent so far: <strong>100.00 EUR</strong>" in page
    assert "Projected month-end" in page
    assert "Bistro" in page and "Lidl" in page


def test_empty_dashboard_invites_to_set_a_budget(alice_client):
    page = content(alice_client.get("/dashboard/"))
    assert "Set a budget" in page
    assert "No spending recorded this month yet." in page


def test_dashboard_shows_an_overspent_budget(alice_client, alice, checking, budget):
    services.transaction_record(user=alice, account=checking, amount=Decimal("130.00"), category="dining")
    page = content(alice_client.get("/dashboard/"))
    assert "Over budget" in page and "30.00 EUR over" in page and "meter-over" in page
    assert "Chance of staying within it: almost none." in page


@pytest.mark.parametrize(
    ("chance", "words"), [(0.0631, "about 6%"), (0.5, "about 50%"), (0.999, "almost certain"), (0.001, "almost none")]
)
def test_the_chance_of_staying_within_a_budget_is_written_as_people_say_it(alice, checking, budget, chance, words):
    [status] = budget_status_for_month(user=alice, month=local_today(user=alice))
    row = BudgetRow(label="Dining", status=replace(status, adherence_probability=chance))
    assert row.chance_words == words


def test_last_months_spending_is_not_on_this_months_dashboard(alice_client, alice, checking):
    services.transaction_record(
        user=alice,
        account=checking,
        amount=Decimal("77.00"),
        merchant="Old",
        occurred_at=timezone.now() - timedelta(days=70),
    )
    page = content(alice_client.get("/dashboard/"))
    assert "Spent so far: <strong>0.00 EUR</strong>" in page
