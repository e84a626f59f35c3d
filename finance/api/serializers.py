"""Request and answer shapes of the ledger API (docs/api.md, "Ledger"). Rules live in finance.services."""

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.months import format_month, parse_month
from finance.models import (
    MONEY,
    Account,
    Budget,
    CategorizationRule,
    Category,
    Transaction,
)
from finance.selectors import category_for_slug
from finance.services.validation import MAX_TAGS
from users.validators import validate_currency


def _current_user(field: serializers.Field):
    return field.context["request"].user


@extend_schema_field({"type": "string", "example": "groceries"})
class CategorySlugField(serializers.Field):
    """A category named by its slug: a system category or one of the user's own."""

    default_error_messages = {"unknown": "No category '{slug}'. Use a slug from /api/v1/categories/."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("unknown", slug=data)
        try:
            return category_for_slug(user=_current_user(self), slug=data)
        except ObjectDoesNotExist:
            self.fail("unknown", slug=data)

    def to_representation(self, value):
        return value.slug


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-11"})
class MonthField(serializers.Field):
    """A calendar month as "YYYY-MM", held as the date of its first day."""

    default_error_messages = {"invalid": "Give a month as YYYY-MM, e.g. 2026-11."}

    def to_internal_value(self, data):
        try:
            return parse_month(data)
        except (ValueError, TypeError):
            self.fail("invalid")

    def to_representation(self, value):
        return format_month(value)


@extend_schema_field({"type": "integer", "description": "The id of one of your accounts"})
class UserAccountField(serializers.PrimaryKeyRelatedField):
    """An account of the requesting user; anyone else's is reported as not existing."""

    def get_queryset(self):
        return Account.objects.filter(user=_current_user(self))


class TagNamesField(serializers.ListField):
    """Tags in and out as a list of their names."""

    def get_attribute(self, instance):
        return instance.tag_names


def money(**options) -> serializers.DecimalField:
    # DRF rejects NaN, infinities, more than two decimal places and more than 14 digits.
    return serializers.DecimalField(**MONEY, **options)


class ArchivedField(serializers.BooleanField):
    """`archived` in and out; the row keeps when (archived_at)."""

    def get_attribute(self, instance):
        return instance.is_archived


class AccountSerializer(serializers.ModelSerializer):
    balance = money(required=False, help_text="For credit and loan accounts: the amount owed.")
    credit_limit = money(required=False, allow_null=True)
    currency = serializers.CharField(required=False, validators=[validate_currency])
    is_default = serializers.BooleanField(
        required=False,
        help_text="Where transactions go when none is named. Set true to make this the default (the old one "
        "stops being it); every person has exactly one.",
    )
    archived = ArchivedField(
        required=False,
        help_text="An archived account keeps its history but takes no new transactions. "
        "The default account cannot be archived.",
    )

    class Meta:
        model = Account
        fields = ["id", "name", "kind", "currency", "balance", "credit_limit", "is_default", "archived", "archived_at"]
        read_only_fields = ["archived_at"]

    def validate_archived(self, archived: bool) -> bool:
        if archived and self.instance is None:
            raise serializers.ValidationError("A new account cannot start archived.")
        return archived

    def validate(self, attrs: dict) -> dict:
        if self.instance is None:
            attrs.pop("archived", None)
        return attrs


class CategorySerializer(serializers.ModelSerializer):
    slug = serializers.SlugField(max_length=50, required=False)
    parent = CategorySlugField(required=False, allow_null=True)
    is_system = serializers.BooleanField(read_only=True)

    class Meta:
        model = Category
        fields = ["id", "slug", "name", "parent", "is_system"]


class TransactionSerializer(serializers.ModelSerializer):
    account = UserAccountField(required=False, help_text="Leave it out to use your default account.")
    to_account = UserAccountField(required=False, allow_null=True)
    amount = money()
    currency = serializers.CharField(required=False, validators=[validate_currency])
    category = CategorySlugField(
        required=False, allow_null=True, help_text="A category slug; leave it out to have it categorised for you."
    )
    tags = TagNamesField(
        child=serializers.CharField(max_length=40),
        max_length=MAX_TAGS,
        required=False,
        help_text=f'Tag names, e.g. ["trip"]; at most {MAX_TAGS}.',
    )

    class Meta:
        model = Transaction
        fields = [
            "id",
            "account",
            "to_account",
            "kind",
            "amount",
            "currency",
            "occurred_at",
            "merchant",
            "description",
            "location",
            "category",
            "category_source",
            "category_confidence",
            "tags",
            "source",
            "external_id",
            "created_at",
        ]
        read_only_fields = ["category_source", "category_confidence", "source", "external_id", "created_at"]
        extra_kwargs = {"occurred_at": {"required": False}}

    def to_representation(self, txn: Transaction) -> dict:
        """The fields above, written out: for a page of 50 rows DRF's field-by-field machinery cost more than
        the queries behind it. test_api_transactions checks this answer against DRF's own for every kind of row."""
        fields = self.fields
        return {
            "id": txn.pk,
            "account": txn.account_id,
            "to_account": txn.to_account_id,
            "kind": txn.kind,
            "amount": fields["amount"].to_representation(txn.amount),
            "currency": txn.currency,
            "occurred_at": fields["occurred_at"].to_representation(txn.occurred_at),
            "merchant": txn.merchant,
            "description": txn.description,
            "location": txn.location,
            "category": txn.category.slug,
            "category_source": txn.category_source,
            "category_confidence": txn.category_confidence,
            "tags": txn.tag_names,
            "source": txn.source,
            "external_id": txn.external_id,
            "created_at": fields["created_at"].to_representation(txn.created_at),
        }


class UndoSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["create", "update", "delete", "revert"])
    transaction = TransactionSerializer(allow_null=True, help_text="null when an import's revert was undone")
    import_job = serializers.IntegerField(
        source="import_job.pk", allow_null=True, default=None, help_text="The import whose transactions came back"
    )
    count = serializers.IntegerField(help_text="How many transactions the undo brought back or changed")


class BudgetSerializer(serializers.ModelSerializer):
    category = CategorySlugField(
        required=False, allow_null=True, help_text="A category slug, or null for all spending."
    )
    amount = money()
    month = MonthField(required=False, allow_null=True, help_text="YYYY-MM, or null for every month.")

    class Meta:
        model = Budget
        fields = ["id", "category", "amount", "month", "rollover"]


class BudgetStatusSerializer(serializers.Serializer):
    category = serializers.CharField(allow_null=True, help_text="Category slug, or null for the overall budget.")
    budget = money()
    spent = money()
    remaining = money()
    percent = serializers.FloatField(help_text="Spent as a percentage of the budget.")
    daily_burn = money()
    projected_total = money(help_text="Spent so far plus the rest of the month at the current daily burn.")
    projected_overrun_on = serializers.DateField(allow_null=True)
    adherence_probability = serializers.FloatField(
        min_value=0, max_value=1, help_text="Chance of ending the month within budget."
    )
    status = serializers.ChoiceField(choices=["ok", "warning", "over"])


class BudgetStatusQuerySerializer(serializers.Serializer):
    month = MonthField(required=False, help_text="YYYY-MM; this month in your time zone when left out.")


class CategorizationRuleSerializer(serializers.ModelSerializer):
    category = CategorySlugField()

    class Meta:
        model = CategorizationRule
        fields = ["id", "field", "operator", "value", "category", "priority"]
