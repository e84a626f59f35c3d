"""Ratios the analytics report."""


def percent(part: float, whole: float) -> float | None:
    """part/whole as a percentage with one decimal, None when there is nothing to compare with."""
    if not whole:
        return None
    return round(100.0 * part / whole, 1)
