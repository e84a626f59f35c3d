"""What a signed-in person sees: a notification pushed while the page is open shows as a
toast and moves the bell, without a reload. Real Chromium, real daphne, real Redis."""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connections

from alerts.services import notify

pytestmark = [
    pytest.mark.browser,
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
]


def notify_from_another_thread(**fields):
    """Playwright's sync API keeps an event loop running in this thread, where the
    channel layer's async_to_sync cannot run; a job would call notify from its own thread too."""

    def run():
        try:
            return notify(**fields)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def open_signed_in(page, server: str, page_client) -> None:
    session = page_client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": server}])
    page.goto(f"{server}/notifications/")
    page.wait_for_selector('#bell-count[data-live="open"]', timeout=15_000)


def test_a_pushed_notification_shows_a_toast_and_moves_the_bell(page, daphne_server, alice, alice_client):
    open_signed_in(page, daphne_server, alice_client)
    assert page.text_content("#bell-count") == "0"

    notify_from_another_thread(
        user=alice, kind="budget_threshold", severity="warning", title="Dining at 95%",
        body="You have spent 95% of your dining budget.", channels=["in_app"],
    )  # fmt: skip

    toast = page.wait_for_selector("#toasts .toast", timeout=15_000)
    assert "Dining at 95%" in toast.text_content()
    assert "You have spent 95% of your dining budget." in toast.text_content()
    page.wait_for_function("document.getElementById('bell-count').textContent === '1'", timeout=15_000)
    assert page.get_attribute("#bell", "aria-label") == "Notifications, 1 unread"
    assert page.get_attribute("#bell-count", "data-count") == "1"
    assert page.get_attribute("#toasts", "aria-live") == "polite"


def test_someone_elses_notification_does_not_reach_the_page(page, daphne_server, alice, bob, alice_client):
    open_signed_in(page, daphne_server, alice_client)

    notify_from_another_thread(
        user=bob, kind="budget_threshold", severity="info", title="Bob's budget", body="", channels=["in_app"]
    )
    notify_from_another_thread(
        user=alice, kind="budget_threshold", severity="info", title="Alice's budget", body="", channels=["in_app"]
    )

    page.wait_for_selector("#toasts .toast", timeout=15_000)
    assert [t.text_content() for t in page.query_selector_all("#toasts .toast-title")] == ["Alice's budget"]
    assert page.text_content("#bell-count") == "1"


def test_the_page_reconnects_after_a_drop(page, daphne_server, alice_client):
    sockets = []

    def pass_through(socket):
        socket.connect_to_server()
        sockets.append(socket)

    page.route_web_socket(re.compile(r"/ws/notifications/$"), pass_through)
    open_signed_in(page, daphne_server, alice_client)

    sockets[0].close(code=1012, reason="server restart")

    page.wait_for_selector(".live-status:has-text('reconnecting')", timeout=15_000)
    page.wait_for_selector('#bell-count[data-live="open"]', timeout=15_000)
    assert len(sockets) == 2
    assert page.is_hidden(".live-status")
