"""Values worded as people read them: an enum value by its label, a count with the right
plural, a change as "up 25% on last month". Pure: no ORM, no app imported by name.

Templates reach these through the `wording` filters (core/templatetags/wording.py), which
every template has without `{% load %}`.
"""

from decimal import Decimal
from functools import cache
from importlib import import_module

# Nouns whose plural is not the noun plus "s"/"es"/"ies" (checked before the spelling rules).
IRREGULAR = {"person": "people", "child": "children", "analysis": "analyses"}


def plural(noun: str) -> str:
    """The English plural of `noun` (its last word): "entry" -> "entries", "box" -> "boxes"."""
    head, _, last = noun.rpartition(" ")
    if last in IRREGULAR:
        word = IRREGULAR[last]
    elif last.endswith("y") and last[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        word = last[:-1] + "ies"
    elif last.endswith(("s", "x", "z", "ch", "sh")):
        word = last + "es"
    else:
        word = last + "s"
    return f"{head} {word}" if head else word


def count_noun(count: int, noun: str, noun_plural: str | None = None) -> str:
    """ "1 recurring payment", "2 recurring payments", "0 entries"."""
    return f"{count:,} {noun if count == 1 else noun_plural or plural(noun)}"


def change_words(percent: float | Decimal | str | None, since: str) -> str:
    """ "up 25% on last month", "down 3% on last month", "the same as last month"; "" when unknown."""
    if percent is None or percent == "":
        return ""
    value = round(float(percent))
    if value == 0:
        return f"the same as {since}"
    return f"{'up' if value > 0 else 'down'} {abs(value)}% on {since}"


def zone_name(zone: str) -> str:
    """A time zone as people read it: "America/New_York" -> "America/New York"."""
    return str(zone).replace("_", " ")


def humanise(value: str) -> str:
    """A last resort for a value no choice set knows: "pending_review" -> "Pending review"."""
    text = str(value).replace("_", " ").replace(".", " ").strip()
    return text[:1].upper() + text[1:]


@cache
def choices_labels(choices: str) -> dict[str, str]:
    """{value: label} of a choice set named "app.ChoicesClass" (the class lives in app.models)."""
    app, _, name = choices.partition(".")
    members = import_module(f"{app}.models")
    for part in name.split("."):
        members = getattr(members, part)
    return {str(value): str(label) for value, label in members.choices}


def label(value, choices: str) -> str:
    """The label people read for `value` of the choice set `choices` ("alerts.Severity")."""
    if value is None or value == "":
        return ""
    return choices_labels(choices).get(str(value)) or humanise(value)
