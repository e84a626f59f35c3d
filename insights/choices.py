"""The states of a recommendation, shared by insights' models and operators' review."""

from django.db import models


class ReviewStatus(models.TextChoices):
    PENDING_REVIEW = "pending_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    OVERRIDDEN = "overridden"
    WITHDRAWN = "withdrawn"


class UserStatus(models.TextChoices):
    NEW = "new"
    ACCEPTED = "accepted"
    DISMISSED = "dismissed"
