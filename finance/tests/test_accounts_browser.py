"""A new person in a real browser (headless Chromium): sign up, add an account, add an expense on the
account that is preselected, and see "To account" appear only for a transfer."""

import re

import pytest

from conftest import PASSWORD
from finance.models import Account, Transaction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def label(text: str) -> re.Pattern:
    """The whole label, with or without Django's ':' after it."""
    return re.compile(rf"^{re.escape(text)}:?$")


def test_sign_up_add_an_account_and_an_expense(page, live_server):
    page.goto(live_server.url + "/signup/")
    page.get_by_label("Email").fill("newcomer@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Currency").select_option("EUR")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/dashboard/")

    page.get_by_role("link", name="Accounts").click()
    assert "Main account" in page.locator("table.accounts").inner_text()
    page.get_by_label("Name").fill("Visa card")
    page.get_by_label("Kind").select_option(label="Credit card")
    page.get_by_label("Opening balance").fill("200")
    page.get_by_label("Credit limit").fill("1500")
    page.get_by_role("button", name="Add account").click()
    assert page.get_by_role("status").filter(has_text="Account added.").is_visible()
    assert "200.00 EUR owed" in page.locator("table.accounts").inner_text()

    page.get_by_role("link", name="Transactions", exact=True).click()
    form = page.locator("form[data-transaction-form]")
    account = form.get_by_label(label("Account"))
    main = Account.objects.get(user__email="newcomer@example.com", is_default=True)
    assert account.input_value() == str(main.pk)  # the default account, preselected
    to_account = form.get_by_label(label("To account"))
    assert to_account.is_hidden()  # an expense has no destination
    form.get_by_label(label("Kind")).select_option("transfer")
    assert to_account.is_visible()
    form.get_by_label(label("Kind")).select_option("expense")
    assert to_account.is_hidden()

    form.get_by_label(label("Amount")).fill("23.40")
    form.get_by_label(label("Merchant")).fill("Corner bakery")
    form.get_by_role("button", name="Add", exact=True).click()
    assert page.get_by_role("status").filter(has_text="Transaction added.").is_visible()
    assert "Corner bakery" in page.locator("table.transactions").inner_text()
    recorded = Transaction.objects.get(user__email="newcomer@example.com", merchant="Corner bakery")
    assert (recorded.account_id, recorded.to_account_id) == (main.pk, None)
