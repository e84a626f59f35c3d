"""API routes of the insights app, mounted under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from insights import api

router = SimpleRouter()
router.register("recommendations", api.RecommendationViewSet, basename="recommendation")

urlpatterns = [
    path("insights/summary/", api.SummaryView.as_view(), name="insights-summary"),
    path("insights/score/", api.ScoreView.as_view(), name="insights-score"),
    path("insights/benchmarks/<slug:category>/", api.BenchmarkView.as_view(), name="insights-benchmark"),
    path("insights/comparison/<slug:category>/", api.ComparisonView.as_view(), name="insights-comparison"),
    path("insights/profile/", api.ProfileView.as_view(), name="insights-profile"),
    path("insights/anomalies/", api.AnomalyListView.as_view(), name="insights-anomalies"),
    *router.urls,
]
