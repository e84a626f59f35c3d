"""Accounts, categories, budgets (and their status) and categorisation rules through the API."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.months import format_month, month_start
from finance import services
from finance.models import Account, Budget, CategorizationRule, Category


@pytest.fixture
def checking(alice):
    return services.account_create(user=alice, name="Checking", currency="EUR", balance=Decimal("100.00"))


@pytest.fixture
def budget(alice):
    return services.budget_create(user=alice, category="groceries", amount=Decimal("300.00"))


@pytest.fixture
def rule(alice):
    return services.categorization_rule_create(
        user=alice, field="merchant", operator="contains", value="lidl", category="groceries"
    )


@pytest.fixture
def owned(checking, budget, rule):
    """alice's account, budget and rule, by endpoint."""
    return {"accounts": checking, "budgets": budget, "categorization-rules": rule}


ENDPOINTS = ["accounts", "budgets", "categorization-rules"]


def url(endpoint: str, obj=None) -> str:
    return f"/api/v1/{endpoint}/" + (f"{obj.pk}/" if obj else "")


# --- the access cast on every endpoint ------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_owner_lists_and_reads(alice, alice_api, owned, endpoint):
    listed = alice_api.get(url(endpoint))
    assert listed.status_code == 200
    expected = [owned[endpoint].pk]
    if endpoint == "accounts":  # "Checking", then the "Main account" every person starts with
        expected.append(alice.accounts.get(is_default=True).pk)
    assert [row["id"] for row in listed.json()["results"]] == expected
    assert alice_api.get(url(endpoint, owned[endpoint])).status_code == 200


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("client_name", ["bob_api", "staff_api"])
def test_others_never_see_it(request, owned, endpoint, client_name):
    client = request.getfixturevalue(client_name)
    listed = client.get(url(endpoint)).json()["results"]
    assert owned[endpoint].pk not in [row["id"] for row in listed]
    assert all(row.get("name") == "Main account" for row in listed)  # at most their own default account
    for method in ("get", "put", "patch", "delete"):
        response = getattr(client, method)(url(endpoint, owned[endpoint]), {"amount": "1.00"}, format="json")
        assert response.status_code == 404, method
    assert type(owned[endpoint]).objects.filter(pk=owned[endpoint].pk).exists()


@pytest.mark.parametrize("endpoint", [*ENDPOINTS, "categories"])
def test_anonymous_gets_401(anon_api, owned, endpoint):
    assert anon_api.get(url(endpoint)).status_code == 401
    assert anon_api.post(url(endpoint), {}, format="json").status_code == 401
    if endpoint != "categories":
        for method in ("get", "put", "patch", "delete"):
            assert getattr(anon_api, method)(url(endpoint, owned[endpoint])).status_code == 401


def test_anonymous_budget_status_is_401(anon_api):
    assert anon_api.get("/api/v1/budgets/status/").status_code == 401


# --- accounts -------------------------------------------------------------------------------------


def test_create_account(alice_api):
    body = {"name": "Visa", "kind": "credit", "currency": "EUR", "balance": "250.00", "credit_limit": "2000.00"}
    response = alice_api.post(url("accounts"), body, format="json")
    assert response.status_code == 201
    answer = {"id": response.json()["id"], **body, "is_default": False, "archived": False, "archived_at": None}
    assert response.json() == answer


