"""Categorisation rules, and loading/teaching the per-user categoriser (finance.categorization is the pure core)."""

from collections import OrderedDict

from django.core.exceptions import ValidationError
from django.db import transaction

from finance.categorization import Categorizer, InvalidPatternError, NaiveBayes, rule_build
from finance.models import CategorizationRule, Category, LearnedCategorizer, RuleField, RuleOperator
from finance.selectors import categories_for_user
from finance.services.validation import Errors, check, text_clean, user_category

# Parsed models of recently active users, keyed by user id: (version, model). Per process.
_MODEL_CACHE: OrderedDict[int, tuple[int, NaiveBayes]] = OrderedDict()
MODEL_CACHE_SIZE = 256
RULE_FIELDS = ("field", "operator", "value", "category", "priority")


def system_category_ids() -> dict[str, int]:
    return dict(Category.objects.filter(user__isnull=True).values_list("slug", "id"))


def learned_model_for(*, user) -> NaiveBayes | None:
    version = LearnedCategorizer.objects.filter(user=user).values_list("version", flat=True).first()
    if version is None:
        return None
    cached = _MODEL_CACHE.get(user.pk)
    if cached is not None and cached[0] == version:
        _MODEL_CACHE.move_to_end(user.pk)
        return cached[1]
    row = LearnedCategorizer.objects.filter(user=user).values_list("version", "state").first()
    if row is None:
        return None
    model = NaiveBayes(row[1])
    _remember(user.pk, row[0], model)
    return model


def _remember(user_id: int, version: int, model: NaiveBayes) -> None:
    _MODEL_CACHE[user_id] = (version, model)
    _MODEL_CACHE.move_to_end(user_id)
    while len(_MODEL_CACHE) > MODEL_CACHE_SIZE:
        _MODEL_CACHE.popitem(last=False)


def categorizer_for(*, user) -> Categorizer:
    """Load one user's rules, model and the system categories once; reuse it for a batch of transactions."""
    rules = [
        rule_build(
            field=rule.field,
            operator=rule.operator,
            value=rule.value,
            category_id=rule.category_id,
            priority=rule.priority,
            rule_id=rule.pk,
        )
        for rule in CategorizationRule.objects.filter(user=user)
    ]
    model = learned_model_for(user=user)
    # One read for both: the system categories by slug, and every category the model may still name.
    system_ids, known_ids = {}, set()
    for pk, slug, owner_id in categories_for_user(user=user).values_list("pk", "slug", "user_id"):
        known_ids.add(pk)
        if owner_id is None:
            system_ids[slug] = pk
    return Categorizer(
        rules=rules, model=model, system_ids=system_ids, known_ids=frozenset(known_ids) if model else None
    )


def model_teach(*, user, lessons: list[tuple[str, str, int, int]]) -> None:
    """Apply (merchant, description, category id, +1 learn / -1 forget) lessons. Inside the caller's atomic."""
    if not lessons:
        return
    row, _ = LearnedCategorizer.objects.get_or_create(user=user)
    row = LearnedCategorizer.objects.select_for_update().get(pk=row.pk)
    model = NaiveBayes(row.state)
    for merchant, description, category_id, weight in lessons:
        model.learn(merchant=merchant, description=description, category=str(category_id), weight=weight)
    row.state = model.state()
    row.examples = model.examples
    row.version += 1
    row.save(update_fields=["state", "examples", "version", "updated_at"])
    version = row.version
    transaction.on_commit(lambda: _remember(user.pk, version, model))


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
    return CategorizationRule.objects.create(user=user, **_rule_values_clean(user=user, values=values))


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
    return rule


@transaction.atomic
def categorization_rule_delete(*, user, rule: CategorizationRule) -> None:
    CategorizationRule.objects.filter(pk=rule.pk, user=user).delete()
