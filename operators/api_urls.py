"""Operator API routes, mounted under /api/v1/operator/."""

from django.urls import path

from operators import api

urlpatterns = [
    path("recommendations/", api.RecommendationQueueView.as_view(), name="operator-recommendations"),
    path("recommendations/bulk-approve/", api.BulkApproveView.as_view(), name="operator-bulk-approve"),
    path("recommendations/<int:pk>/approve/", api.ApproveView.as_view(), name="operator-approve"),
    path("recommendations/<int:pk>/reject/", api.RejectView.as_view(), name="operator-reject"),
    path("recommendations/<int:pk>/override/", api.OverrideView.as_view(), name="operator-override"),
    path("dashboard/", api.DashboardView.as_view(), name="operator-dashboard"),
    path("users/<int:pk>/signals/", api.UserSignalsView.as_view(), name="operator-user-signals"),
]
