"""A new person's whole first session in a real browser (Chromium), against a real daphne and
Celery worker: sign up, add an account and an expense, set a budget, see the alert on the page
that caused it, watch the dashboard follow a change made in another tab, import a file, read
insights, accept a recommendation a staff member approved in the admin. Every page is checked
for internal names, and the figures of the dashboard, budgets and insights for agreement."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from config.testing.browser import assert_in_peoples_words
from conftest import PASSWORD, make_user
from operators.permissions import OPERATORS_GROUP
from operators.tests.factories import RecommendationFactory
from users.models import User
from users.services import consent_set

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]

BANK_FILE = Path(__file__).parents[2] / "finance" / "tests" / "fixtures" / "imports" / "us_bank_debit_credit.csv"
WAIT = 20_000  # ms: the worker and the socket on a busy machine


def amount(text: str) -> Decimal:
    """The first amount written in `text` ("1,234.50 USD" -> 1234.50)."""
    return Decimal(re.search(r"\d[\d,]*\.\d\d", text).group(0).replace(",", ""))


def visit(page, url: str) -> None:
    page.goto(url)
    assert_in_peoples_words(page)


def add_expense(page, server: str, *, amount: str, merchant: str, category: str) -> None:
    page.goto(f"{server}/transactions/")
    page.select_option("#id_kind", "expense")
    page.fill("#id_amount", amount)
    if not page.input_value("#id_account"):
        page.select_option("#id_account", index=1)
    page.fill("#id_merchant", merchant)
    page.select_option("#id_category", label=category)
    page.click("form[action='/transactions/'] button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Transaction added.")


def sign_up(page, server: str, email: str) -> None:
    visit(page, f"{server}/signup/")
    page.fill("#id_email", email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/dashboard/")
    assert_in_peoples_words(page)


def add_account_when_asked(page, server: str) -> None:
    """The transactions page asks for an account first when the person has none."""
    page.goto(f"{server}/transactions/")
    if page.locator("form[action='/accounts/add/']").count():
        page.fill("form[action='/accounts/add/'] input[name=name]", "Everyday checking")
        page.click("form[action='/accounts/add/'] button[type=submit]")
        expect(page.locator(".messages")).to_contain_text("Account added.")


def test_a_new_persons_first_session(page, daphne_server, celery_worker):
    server = daphne_server
    sign_up(page, server, "erin@example.com")
    erin = User.objects.get(email="erin@example.com")
    add_account_when_asked(page, server)
    add_expense(page, server, amount="20.00", merchant="Corner market", category="Groceries")
    assert_in_peoples_words(page)

    # A budget, then an expense that crosses it: the alert shows on the page that caused it.
    visit(page, f"{server}/budgets/")
    page.select_option("#id_category", label="Groceries")
    page.fill("#id_amount", "100")
    page.click("form button:has-text('Set budget')")
    expect(page.locator(".messages")).to_contain_text("Budget set.")
    page.wait_for_selector('#bell-count[data-live="open"]', timeout=WAIT)
    add_expense(page, server, amount="65.00", merchant="Weekly shop", category="Groceries")
    toast = page.wait_for_selector("#toasts .toast", timeout=WAIT)
    assert "Groceries" in toast.text_content()
    expect(page.locator("#bell-count")).not_to_have_text("0", timeout=WAIT)

    # The dashboard follows a change made in another tab, without a reload.
    visit(page, f"{server}/dashboard/")
    page.wait_for_selector('#bell-count[data-live="open"]', timeout=WAIT)
    bar = page.locator("#budgets .budget-text").first
    expect(bar).to_contain_text("85.00 of 100.00")
    other = page.context.new_page()
    add_expense(other, server, amount="10.00", merchant="Bakery", category="Groceries")
    other.close()
    expect(page.locator("#budgets .budget-text").first).to_contain_text("95.00 of 100.00", timeout=WAIT)
    expect(page.locator("[data-live-status]")).to_contain_text("Figures updated")

    # Figures agree: the dashboard, the budgets page and insights, for the same month.
    spent_dashboard = amount(page.inner_text("#daily-summary"))
    visit(page, f"{server}/budgets/")
    spent_budgets = amount(page.locator(".budget-text").first.inner_text())
    visit(page, f"{server}/insights/")
    spent_insights = amount(page.inner_text("p.lead"))
    groceries_insights = amount(page.locator("tr", has_text="Groceries").first.inner_text())
    assert spent_dashboard == spent_insights == Decimal("95.00")
    assert spent_budgets == groceries_insights == Decimal("95.00")

    # Import a bank file and see what it did.
    visit(page, f"{server}/imports/")
    page.set_input_files("input[type=file]", str(BANK_FILE))
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/imports/\d+/$"))
    expect(page.locator("[data-field=status]")).to_have_text("Done", timeout=WAIT)
    assert int(page.inner_text("[data-field=created]")) > 0
    assert_in_peoples_words(page)
    visit(page, f"{server}/transactions/?month=2025-01")
    assert "00:00" not in page.inner_text("table.transactions")

    for path in ("/categories/", "/alerts/rules/", "/alerts/rules/add/", "/notifications/", "/settings/",
                 "/settings/consent/", "/settings/channels/", "/recommendations/"):  # fmt: skip
        visit(page, server + path)

    # Staff approve a recommendation in the admin; the person accepts it.
    consent_set(user=erin, scope="recommendations", granted=True, source="web")
    recommendation = RecommendationFactory(user=erin, title="Plan one big weekly shop")
    operator = make_user("dana@example.com", display_name="Dana", is_staff=True)
    operator.groups.add(Group.objects.get(name=OPERATORS_GROUP))
    staff = page.context.browser.new_context(viewport={"width": 1280, "height": 800})
    admin = staff.new_page()
    admin.goto(f"{server}/admin/login/")
    admin.fill("#id_username", operator.email)
    admin.fill("#id_password", PASSWORD)
    admin.click("input[type=submit]")
    visit(admin, f"{server}/admin/insights/recommendation/?status__exact=pending_review")
    assert admin.evaluate("document.documentElement.scrollWidth") <= 1280  # the queue fits, no sideways scroll
    admin.click(f"text={recommendation.title}")
    assert_in_peoples_words(admin)
    admin.fill("form[aria-label=Approve] textarea[name=notes]", "Clear and kind")
    admin.click("form[aria-label=Approve] button[type=submit]")
    expect(admin.locator("ul.messagelist")).to_contain_text("approve recorded")
    visit(admin, f"{server}/admin/operators/dashboard/")
    staff.close()

    visit(page, f"{server}/recommendations/")
    page.click(f"article:has-text('{recommendation.title}') button:has-text('Accept')")
    expect(page.locator(f"article:has-text('{recommendation.title}')")).to_contain_text("You accepted this suggestion.")
    assert_in_peoples_words(page)
