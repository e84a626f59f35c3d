"""What `seed_demo` (and so `make run`) shows a user and an operator without another command, read through the
same API they would use: a person of every persona, the demo user's recommendations (some approved, the rest in
the operator's queue), notifications and imports."""

from io import StringIO

import pytest
from django.core.management import call_command

from conftest import api_client_for
from demo.services import DEMO_APPROVED, persona_email
from finance.demo.seeding import DEMO_EMAIL, STAFF_EMAIL
from finance.demo.synthetic import PERSONA_TRAITS
from finance.models import Account, UndoEntry
from insights.models import Recommendation
from users.models import User

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", users=1, months=2, stdout=out, stderr=StringIO())
    return out.getvalue()


def results(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    return body["results"] if isinstance(body, dict) and "results" in body else body


def test_the_demo_shows_the_whole_product():
    out = seed()
    assert "6 people of the personas created" in out

    # Each persona, as the real persona code finds it in the person's data (the 180-day profile; the 30-day one
    # agrees except on days when a monthly pay falls just outside its window).
    for persona in PERSONA_TRAITS:
        person = User.objects.get(email=persona_email(persona))
        profile = api_client_for(person).get("/api/v1/insights/profile/?window=180").json()
        assert profile["persona"]["slug"] == persona, (persona, profile["persona"], profile["signals"])
        assert Account.objects.get(user=person, is_default=True).name == "Everyday checking"

    demo = User.objects.get(email=DEMO_EMAIL)
    as_demo = api_client_for(demo)
    approved = results(as_demo, "/api/v1/recommendations/")
    assert len(approved) == DEMO_APPROVED
    queue = results(
        api_client_for(User.objects.get(email=STAFF_EMAIL)),
        "/api/v1/operator/recommendations/?status=pending_review&page_size=500",
    )
    waiting = [row for row in queue if row["status"] == "pending_review"]
    assert any(row["user"] == demo.pk for row in waiting)
    assert {row["user"] for row in waiting} > {demo.pk}  # the personas' people wait for review too

    kinds = {row["kind"] for row in results(as_demo, "/api/v1/notifications/")}
    assert {"overspend", "recommendation"} <= kinds
    # Today's meals were recorded through the ledger's service, as on the page: they can be undone.
    assert UndoEntry.objects.filter(user=demo, transaction__merchant="CHIPOTLE").exists()

    imports = results(as_demo, "/api/v1/imports/")
    assert sorted((job["status"], job["created"], job["duplicates"]) for job in imports) == [
        ("done", 0, 3),
        ("done", 3, 0),
    ]

    recommendations = Recommendation.objects.count()
    again = seed()
    assert "people of the personas created" not in again and "Demo user: " in again
    assert Recommendation.objects.count() == recommendations
    assert User.objects.filter(email__endswith="@personas.spendwise.local").count() == len(PERSONA_TRAITS)