@pytest.mark.parametrize(
    ("field", "value"),
    [("kind", "piggy"), ("currency", "XXX"), ("balance", "NaN"), ("balance", "1.001"), ("credit_limit", "Infinity"),
     ("name", ""), ("balance", "1e30")],
)  # fmt: skip
def test_bad_account_is_a_400(alice_api, field, value):
    body = {"name": "Main", "kind": "checking", "currency": "EUR", field: value}
    response = alice_api.post(url("accounts"), body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_update_and_delete_account(alice_api, alice):
    account = services.account_create(user=alice, name="Old", currency="EUR")
    response = alice_api.patch(url("accounts", account), {"name": "New"}, format="json")
    assert response.status_code == 200 and response.json()["name"] == "New"
    assert alice_api.delete(url("accounts", account)).status_code == 204
    assert not Account.objects.filter(pk=account.pk).exists()


def test_account_with_transactions_is_not_deleted(alice_api, alice, checking):
    services.transaction_record(user=alice, account=checking, amount=Decimal("5.00"))
    response = alice_api.delete(url("accounts", checking))
    assert response.status_code == 400
    assert "account" in response.json()


# --- categories -----------------------------------------------------------------------------------


def test_categories_list_system_and_own(alice_api, alice, bob):
    services.category_create(user=alice, name="Pets")
    services.category_create(user=bob, name="Boats")
    response = alice_api.get(url("categories"), {"page_size": 500})
    slugs = {row["slug"]: row for row in response.json()["results"]}
    assert {"groceries", "dining", "other", "pets"} <= set(slugs)
    assert "boats" not in slugs
    assert slugs["groceries"]["is_system"] is True
    assert slugs["pets"]["is_system"] is False


def test_create_category_with_parent(alice_api):
    response = alice_api.post(url("categories"), {"name": "Coffee", "parent": "dining"}, format="json")
    assert response.status_code == 201
    assert response.json()["slug"] == "coffee"
    assert response.json()["parent"] == "dining"
    assert response.json()["is_system"] is False


@pytest.mark.parametrize(
    ("body", "field"),
    [({"name": ""}, "name"), ({"name": "Groceries"}, "slug"), ({"name": "X", "parent": "nope"}, "parent")],
)
def test_bad_category_is_a_400(alice_api, body, field):
    response = alice_api.post(url("categories"), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Category.objects.filter(user__isnull=False).exists()


def test_another_users_category_as_parent_is_a_400(alice_api, bob):
    services.category_create(user=bob, name="Boats")
    response = alice_api.post(url("categories"), {"name": "Sails", "parent": "boats"}, format="json")
    assert response.status_code == 400
    assert "parent" in response.json()


# --- budgets ----------------------------------------------------------------------------------------


def test_create_budgets(alice_api):
    every_month = alice_api.post(url("budgets"), {"category": "dining", "amount": "150.00"}, format="json")
    assert every_month.status_code == 201
    assert every_month.json() == {
        "id": every_month.json()["id"], "category": "dining", "amount": "150.00", "month": None, "rollover": False,
    }  # fmt: skip
    overall = alice_api.post(
        url("budgets"), {"category": None, "amount": 2000, "month": "2026-11", "rollover": True}, format="json"
    )
    assert overall.status_code == 201
    assert overall.json()["category"] is None
    assert overall.json()["month"] == "2026-11"
    assert overall.json()["amount"] == "2000.00"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": "NaN"}, "amount"),
        ({"amount": "-10"}, "amount"),
        ({"amount": "10.001"}, "amount"),
        ({"amount": "1e20"}, "amount"),
        ({"amount": "10", "month": "2026-13"}, "month"),
        ({"amount": "10", "month": "November"}, "month"),
        ({"amount": "10", "category": "nope"}, "category"),
        ({"amount": "10", "rollover": "maybe"}, "rollover"),
    ],
)
def test_bad_budget_is_a_400(alice_api, body, field):
    response = alice_api.post(url("budgets"), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Budget.objects.exists()


def test_a_second_budget_for_the_same_category_and_month_is_a_400(alice_api, budget):
    response = alice_api.post(url("budgets"), {"category": "groceries", "amount": "10"}, format="json")
    assert response.status_code == 400


def test_adjust_and_delete_budget(alice_api, budget):
    response = alice_api.patch(url("budgets", budget), {"amount": "350.00", "rollover": True}, format="json")
    assert response.status_code == 200
    assert response.json()["amount"] == "350.00" and response.json()["rollover"] is True
    assert alice_api.delete(url("budgets", budget)).status_code == 204
    assert not Budget.objects.exists()


# --- budget status ---------------------------------------------------------------------------------


def test_budget_status_this_month(alice_api, alice, checking, budget):
    services.transaction_record(
        user=alice, account=checking, amount=Decimal("30.00"), category="groceries", occurred_at=timezone.now()
    )
    services.transaction_record(
        user=alice, account=checking, amount=Decimal("99.00"), category="dining", occurred_at=timezone.now()
    )
    response = alice_api.get("/api/v1/budgets/status/")
    assert response.status_code == 200
    [status] = response.json()
    assert status["category"] == "groceries"
    assert status["budget"] == "300.00"
    assert status["spent"] == "30.00"
    assert status["remaining"] == "270.00"
    assert status["status"] in {"ok", "warning", "over"}
    assert 0 <= status["adherence_probability"] <= 1
    assert set(status) >= {"percent", "daily_burn", "projected_total", "projected_overrun_on"}


def test_budget_status_for_another_month(alice_api, alice, checking):
    month = month_start(timezone.now(), alice.timezone) - timedelta(days=40)
    services.budget_create(user=alice, category=None, amount=Decimal("50.00"), month=month.replace(day=1))
    response = alice_api.get("/api/v1/budgets/status/", {"month": format_month(month)})
    assert response.status_code == 200
    assert [row["category"] for row in response.json()] == [None]
    assert alice_api.get("/api/v1/budgets/status/").json() == []


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "26-01", "now"])
def test_budget_status_bad_month_is_a_400(alice_api, month):
    response = alice_api.get("/api/v1/budgets/status/", {"month": month})
    assert response.status_code == 400
    assert "month" in response.json()


