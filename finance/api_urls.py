"""API routes of the finance app, mounted under /api/v1/."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from finance.api import views

router = SimpleRouter()
router.register("accounts", views.AccountViewSet, basename="account")
router.register("categories", views.CategoryViewSet, basename="category")
router.register("transactions", views.TransactionViewSet, basename="transaction")
router.register("budgets", views.BudgetViewSet, basename="budget")
router.register("categorization-rules", views.CategorizationRuleViewSet, basename="categorization-rule")

urlpatterns: list = [
    path("", include("finance.imports.api_urls")),  # before the router, so transactions/sync/ is no pk
    *router.urls,
]
