"""Every page carries a Content-Security-Policy that allows no inline script; every API answer
is private and never stored."""

import pytest

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def script_sources(response) -> list[str]:
    policy = dict(
        directive.strip().split(" ", 1) for directive in response["Content-Security-Policy"].split(";") if directive
    )
    return policy["script-src"].split()


@pytest.mark.parametrize("url", ["/", "/login/", "/signup/", "/admin/login/", "/api/docs/"])
def test_public_pages_forbid_inline_scripts(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "'self'" in script_sources(response)
    assert "'unsafe-inline'" not in script_sources(response)
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("url", ["/dashboard/", "/transactions/", "/budgets/", "/notifications/", "/settings/"])
def test_signed_in_pages_forbid_inline_scripts(alice_client, url):
    response = alice_client.get(url)
    assert response.status_code == 200
    assert script_sources(response) == ["'self'"]


def test_the_pages_have_no_inline_script_left(alice_client):
    for url in ["/", "/dashboard/", "/transactions/", "/budgets/", "/notifications/", "/signup/"]:
        html = alice_client.get(url).content.decode()
        assert "<script>" not in html and "<script defer>" not in html, url


def test_signed_in_api_answers_are_private_and_not_stored(alice_api):
    for answer in (alice_api.get("/api/v1/me/"), alice_api.get("/api/v1/transactions/")):
        assert answer.status_code == 200
        directives = {part.strip() for part in answer["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives


def test_a_token_answer_is_not_stored_either(alice, anon_api):
    answer = anon_api.post("/api/v1/auth/token/", {"email": alice.email, "password": PASSWORD})
    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"]


def test_an_error_answer_is_not_stored_either(anon_api):
    answer = anon_api.get("/api/v1/transactions/")
    assert answer.status_code == 401
    assert "no-store" in answer["Cache-Control"]
