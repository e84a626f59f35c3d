"""What the insights jobs compute and keep. Only insights.services writes these rows, except the review
decisions on a Recommendation (approve, reject, override, withdraw), which operators.services records."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from insights.choices import ReviewStatus, UserStatus

MONEY = {"max_digits": 14, "decimal_places": 2}


class Benchmark(models.Model):
    """Percentiles of monthly spending per cohort, category and month (published cohorts only)."""

    cohort = models.CharField(max_length=20)
    category = models.SlugField(max_length=50)
    month = models.DateField()
    cohort_size = models.IntegerField()
    p10 = models.DecimalField(**MONEY)
    p25 = models.DecimalField(**MONEY)
    p50 = models.DecimalField(**MONEY)
    p75 = models.DecimalField(**MONEY)
    p90 = models.DecimalField(**MONEY)
    mean = models.DecimalField(**MONEY)
    minimum = models.DecimalField(**MONEY)
    maximum = models.DecimalField(**MONEY)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "category", "month"], name="benchmark_unique"),
        ]


class Window(models.IntegerChoices):
    DAYS_30 = 30
    DAYS_180 = 180


class Profile(models.Model):
    """The latest signals and persona of a user for one window, with when they were computed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    window = models.IntegerField(choices=Window.choices)
    signals = models.JSONField(default=dict)
    persona = models.CharField(max_length=30)
    criteria_met = models.JSONField(default=list)
    cohort = models.CharField(max_length=20, default="all")
    stale = models.BooleanField(default=False, help_text="The user's data changed since it was computed.")
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "window"], name="profile_user_window_unique")]


class Anomaly(models.Model):
    class Kind(models.TextChoices):
        UNUSUAL_AMOUNT = "unusual_amount", "Unusual amount"
        NEW_MERCHANT = "new_merchant", "New merchant"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    transaction = models.ForeignKey("finance.Transaction", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    month = models.DateField(help_text="The month the transaction falls in, in the user's time zone.")
    score = models.FloatField()
    reason = models.CharField(max_length=300)
    detected_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "anomalies"
        ordering = ["-score"]
        constraints = [models.UniqueConstraint(fields=["transaction", "kind"], name="anomaly_once_per_kind")]
        indexes = [models.Index(fields=["user", "month"], name="anomaly_user_month")]


class Product(models.Model):
    """A catalogue entry for product offers: who it suits (personas) and when (conditions)."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=30)
    description = models.CharField(max_length=500)
    personas = models.JSONField(default=list, help_text="Persona slugs it suits.")
    conditions = models.JSONField(
        default=dict,
        help_text="e.g. {'max_utilization': 0.3, 'min_monthly_income': '3000', 'has_account_kind': 'investment'}",
    )
    estimated_monthly_savings = models.DecimalField(**MONEY, default=Decimal("0.00"))
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name


class RecommendationKind(models.TextChoices):
    MERCHANT_CONSOLIDATION = "merchant_consolidation", "Fewer merchants"
    SPENDING_TREND = "spending_trend", "Spending trend"
    VOLATILITY = "volatility", "Uneven spending"
    SUBSCRIPTION_AUDIT = "subscription_audit", "Subscription check"
    BUDGET_ADJUSTMENT = "budget_adjustment", "Budget change"
    EDUCATION = "education", "Tip"
    PRODUCT_OFFER = "product_offer", "Product offer"


class Difficulty(models.TextChoices):
    EASY = "easy", "Easy"
    MODERATE = "moderate", "Some effort"
    HARD = "hard", "Hard"


VISIBLE_STATUSES = (ReviewStatus.APPROVED, ReviewStatus.OVERRIDDEN)
# Open: waiting for an operator, or shown to the user and not yet answered.
OPEN = Q(status=ReviewStatus.PENDING_REVIEW) | Q(status__in=VISIBLE_STATUSES, user_status=UserStatus.NEW)


class Recommendation(models.Model):
    """A suggestion for one user; operators review it before the user sees it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recommendations")
    kind = models.CharField(max_length=30, choices=RecommendationKind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField()
    rationale = models.TextField()
    confidence = models.FloatField(validators=[MinValueValidator(0), MaxValueValidator(1)])
    difficulty = models.CharField(max_length=10, choices=Difficulty.choices)
    estimated_monthly_savings = models.DecimalField(**MONEY, default=Decimal("0.00"))
    data = models.JSONField(default=dict, blank=True, help_text="The signals and numbers behind it.")
    persona = models.CharField(max_length=30, blank=True)
    subject_key = models.CharField(max_length=120, help_text="What it is about; one open per user and subject.")
    status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PENDING_REVIEW)
    original_title = models.CharField(max_length=200, blank=True)
    original_body = models.TextField(blank=True)
    user_status = models.CharField(max_length=10, choices=UserStatus.choices, default=UserStatus.NEW)
    feedback = models.TextField(blank=True)
    generation_ms = models.IntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "subject_key"], condition=OPEN, name="recommendation_one_open"),
            models.CheckConstraint(condition=Q(confidence__gte=0, confidence__lte=1), name="recommendation_confidence"),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="recommendation_queue"),
            models.Index(fields=["user", "status"], name="recommendation_user_status"),
        ]

    def __str__(self) -> str:
        return self.title
