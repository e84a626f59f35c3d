"""Query validation and the documented response shapes of the insights API."""

from rest_framework import serializers

from core.api import DayField
from core.months import parse_month
from insights.analytics.periods import PERIODS
from insights.models import Window


class MonthField(serializers.CharField):
    def to_internal_value(self, data):
        try:
            return parse_month(super().to_internal_value(data))
        except ValueError as exc:
            raise serializers.ValidationError(str(exc))


class SummaryQuery(serializers.Serializer):
    period = serializers.ChoiceField(choices=PERIODS, default="month")
    date = DayField(required=False, help_text="A day inside the period (default: today).")
    month = MonthField(required=False, help_text="YYYY-MM: the month period of that month.")


class MonthQuery(serializers.Serializer):
    month = MonthField(required=False, help_text="YYYY-MM (default: this month).")


class ProfileQuery(serializers.Serializer):
    window = serializers.ChoiceField(choices=[str(w) for w in Window.values], default="30")


class DismissInput(serializers.Serializer):
    feedback = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class Money(serializers.DecimalField):
    def __init__(self, **kwargs):
        super().__init__(max_digits=14, decimal_places=2, **kwargs)


class ComparedTotal(serializers.Serializer):
    total_spent = Money()
    change_pct = serializers.FloatField(allow_null=True)


class CategoryLine(serializers.Serializer):
    category = serializers.CharField()
    spent = Money()
    budget = Money(allow_null=True)
    percent = serializers.FloatField(allow_null=True)


class DayLine(serializers.Serializer):
    date = serializers.DateField()
    spent = Money()


class MerchantLine(serializers.Serializer):
    merchant = serializers.CharField()
    spent = Money()
    count = serializers.IntegerField()


class BurnRate(serializers.Serializer):
    per_day = Money()
    projected_total = Money()
    days_left = serializers.IntegerField()


class SummaryOut(serializers.Serializer):
    month = serializers.CharField()
    period = serializers.ChoiceField(choices=PERIODS)
    start = serializers.DateField()
    end = serializers.DateField()
    currency = serializers.CharField()
    previous = ComparedTotal()
    average = ComparedTotal()
    total_spent = Money()
    total_income = Money()
    by_category = CategoryLine(many=True)
    daily = DayLine(many=True)
    top_merchants = MerchantLine(many=True)
    burn_rate = BurnRate()


class ComponentOut(serializers.Serializer):
    score = serializers.IntegerField(min_value=0, max_value=100)
    weight = serializers.FloatField()


class ComponentsOut(serializers.Serializer):
    budget_adherence = ComponentOut()
    frequency = ComponentOut()
    tracking_discipline = ComponentOut()


class ScoreOut(serializers.Serializer):
    month = serializers.CharField()
    score = serializers.IntegerField(min_value=0, max_value=100)
    components = ComponentsOut()


class BenchmarkOut(serializers.Serializer):
    category = serializers.CharField()
    month = serializers.CharField()
    cohort = serializers.CharField()
    cohort_size = serializers.IntegerField()
    p10 = Money()
    p25 = Money()
    p50 = Money()
    p75 = Money()
    p90 = Money()
    mean = Money()


class ComparisonOut(serializers.Serializer):
    category = serializers.CharField()
    month = serializers.CharField()
    amount = Money()
    percentile_rank = serializers.FloatField()
    cohort = serializers.CharField()
    cohort_size = serializers.IntegerField()
    outlier = serializers.ChoiceField(choices=["high", "low"], allow_null=True)
    p50 = Money()
    mom_change_pct = serializers.FloatField(allow_null=True)
    yoy_change_pct = serializers.FloatField(allow_null=True)


class PersonaOut(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    criteria_met = serializers.ListField(child=serializers.CharField())


class ProfileOut(serializers.Serializer):
    window = serializers.IntegerField()
    signals = serializers.DictField(help_text="subscriptions, credit, savings, income")
    persona = PersonaOut()
    computed_at = serializers.DateTimeField()


class AnomalyOut(serializers.Serializer):
    transaction = serializers.IntegerField(source="transaction_id")
    kind = serializers.CharField()
    score = serializers.FloatField()
    reason = serializers.CharField()


class RecommendationOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField()
    rationale = serializers.CharField()
    confidence = serializers.FloatField()
    difficulty = serializers.CharField()
    estimated_monthly_savings = Money()
    data = serializers.DictField()
    user_status = serializers.CharField()
    created_at = serializers.DateTimeField()
