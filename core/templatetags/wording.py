"""Template filters for people's words (see core/display.py); built in to every template.

{{ delivery.status|label:"alerts.DeliveryStatus" }}    Sent
{{ rule.channels|labels:"alerts.ChannelKind" }}         In-app, Email
{{ count|count_of:"recurring payment" }}                1 recurring payment
{{ change_pct|change:"last month" }}                    up 25% on last month
{{ rule.timezone|zone }}                                America/New York
"""

from django import template

from core import display

register = template.Library()


@register.filter
def label(value, choices: str) -> str:
    return display.label(value, choices)


@register.filter
def labels(values, choices: str) -> str:
    return ", ".join(display.label(value, choices) for value in values or ())


@register.filter
def count_of(count, noun: str) -> str:
    """`noun` may carry its own plural after a comma: "person,people"."""
    singular, _, irregular = noun.partition(",")
    return display.count_noun(int(count or 0), singular, irregular or None)


@register.filter
def change(percent, since: str) -> str:
    return display.change_words(percent, since)


@register.filter
def zone(value) -> str:
    return display.zone_name(value)
