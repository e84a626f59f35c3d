"""A user's own categorisation rules, matched in priority order. Pure: no ORM.

Regular expressions run on RE2 (google-re2), whose matching time grows linearly with the text, so
no pattern a user writes (`(a+)+$`) can make a merchant name take seconds. RE2 has no
backreferences or lookaround; such a pattern is refused when the rule is saved.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

import re2

# Memory RE2 may use for one compiled pattern; a rule's value is at most 200 characters.
PATTERN_MAX_MEMORY = 1 << 20


class InvalidPatternError(ValueError):
    """The rule's regular expression does not compile, or uses what RE2 does not support."""


@dataclass(frozen=True)
class Rule:
    field: str  # "merchant" | "description"
    operator: str  # "contains" | "equals" | "starts_with" | "regex"
    value: str
    category_id: int
    priority: int = 100
    rule_id: int = 0
    pattern: object | None = field(default=None, compare=False)  # a compiled RE2 pattern


def _options() -> re2.Options:
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False
    options.max_mem = PATTERN_MAX_MEMORY
    return options


def compile_pattern(value: str):
    try:
        return re2.compile(value, _options())
    except re2.error as exc:
        reason = exc.args[0].decode(errors="replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise InvalidPatternError(
            f"Not a regular expression this rule can use ({reason}); backreferences and lookarounds are not supported."
        )


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
