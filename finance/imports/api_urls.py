"""Import and sync routes, included by finance/api_urls.py ahead of the ledger router."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from finance.imports import api

router = SimpleRouter()
router.register("imports", api.ImportJobViewSet, basename="import")
router.register("import-mappings", api.CsvMappingViewSet, basename="import-mapping")

urlpatterns = [
    path("transactions/sync/", api.TransactionSyncView.as_view(), name="transaction-sync"),
    *router.urls,
]
