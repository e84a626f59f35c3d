"""core.money: amounts are rounded and written to their currency's minor units."""

from decimal import Decimal

import pytest

from core.money import cents_format, cents_to_decimal, money_format, money_round


@pytest.mark.parametrize(
    ("amount", "currency", "written"),
    [
        (Decimal("1234.5"), "EUR", "1,234.50 EUR"),
        (Decimal("1234.5"), "JPY", "1,235 JPY"),
        (Decimal("1234.5"), "KWD", "1,234.500 KWD"),
        (Decimal("0.005"), "USD", "0.01 USD"),
        (Decimal("-1234567.891"), "USD", "-1,234,567.89 USD"),
        (Decimal("0"), "EUR", "0.00 EUR"),
        ("99.995", "GBP", "100.00 GBP"),
    ],
)
def test_money_format_writes_the_currencys_decimal_places(amount, currency, written):
    assert money_format(amount, currency) == written


def test_money_round_is_half_up_at_the_smallest_unit():
    assert money_round(Decimal("2.5"), "JPY") == Decimal("3")
    assert money_round(Decimal("0.0125"), "BHD") == Decimal("0.013")
    assert money_round(Decimal("10.125"), "EUR") == Decimal("10.13")


def test_an_unknown_code_gets_two_places():
    assert money_format(Decimal("3"), "XXX") == "3.00 XXX"


def test_cents_come_back_as_two_place_decimals_rounded_half_up():
    assert cents_to_decimal(12345) == Decimal("123.45")
    assert cents_to_decimal(12.5) == Decimal("0.13")
    assert cents_to_decimal(-12.5) == Decimal("-0.13")
    assert cents_to_decimal(10**17 + 1) == Decimal("1000000000000000.01")  # integers stay exact


def test_cents_are_written_in_the_users_currency():
    assert cents_format(123_456, "EUR") == "1,234.56 EUR"
    assert cents_format(123_456, "JPY") == "1,235 JPY"
