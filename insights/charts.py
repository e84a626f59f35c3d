"""Geometry of the insights page's server-drawn SVG charts (the templates draw them)."""

from decimal import Decimal

WIDTH, HEIGHT, PAD = 600, 180, 24


def spending_curve(daily: list[dict], burn_rate: dict, *, days_elapsed: int) -> dict:
    """Cumulative spending so far (a solid line) and the projection to the period's end (dashed)."""
    days = len(daily) or 1
    running, points = Decimal("0"), []
    for entry in daily[:days_elapsed]:
        running += Decimal(entry["spent"])
        points.append(running)
    projected = max(Decimal(burn_rate["projected_total"]), running)
    top = float(projected) or 1.0

    def xy(day_index: int, value: Decimal) -> str:
        x = PAD + (WIDTH - 2 * PAD) * day_index / days
        y = HEIGHT - PAD - (HEIGHT - 2 * PAD) * float(value) / top
        return f"{x:.1f},{y:.1f}"

    actual = [xy(0, Decimal(0))] + [xy(i + 1, value) for i, value in enumerate(points)]
    projection = [actual[-1], xy(days, projected)] if days_elapsed < days else []
    return {"width": WIDTH, "height": HEIGHT, "actual": " ".join(actual), "projection": " ".join(projection),
            "spent": running, "projected": projected, "baseline": HEIGHT - PAD, "left": PAD, "right": WIDTH - PAD}  # fmt: skip


def box_plot(comparisons: list[dict], benchmarks: dict[str, dict]) -> dict:
    """One row per category: whiskers p10-p90, box p25-p75, the median, and the user's own amount."""
    rows, row_height, left, right = [], 44, 120, WIDTH - PAD
    for index, comparison in enumerate(comparisons):
        bench = benchmarks[comparison["category"]]
        values = {k: float(bench[k]) for k in ("p10", "p25", "p50", "p75", "p90")}
        amount = float(comparison["amount"])
        top = max(values["p90"], amount) * 1.1 or 1.0

        def x(value: float, top=top) -> float:
            return round(left + (right - left) * value / top, 1)

        y = PAD + index * row_height
        rows.append({
            "category": comparison["category"], "name": comparison.get("name", comparison["category"]), "y": y, "mid": y + 12, "label_y": y + 16, "bottom": y + 24,
            "box_width": round(x(values["p75"]) - x(values["p25"]), 1),
            **{k: x(v) for k, v in values.items()}, "you": x(amount), "amount": comparison["amount"],
            "rank": comparison["percentile_rank"], "outlier": comparison["outlier"], "p50_amount": bench["p50"],
        })  # fmt: skip
    return {"width": WIDTH, "height": PAD * 2 + row_height * len(rows), "rows": rows, "left": left}
