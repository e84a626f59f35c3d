"""The API's one error format, its pagination and its schema (docs/api.md, "Conventions").

Small views of our own stand in for the apps' endpoints so the project-wide pieces
(core/api.py and the REST_FRAMEWORK settings) are tested on their own.
"""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt.tokens import RefreshToken

from core.api import Pagination

factory = APIRequestFactory()


def budget_create_stand_in(*, amount: str) -> None:
    """Validates the way a service does: a Django ValidationError with a field dict."""
    if not amount.startswith("-"):
        return
    raise ValidationError({"amount": ["Amount must be positive."], "__all__": ["Nothing was saved."]})


class BudgetView(APIView):
    def post(self, request):
        budget_create_stand_in(amount=request.data["amount"])
        return Response({"amount": request.data["amount"]}, status=201)


class UndoView(APIView):
    def post(self, request):
        raise ValidationError("Nothing to undo.")


class MissingView(APIView):
    def get(self, request):
        raise Http404("No such budget.")


class TightThrottle(AnonRateThrottle):
    scope = "tight"
    rate = "2/min"


class ThrottledView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [TightThrottle]

    def get(self, request):
        return Response({"ok": True})


class NumbersView(APIView):
    def get(self, request):
        paginator = Pagination()
        page = paginator.paginate_queryset(list(range(1, 1201)), request, view=self)
        return Response(paginator.get_paginated_response(page).data)


def bearer(user) -> str:
    return f"Bearer {RefreshToken.for_user(user).access_token}"


def test_a_service_validation_error_becomes_400_with_the_field_dict(alice):
    request = factory.post("/budgets/", {"amount": "-5"}, format="json")
    force_authenticate(request, alice)
    response = BudgetView.as_view()(request)
    assert response.status_code == 400
    assert response.data == {"amount": ["Amount must be positive."], "non_field_errors": ["Nothing was saved."]}


def test_valid_input_passes_through(alice):
    request = factory.post("/budgets/", {"amount": "5.00"}, format="json")
    force_authenticate(request, alice)
    assert BudgetView.as_view()(request).status_code == 201


def test_a_validation_error_without_a_field_is_a_detail(alice):
    request = factory.post("/undo/")
    force_authenticate(request, alice)
    response = UndoView.as_view()(request)
    assert response.status_code == 400
    assert response.data == {"detail": "Nothing to undo."}


def test_not_found_shape(alice):
    request = factory.get("/budgets/1/")
    force_authenticate(request, alice)
    response = MissingView.as_view()(request)
    assert response.status_code == 404
    assert set(response.data) == {"detail"}


@pytest.mark.django_db
def test_missing_credentials_are_401_with_a_bearer_challenge():
    response = MissingView.as_view()(factory.get("/budgets/1/"))
    assert response.status_code == 401
    assert set(response.data) == {"detail"}
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_a_bad_token_is_401_with_a_detail():
    response = MissingView.as_view()(factory.get("/budgets/1/", HTTP_AUTHORIZATION="Bearer not-a-token"))
    assert response.status_code == 401
    assert "detail" in response.data


def test_a_real_token_is_accepted(alice):
    response = MissingView.as_view()(factory.get("/budgets/1/", HTTP_AUTHORIZATION=bearer(alice)))
    assert response.status_code == 404


def test_throttled_is_429_with_retry_after():
    view = ThrottledView.as_view()
    assert [view(factory.get("/ping/")).status_code for _ in range(2)] == [200, 200]
    response = view(factory.get("/ping/"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert set(response.data) == {"detail"}


@pytest.mark.parametrize(
    ("query", "page_length"),
    [("", 50), ("?page_size=10", 10), ("?page_size=500", 500), ("?page_size=100000", 500), ("?page_size=abc", 50)],
)
def test_page_size_is_capped_at_500(alice, query, page_length):
    request = factory.get(f"/numbers/{query}")
    force_authenticate(request, alice)
    body = NumbersView.as_view()(request).data
    assert len(body["results"]) == page_length
    assert body["results"][0] == 1
    assert body["count"] == 1200
    assert body["previous"] is None
    assert "page=2" in body["next"]


def test_the_last_page_has_no_next(alice):
    request = factory.get("/numbers/?page_size=500&page=3")
    force_authenticate(request, alice)
    body = NumbersView.as_view()(request).data
    assert body["results"][-1] == 1200
    assert body["next"] is None
    assert "page=2" in body["previous"]


@pytest.mark.django_db
def test_the_openapi_schema_lists_the_v1_api(anon_client):
    response = anon_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Spendwise API"
    assert any(path.startswith("/api/v1/") for path in schema["paths"])


@pytest.mark.django_db
def test_the_swagger_ui_loads(anon_client):
    response = anon_client.get("/api/docs/")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()
