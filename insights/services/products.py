"""The product catalogue for offers, loaded from JSON (the bundled catalogue or an operator's file)."""

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from insights.analytics.personas import NAMES
from insights.models import Product

BUNDLED_CATALOGUE = Path(__file__).resolve().parent.parent / "catalogue.json"
CONDITIONS = {"max_utilization", "min_monthly_income", "min_savings", "has_account_kind"}


def _clean(entry: dict) -> dict:
    errors = {}
    for field in ("slug", "name", "kind", "description"):
        if not isinstance(entry.get(field), str) or not entry[field]:
            errors[field] = ["Required text."]
    unknown_personas = set(entry.get("personas", [])) - set(NAMES)
    if unknown_personas:
        errors["personas"] = [f"Unknown personas: {', '.join(sorted(unknown_personas))}."]
    unknown_conditions = set(entry.get("conditions", {})) - CONDITIONS
    if unknown_conditions:
        errors["conditions"] = [f"Unknown conditions: {', '.join(sorted(unknown_conditions))}."]
    try:
        savings = Decimal(str(entry.get("estimated_monthly_savings", "0"))).quantize(Decimal("0.01"))
    except InvalidOperation:
        errors["estimated_monthly_savings"] = ["Not an amount."]
        savings = Decimal("0.00")
    if errors:
        raise ValidationError(errors)
    return {
        "name": entry["name"], "kind": entry["kind"], "description": entry["description"],
        "personas": list(entry.get("personas", [])), "conditions": dict(entry.get("conditions", {})),
        "estimated_monthly_savings": savings, "active": bool(entry.get("active", True)),
    }  # fmt: skip


@transaction.atomic
def products_load(*, catalogue: list[dict] | None = None) -> int:
    """Create or update products by slug. Without a catalogue, the bundled one is loaded."""
    if catalogue is None:
        catalogue = json.loads(BUNDLED_CATALOGUE.read_text())
    for entry in catalogue:
        Product.objects.update_or_create(slug=entry.get("slug"), defaults=_clean(entry))
    return len(catalogue)