def test_budget_status_shows_only_own_budgets(bob_api, budget):
    assert bob_api.get("/api/v1/budgets/status/").json() == []


# --- categorisation rules ------------------------------------------------------------------------


def test_rule_categorises_new_transactions(alice_api, checking):
    body = {"field": "merchant", "operator": "starts_with", "value": "Shell", "category": "transport", "priority": 10}
    created = alice_api.post(url("categorization-rules"), body, format="json")
    assert created.status_code == 201
    assert created.json() == {"id": created.json()["id"], **body}
    txn = alice_api.post(
        "/api/v1/transactions/", {"account": checking.pk, "amount": "60.00", "merchant": "Shell Berlin"}, format="json"
    ).json()
    assert txn["category"] == "transport"
    assert txn["category_source"] == "rule"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"operator": "regex", "value": "(unclosed"}, "value"),
        ({"operator": "regex", "value": "[z-a]"}, "value"),
        ({"operator": "regex", "value": r"(a)\1"}, "value"),  # a backreference: RE2 cannot run it
        ({"operator": "regex", "value": "(?<=card )shop"}, "value"),  # a lookbehind
        ({"operator": "sounds_like"}, "operator"),
        ({"field": "amount"}, "field"),
        ({"category": "nope"}, "category"),
        ({"value": ""}, "value"),
        ({"priority": "first"}, "priority"),
    ],
)
def test_bad_rule_is_a_400(alice_api, body, field):
    rule = {"field": "merchant", "operator": "contains", "value": "x", "category": "groceries", **body}
    response = alice_api.post(url("categorization-rules"), rule, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not CategorizationRule.objects.exists()


def test_bad_regex_on_update_is_a_400(alice_api, rule):
    response = alice_api.patch(url("categorization-rules", rule), {"operator": "regex", "value": "a("}, format="json")
    assert response.status_code == 400
    assert "value" in response.json()
    rule.refresh_from_db()
    assert rule.operator == "contains"


def test_edit_and_delete_rule(alice_api, rule):
    response = alice_api.put(
        url("categorization-rules", rule),
        {"field": "description", "operator": "regex", "value": r"^card \d+", "category": "fees", "priority": 5},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["category"] == "fees"
    assert alice_api.delete(url("categorization-rules", rule)).status_code == 204
    assert not CategorizationRule.objects.exists()
