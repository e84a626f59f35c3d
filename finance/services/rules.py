"""A user's categorisation rules (finance.categorization.rules matches them; services.categorizer loads them)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from finance.categorization import InvalidPatternError, rule_build
from finance.models import CategorizationRule, Category, RuleField, RuleOperator
from finance.services.categorizer import categorizer_changed
from finance.services.validation import Errors, check, text_clean, user_category

RULE_FIELDS = ("field", "operator", "value", "category", "priority")


def system_category_ids() -> dict[str, int]:
    return dict(Category.objects.filter(user__isnull=True).values_list("slug", "id"))


def _rule_values_clean(*, user, values: dict) -> dict:
    errors = Errors()
    cleaned = {}
    if "field" in values:
        if values["field"] not in RuleField.values:
            errors.add("field", f"Choose one of: {', '.join(RuleField.values)}.")
        cleaned["field"] = values["field"]
    operator = values.get("operator", values.get("_operator"))
    if "operator" in values and operator not in RuleOperator.values:
        errors.add("operator", f"Choose one of: {', '.join(RuleOperator.values)}.")
    if "operator" in values:
        cleaned["operator"] = operator
    if "value" in values or "operator" in values:
        value = check(errors, "value", text_clean, values.get("value", values.get("_value")), max_length=200)
        if value == "":
            errors.add("value", "A rule needs a value to look for.")
        elif value and operator == RuleOperator.REGEX:
            try:
                rule_build(field="merchant", operator=operator, value=value, category_id=0)
            except InvalidPatternError as exc:
                errors.add("value", str(exc))
        cleaned["value"] = value
    if "category" in values:
        cleaned["category"] = check(errors, "category", user_category, user=user, value=values["category"])
    if "priority" in values:
        try:
            cleaned["priority"] = int(values["priority"])
        except (TypeError, ValueError):
            errors.add("priority", "Enter a whole number; lower runs first.")
    errors.raise_if_any()
    return cleaned


@transaction.atomic
def categorization_rule_create(
    *, user, field: str, operator: str, value: str, category, priority: int = 100
) -> CategorizationRule:
    values = {"field": field, "operator": operator, "value": value, "category": category, "priority": priority}
    rule = CategorizationRule.objects.create(user=user, **_rule_values_clean(user=user, values=values))
    categorizer_changed(user=user)
    return rule


@transaction.atomic
def categorization_rule_update(*, user, rule: CategorizationRule, **changes) -> CategorizationRule:
    unknown = set(changes) - set(RULE_FIELDS)
    if unknown:
        raise ValidationError({field: ["This field cannot be changed."] for field in unknown})
    rule = CategorizationRule.objects.select_for_update().get(pk=rule.pk, user=user)
    cleaned = _rule_values_clean(user=user, values={**changes, "_operator": rule.operator, "_value": rule.value})
    for name, value in cleaned.items():
        setattr(rule, name, value)
    rule.save()
    categorizer_changed(user=user)
    return rule


@transaction.atomic
def categorization_rule_delete(*, user, rule: CategorizationRule) -> None:
    CategorizationRule.objects.filter(pk=rule.pk, user=user).delete()
    categorizer_changed(user=user)
