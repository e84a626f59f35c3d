"""The pages still work in a real browser under the Content-Security-Policy: their scripts run
and the browser refuses nothing."""

import pytest
from django.conf import settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["/dashboard/", "/transactions/", "/budgets/", "/notifications/", "/settings/channels/", "/imports/"]


def test_pages_run_their_scripts_with_nothing_refused(browser, live_server, alice_client):
    context = browser.new_context(timezone_id="Asia/Tokyo")
    page = context.new_page()
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )

    page.goto(live_server.url + "/signup/")
    assert page.input_value("select[data-browser-timezone]") == "Asia/Tokyo"  # timezone-default.js ran

    session = alice_client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    for url in PAGES:
        assert page.goto(live_server.url + url).status == 200, url
        # notifications.js ran: it marks the bell open or closed (this test server speaks no WebSocket)
        page.wait_for_selector("#bell-count[data-live]", timeout=15_000)
    context.close()
    assert refused == []
