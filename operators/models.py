"""The operators' audit trail. Rows are only ever added (operators.services), never changed."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class DecisionAction(models.TextChoices):
    APPROVE = "approve"
    REJECT = "reject"
    OVERRIDE = "override"
    WITHDRAW = "withdraw"


class ReviewDecision(models.Model):
    """One decision on one recommendation: who, when, what, why, and the row before and after."""

    recommendation = models.ForeignKey("insights.Recommendation", on_delete=models.CASCADE, related_name="decisions")
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the platform decided (e.g. consent revoked).",
    )
    action = models.CharField(max_length=10, choices=DecisionAction.choices)
    reason = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("review_recommendation", "Can approve, reject and override recommendations"),
            ("view_dashboard", "Can see the operator dashboard"),
        ]
        indexes = [models.Index(fields=["operator", "created_at"], name="decision_operator_time")]

    def __str__(self) -> str:
        return f"{self.action} #{self.recommendation_id}"
