from operators.services.decisions import (
    DecisionConflict,
    recommendation_approve,
    recommendation_override,
    recommendation_reject,
    recommendations_bulk_approve,
    recommendations_withdraw_pending,
)
from operators.services.group import operators_group_ensure

__all__ = [
    "DecisionConflict",
    "operators_group_ensure",
    "recommendation_approve",
    "recommendation_override",
    "recommendation_reject",
    "recommendations_bulk_approve",
    "recommendations_withdraw_pending",
]
