"""The browser tests' scanner for words a person should never read (config/testing/browser.py)."""

from config.testing.browser import wording_problems


def test_internal_names_stored_dates_and_wrong_plurals_are_found():
    text = "Undo entrys · Anomalys · You have 1 recurring payments · in_app · pending_review · 2026-12-01 · null"
    found = " ".join(wording_problems(text))
    for word in ("entrys", "Anomalys", "1 recurring payments", "in_app", "pending_review", "2026-12-01", "null"):
        assert word in found


def test_peoples_words_pass():
    text = (
        "Held for quiet hours · 1 recurring payment · 2 days left · Page 1 of 3 · up 25% on last month · "
        "Import of my_bank_export.csv · 6 Dec 2026, 14:03 · America/New_York"
    )
    assert wording_problems(text) == []
