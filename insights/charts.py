"""Geometry of the insights page's peer comparison chart (the template draws it); the spending
curve is the dashboard's (finance.pages.charts)."""

WIDTH, HEIGHT, PAD = 600, 180, 24


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
