"""Hostile input answers a 4xx naming what is wrong, never a 500 (issue 23, "Broke" 7)."""

import pytest

from alerts.services.channels import channel_create
from core.months import LAST_DAY
from finance.services.accounts import account_create
from insights.analytics.periods import PERIODS

EDGES = ["9999-12", "0001-01", "1899-12", "3000-01"]
DAY_EDGES = ["9999-12-31", "0001-01-01", "1899-12-31", "3000-01-01"]


@pytest.mark.parametrize("month", EDGES)
@pytest.mark.parametrize(
    "path",
    ["/api/v1/transactions/", "/api/v1/budgets/status/", "/api/v1/insights/summary/", "/api/v1/insights/score/"],
)
def test_months_at_the_edges_of_the_calendar_are_a_400_naming_the_month(alice_api, path, month):
    response = alice_api.get(path, {"month": month})
    assert response.status_code == 400
    assert "month" in response.json()


@pytest.mark.parametrize("day", DAY_EDGES)
@pytest.mark.parametrize("name", ["from", "to"])
def test_days_at_the_edges_filtering_transactions_are_a_400_naming_the_filter(alice_api, name, day):
    response = alice_api.get("/api/v1/transactions/", {name: day})
    assert response.status_code == 400
    assert name in response.json()


@pytest.mark.parametrize("day", DAY_EDGES)
@pytest.mark.parametrize("period", PERIODS)
def test_every_insights_period_around_an_edge_day_is_a_400(alice_api, period, day):
    response = alice_api.get("/api/v1/insights/summary/", {"period": period, "date": day})
    assert response.status_code == 400
    assert "date" in response.json()


def test_the_last_day_of_the_calendar_is_served(alice_api):
    assert alice_api.get("/api/v1/transactions/", {"to": LAST_DAY.isoformat()}).status_code == 200
    for period in PERIODS:
        answer = alice_api.get("/api/v1/insights/summary/", {"period": period, "date": LAST_DAY.isoformat()})
        assert answer.status_code == 200, (period, answer.content)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "3000-01-01"])
def test_the_transactions_page_filters_at_the_edges_are_form_errors(alice_client, day):
    response = alice_client.get("/transactions/", {"to": day})
    assert response.status_code == 200
    assert response.context["filters"].errors["to"]  # shown beside the field; nothing listed
    assert response.context["page"].paginator.count == 0


@pytest.mark.parametrize(
    "path",
    ["/api/v1/notifications/null,null/read/", "/api/v1/notifications/1e3/read/", "/api/v1/notifications/-1/read/"],
)
def test_an_id_that_is_not_a_number_is_a_404(alice_api, path):
    assert alice_api.post(path).status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/transactions/null/", "/api/v1/budgets/abc/", "/api/v1/alert-rules/1.5/"])
def test_non_integer_ids_in_any_detail_path_are_a_404(alice_api, path):
    for method in ("get", "patch", "delete"):
        assert getattr(alice_api, method)(path, {}, format="json").status_code == 404


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/categories/", {"name": "Food\x00"}),
        ("/api/v1/accounts/", {"name": "Every\x00day", "kind": "checking"}),
        ("/api/v1/transactions/", {"amount": "1.00", "merchant": "Lidl\x00"}),
        ("/api/v1/budgets/", {"amount": "100.00", "category": "groceries\x00"}),
    ],
)
def test_nul_bytes_in_names_and_slugs_are_a_400(alice, alice_api, path, body):
    if path == "/api/v1/transactions/":
        body = {**body, "account": account_create(user=alice, name="Everyday").pk}
    response = alice_api.post(path, body, format="json")
    assert response.status_code == 400, response.content


@pytest.mark.parametrize("path", ["/api/v1/insights/benchmarks/food%00/", "/api/v1/insights/comparison/a%00b/"])
def test_nul_bytes_in_a_slug_path_are_a_4xx(alice_api, path):
    assert 400 <= alice_api.get(path).status_code < 500


@pytest.mark.parametrize("method", ["patch", "put"])
def test_moving_a_channel_onto_another_of_ones_own_targets_is_a_400(alice, alice_api, method):
    second = channel_create(user=alice, kind="email", target="alice.work@example.com")
    other = channel_create(user=alice, kind="email", target="alice.home@example.com")
    body = {"kind": "email", "target": "alice.work@example.com"}
    response = getattr(alice_api, method)(f"/api/v1/notification-channels/{other.pk}/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"target": ["You already have this channel."]}
    other.refresh_from_db()
    assert other.target == "alice.home@example.com" and second.target == "alice.work@example.com"


@pytest.mark.parametrize("name", ["category", "tag", "q", "kind"])
def test_nul_bytes_in_a_transactions_filter_are_never_a_500(alice_api, name):
    response = alice_api.get("/api/v1/transactions/", {name: "food\x00"})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.json()["count"] == 0
