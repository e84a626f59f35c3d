"""Server-rendered pages of the finance app."""

from django.urls import path, re_path

from finance import views
from finance.imports import views as import_views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("transactions/", views.transactions, name="transactions"),
    path("transactions/<int:pk>/edit/", views.transaction_edit, name="transaction-edit"),
    path("transactions/<int:pk>/delete/", views.transaction_delete, name="transaction-delete"),
    path("transactions/undo/", views.transaction_undo, name="transaction-undo"),
    path("accounts/", views.accounts, name="accounts"),
    path("accounts/<int:pk>/edit/", views.account_edit, name="account-edit"),
    re_path(
        r"^accounts/(?P<pk>[0-9]+)/(?P<change>archive|restore|default)/$", views.account_change, name="account-change"
    ),
    path("budgets/", views.budgets, name="budgets"),
    path("budgets/<int:pk>/edit/", views.budget_edit, name="budget-edit"),
    path("budgets/<int:pk>/delete/", views.budget_delete, name="budget-delete"),
    path("categories/", views.categories, name="categories"),
    path("categories/rules/<int:pk>/edit/", views.rule_edit, name="rule-edit"),
    path("categories/rules/<int:pk>/delete/", views.rule_delete, name="rule-delete"),
    path("imports/", import_views.imports, name="imports"),
    path("imports/<int:job_id>/", import_views.import_detail, name="import-detail"),
    path("imports/<int:job_id>/columns/", import_views.import_columns, name="import-columns"),
    path("imports/<int:job_id>/revert/", import_views.import_revert, name="import-revert"),
    path("imports/mappings/<int:mapping_id>/forget/", import_views.import_mapping_forget, name="import-mapping-forget"),
]
