from decimal import Decimal

import factory

from insights.models import Recommendation


class RecommendationFactory(factory.django.DjangoModelFactory):
    """A recommendation waiting for review, as the insights generators leave it."""

    class Meta:
        model = Recommendation

    kind = "spending_trend"
    title = factory.Sequence(lambda n: f"Dining is up {10 + n}% this month")
    body = "You spent more on dining than last month. A weekly dining budget could help."
    rationale = "Dining: 412.00 this month against 318.00 last month (+29.6%)."
    confidence = 0.72
    difficulty = "easy"
    estimated_monthly_savings = Decimal("45.00")
    data = factory.LazyFunction(lambda: {"category": "dining", "this_month": "412.00", "last_month": "318.00"})
    persona = "general"
    subject_key = factory.Sequence(lambda n: f"spending_trend:dining:{n}")
