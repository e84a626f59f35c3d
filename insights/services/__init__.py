"""Every write of the insights app. Tasks, commands, the API, pages and handlers call these."""

from insights.services.anomalies import anomalies_detect
from insights.services.benchmarks import benchmarks_compute
from insights.services.products import products_load
from insights.services.profiles import profile_fresh, profiles_compute
from insights.services.recommendations import (
    recommendation_accept,
    recommendation_dismiss,
    recommendations_generate,
    recommendations_generate_all,
)

__all__ = [
    "anomalies_detect",
    "benchmarks_compute",
    "products_load",
    "profile_fresh",
    "profiles_compute",
    "recommendation_accept",
    "recommendation_dismiss",
    "recommendations_generate",
    "recommendations_generate_all",
]
