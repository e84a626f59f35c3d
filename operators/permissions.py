"""The `operators` group: exactly what the review queue, the dashboard and the consent audit need."""

OPERATORS_GROUP = "operators"

REVIEW_PERMISSION = "operators.review_recommendation"
DASHBOARD_PERMISSION = "operators.view_dashboard"

GROUP_PERMISSIONS = [
    ("insights", "recommendation", "view_recommendation"),
    ("operators", "reviewdecision", "review_recommendation"),
    ("operators", "reviewdecision", "view_reviewdecision"),
    ("operators", "reviewdecision", "view_dashboard"),
    ("users", "user", "view_user"),
    ("users", "consentevent", "view_consentevent"),
]
