"""The states of a recommendation, shared by insights' models and operators' review."""

from django.db import models


class ReviewStatus(models.TextChoices):
    PENDING_REVIEW = "pending_review", "Waiting for review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    OVERRIDDEN = "overridden", "Rewritten and approved"
    WITHDRAWN = "withdrawn", "Withdrawn"


class UserStatus(models.TextChoices):
    NEW = "new", "New"
    ACCEPTED = "accepted", "Accepted"
    DISMISSED = "dismissed", "Dismissed"
