"""Headless Chromium for browser tests, driven by Playwright.

    @pytest.mark.browser
    def test_landing(page, live_server):
        page.goto(live_server.url)

The system's Chromium (/usr/bin/chromium, Debian's `chromium` package; .ci/run installs
it) is used rather than a browser build Playwright would download. Without it the
tests are skipped with a reason saying what to install.
"""

import re
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the session. Playwright starts it on a fresh temporary profile
    (user-data-dir) of its own and removes it on close."""
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        # Playwright's sync API keeps its own event loop marked as running in this thread,
        # which Django's async-safety check mistakes for our code running inside it.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A tab in a context of its own: no cookies or storage carried over from another test."""
    context = browser.new_context()
    tab = context.new_page()
    yield tab
    context.close()


@pytest.hookimpl(trylast=True)  # after pytest-django's own reordering by database use
def pytest_collection_modifyitems(items):
    """Browser tests run last, so the async-safety check stays on for every other test."""
    items.sort(key=lambda item: "browser" in getattr(item, "fixturenames", ()))


# What a page must never show a person: internal names and wrong plurals (docs/pages.md).
# snake_case (in_app, pending_review); a file name the person chose (my_bank.csv) is theirs to keep.
INTERNAL_NAME = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b(?!\.[a-z0-9])")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")  # a date as stored, not as read
WRONG_PLURAL = re.compile(r"\b\w+[^aeiou\W]ys\b|\b1 (?:[a-z]+ )?[a-z]+[^s\W]s\b")  # "Undo entrys", "1 payments"
NEVER = ("SpendSense", "null", "undefined", "NaN")


def wording_problems(text: str) -> list[str]:
    """Words on a page that are not people's words, each with what is wrong."""
    problems = [f"internal name {m!r}" for m in INTERNAL_NAME.findall(text)]
    problems += [f"stored date {m!r}" for m in ISO_DATE.findall(text)]
    problems += [f"wrong plural {m.group(0)!r}" for m in WRONG_PLURAL.finditer(text)]
    problems += [f"{word!r} shown" for word in NEVER if re.search(rf"\b{word}\b", text)]
    return problems


def assert_in_peoples_words(page) -> None:
    """The page's visible text passes `wording_problems`."""
    problems = wording_problems(page.inner_text("body"))
    assert not problems, f"{page.url}: {problems}"
