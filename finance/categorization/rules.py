"""A user's own categorisation rules, matched in priority order. Pure: no ORM."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field


class InvalidPatternError(ValueError):
    """The rule's regular expression does not compile."""


@dataclass(frozen=True)
class Rule:
    field: str  # "merchant" | "description"
    operator: str  # "contains" | "equals" | "starts_with" | "regex"
    value: str
    category_id: int
    priority: int = 100
    rule_id: int = 0
    pattern: re.Pattern | None = field(default=None, compare=False)


def compile_pattern(value: str) -> re.Pattern:
    try:
        return re.compile(value, re.IGNORECASE)
    except (re.error, RecursionError, OverflowError) as exc:
        raise InvalidPatternError(f"Not a valid regular expression: {exc}.")


def rule_build(
    *, field: str, operator: str, value: str, category_id: int, priority: int = 100, rule_id: int = 0
) -> Rule:
    pattern = compile_pattern(value) if operator == "regex" else None
    return Rule(field, operator, value.casefold(), category_id, priority, rule_id, pattern)


def rule_matches(rule: Rule, *, merchant: str, description: str) -> bool:
    text = merchant if rule.field == "merchant" else description
    if rule.operator == "regex":
        return rule.pattern is not None and rule.pattern.search(text) is not None
    text = text.casefold().strip()
    if rule.operator == "contains":
        return rule.value in text
    if rule.operator == "equals":
        return text == rule.value.strip()
    if rule.operator == "starts_with":
        return text.startswith(rule.value)
    return False


def rules_in_order(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    """Lowest priority number first; on a tie the older rule wins."""
    return tuple(sorted(rules, key=lambda r: (r.priority, r.rule_id)))


def first_matching_rule(ordered_rules: Iterable[Rule], *, merchant: str, description: str) -> Rule | None:
    """The first rule of `ordered_rules` (see rules_in_order) that matches."""
    for rule in ordered_rules:
        if rule_matches(rule, merchant=merchant, description=description):
            return rule
    return None
