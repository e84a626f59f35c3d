"""Basic registration; the operators app builds the review queue on top of Recommendation."""

from django.contrib import admin

from insights.models import Anomaly, Benchmark, Product, Profile, Recommendation


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "kind", "status", "user_status", "confidence", "persona", "created_at"]
    list_filter = ["status", "kind", "persona", "user_status"]
    search_fields = ["user__email", "title"]
    raw_id_fields = ["user"]


@admin.register(Benchmark)
class BenchmarkAdmin(admin.ModelAdmin):
    list_display = ["cohort", "category", "month", "cohort_size", "p50", "computed_at"]
    list_filter = ["cohort", "month"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "window", "persona", "cohort", "stale", "computed_at"]
    list_filter = ["window", "persona", "cohort"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


@admin.register(Anomaly)
class AnomalyAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "score", "month", "detected_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user", "transaction"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "active"]
