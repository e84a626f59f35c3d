"""Cents (what pandas computes with) back to Decimal (what the rest of Spendwise speaks)."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def cents_to_decimal(cents: float | int) -> Decimal:
    """Round half up to whole cents, explicitly, then to a two-place Decimal."""
    whole = Decimal(repr(float(cents))).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return (whole / 100).quantize(CENT)


def decimal_to_cents(amount: Decimal) -> int:
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent(part: float, whole: float) -> float | None:
    """part/whole as a percentage with one decimal, None when there is nothing to compare with."""
    if not whole:
        return None
    return round(100.0 * part / whole, 1)
