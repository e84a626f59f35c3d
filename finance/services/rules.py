"""Categorisation rules, and loading/teaching the per-user categoriser (finance.categorization is the pure core)."""

import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from finance.categorization import Categorizer, Decision, InvalidPatternError, NaiveBayes, rule_build
from finance.models import CategorizationRule, Category, LearnedCategorizer, RuleField, RuleOperator
from finance.selectors import categories_for_user
from finance.services.validation import Errors, check, text_clean, user_category

# Recently active users' categorisers, keyed by user id. Per process; the version says when one is stale.
_CACHE: OrderedDict[int, "UserCategorizer"] = OrderedDict()
_CACHE_LOCK = threading.Lock()
CACHE_SIZE = 256
RULE_FIELDS = ("field", "operator", "value", "category", "priority")


@dataclass(frozen=True)
class UserCategorizer:
    """One user's Categorizer, with the categories it may answer with, so a decision needs no further read.

    `version` is the user's LearnedCategorizer.version when it was loaded (0 while they have no row: the
    first change makes one). Every change to what it reads (the model, the user's rules, a new category of
    theirs) bumps that version, so a cached one is reused only while it is current."""

    version: int
    categorizer: Categorizer
    categories: dict[int, Category]

    def categorize(self, *, merchant: str, description: str, kind: str = "expense") -> Decision:
        return self.categorizer.categorize(merchant=merchant, description=description, kind=kind)

    def category(self, decision: Decision) -> Category:
        return self.categories[decision.category_id]


def system_category_ids() -> dict[str, int]:
    return dict(Category.objects.filter(user__isnull=True).values_list("slug", "id"))


def categorizer_for(*, user) -> UserCategorizer:
    """Load one user's rules, model and categories (one read when this process has them already)."""
    version = LearnedCategorizer.objects.filter(user=user).values_list("version", flat=True).first() or 0
    with _CACHE_LOCK:
        cached = _CACHE.get(user.pk)
        if cached is not None and cached.version == version:
            _CACHE.move_to_end(user.pk)
            return cached
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
    model = None
    if version:
        version, state = LearnedCategorizer.objects.filter(user=user).values_list("version", "state").get()
        model = NaiveBayes(state) if state else None
    categories = {category.pk: category for category in categories_for_user(user=user)}
    loaded = _categorizer_build(version=version, rules=rules, model=model, categories=categories)
    # Only what committed: a change rolled back must not leave its version cached.
    transaction.on_commit(lambda: _remember(user.pk, loaded))
    return loaded


def _categorizer_build(*, version, rules, model: NaiveBayes | None, categories: dict[int, Category]) -> UserCategorizer:
    system_ids = {category.slug: pk for pk, category in categories.items() if category.user_id is None}
    categorizer = Categorizer(
        rules=rules, model=model, system_ids=system_ids, known_ids=frozenset(categories) if model else None
    )
    return UserCategorizer(version=version, categorizer=categorizer, categories=categories)


def _remember(user_id: int, loaded: UserCategorizer) -> None:
    with _CACHE_LOCK:
        cached = _CACHE.get(user_id)
        if cached is not None and cached.version > loaded.version:
            return  # a newer one got here first
        _CACHE[user_id] = loaded
        _CACHE.move_to_end(user_id)
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)


def categorizer_cache_clear() -> None:
    """Forget every categoriser this process keeps (tests start from nothing)."""
    with _CACHE_LOCK:
        _CACHE.clear()


def categorizer_changed(*, user) -> None:
    """Something the categoriser reads changed (a rule, a category): processes reload it. Inside the writer's atomic."""
    if not LearnedCategorizer.objects.filter(user=user).update(version=F("version") + 1):
        LearnedCategorizer.objects.get_or_create(user=user, defaults={"version": 1})


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
    transaction.on_commit(lambda: _model_remember(user.pk, row.version, model))


def _model_remember(user_id: int, version: int, model: NaiveBayes) -> None:
    """The cached categoriser of the version before, with the model just taught: no reload for the next one."""
    with _CACHE_LOCK:
        cached = _CACHE.get(user_id)
    if cached is not None and cached.version == version - 1:
        rules = cached.categorizer.rules
        _remember(user_id, _categorizer_build(version=version, rules=rules, model=model, categories=cached.categories))


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
