import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from operators.tests.factories import RecommendationFactory
from users.services import consent_set

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_operator_approves_in_the_admin_and_the_user_sees_it(page, live_server, operator, alice):
    consent_set(user=alice, scope="recommendations", granted=True, source="web")
    recommendation = RecommendationFactory(user=alice, title="Bundle your streaming services")

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", operator.email)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/insights/recommendation/?status__exact=pending_review")
    page.click("text=Bundle your streaming services")
    page.fill("form[aria-label=Approve] textarea[name=notes]", "Clear and kind")
    page.click("form[aria-label=Approve] button[type=submit]")
    expect(page.locator("ul.messagelist")).to_contain_text("approve recorded")

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username], input[name=email]", alice.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/dashboard/")
    page.goto(f"{live_server.url}/recommendations/")
    expect(page.get_by_text(recommendation.title)).to_be_visible()
