"""People's words: plurals, counts, changes, enum labels; and no model named with a wrong plural."""

import pytest
from django.apps import apps
from django.template import Context, Template

from core.display import change_words, count_noun, humanise, label, plural


@pytest.mark.parametrize(
    ("noun", "expected"),
    [("entry", "entries"), ("anomaly", "anomalies"), ("day", "days"), ("box", "boxes"), ("match", "matches"),
     ("recurring payment", "recurring payments"), ("credit liability", "credit liabilities"), ("person", "people"),
     ("undo entry", "undo entries")],
)  # fmt: skip
def test_plural(noun, expected):
    assert plural(noun) == expected


def test_counts_take_the_singular_only_for_one():
    assert count_noun(1, "recurring payment") == "1 recurring payment"
    assert count_noun(0, "recurring payment") == "0 recurring payments"
    assert count_noun(1200, "entry") == "1,200 entries"
    assert count_noun(2, "person", "people") == "2 people"


def test_changes_in_words():
    assert change_words("25.0", "last month") == "up 25% on last month"
    assert change_words(-3.4, "last month") == "down 3% on last month"
    assert change_words(0.2, "last month") == "the same as last month"
    assert change_words(None, "last month") == ""


def test_labels_come_from_the_choice_sets():
    assert label("pending_review", "insights.ReviewStatus") == "Waiting for review"
    assert label("in_app", "alerts.ChannelKind") == "In-app"
    assert label("data_processing", "users.ConsentScope") == "Data processing"
    assert label("unusual_amount", "insights.Anomaly.Kind") == "Unusual amount"
    # A value no set knows still never shows as a slug.
    assert label("savings_builder", "insights.ReviewStatus") == "Savings builder"
    assert humanise("transaction.created") == "Transaction created"


def test_the_filters_are_in_every_template_without_load():
    rendered = Template(
        '{{ status|label:"alerts.DeliveryStatus" }}|{{ channels|labels:"alerts.ChannelKind" }}|'
        '{{ n|count_of:"recurring payment" }}|{{ pct|change:"last month" }}'
    ).render(Context({"status": "deferred", "channels": ["in_app", "email"], "n": 1, "pct": "12.5"}))
    assert rendered == "Held for quiet hours|In-app, Email|1 recurring payment|up 12% on last month"


def test_every_model_of_ours_has_a_right_plural():
    ours = [
        m for m in apps.get_models() if m._meta.app_label in {"users", "finance", "alerts", "insights", "operators"}
    ]
    wrong = {
        m.__name__: m._meta.verbose_name_plural
        for m in ours
        if m._meta.verbose_name_plural != plural(str(m._meta.verbose_name))
    }
    assert wrong == {}
