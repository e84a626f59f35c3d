"""Money as people read it: rounded and written to the currency's minor units (JPY 0, USD 2, KWD 3).

The ledger stores two decimal places for every currency; pandas computes in whole cents of that
scale. Everything a person reads goes through `money_format`, so a yen amount never shows ".00"
and a dinar amount keeps its third place.
"""

from decimal import ROUND_HALF_UP, Decimal

from core.currencies import MINOR_UNITS

CENT = Decimal("0.01")


def minor_units(currency: str) -> int:
    """Decimal places of `currency`; two for a code the table does not know."""
    return MINOR_UNITS.get(currency, 2)


def money_round(amount: Decimal | int | str, currency: str) -> Decimal:
    """`amount` rounded half up to the currency's smallest unit."""
    return Decimal(amount).quantize(Decimal(1).scaleb(-minor_units(currency)), rounding=ROUND_HALF_UP)


def money_format(amount: Decimal | int | str, currency: str) -> str:
    """'1,234.50 EUR', '1,235 JPY', '1,234.500 KWD'."""
    return f"{money_round(amount, currency):,} {currency}"


def cents_to_decimal(cents: float | int) -> Decimal:
    """Cents of the ledger's scale (what pandas computes with) back to a two-place Decimal, half up."""
    whole = Decimal(cents) if isinstance(cents, int) else Decimal(repr(float(cents)))
    return (whole.quantize(Decimal(1), rounding=ROUND_HALF_UP) / 100).quantize(CENT)


def cents_format(cents: float | int, currency: str) -> str:
    """Cents of the ledger's scale as a person reads them in `currency`."""
    return money_format(cents_to_decimal(cents), currency)
