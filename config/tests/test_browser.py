"""A newcomer in a real browser (headless Chromium, config/testing/browser.py)."""

import pytest

pytestmark = pytest.mark.browser


def test_a_newcomer_sees_the_landing_page(page, live_server):
    response = page.goto(live_server.url + "/")
    assert response.status == 200
    assert "Know before you overspend" in page.locator("h1").inner_text()
