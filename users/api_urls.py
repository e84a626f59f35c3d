"""API routes of the users app, mounted under /api/v1/."""

from django.urls import path

from users import api

urlpatterns = [
    path("auth/register/", api.RegisterView.as_view(), name="auth-register"),
    path("auth/token/", api.TokenView.as_view(), name="auth-token"),
    path("auth/token/refresh/", api.RefreshView.as_view(), name="auth-token-refresh"),
    path("auth/logout/", api.LogoutView.as_view(), name="auth-logout"),
    path("auth/otp/request/", api.OtpRequestView.as_view(), name="auth-otp-request"),
    path("auth/otp/verify/", api.OtpVerifyView.as_view(), name="auth-otp-verify"),
    path("me/", api.MeView.as_view(), name="me"),
    path("me/export/", api.DataExportView.as_view(), name="me-export"),
    path("me/export/<int:export_id>/", api.DataExportDetailView.as_view(), name="me-export-detail"),
    path("me/export/<int:export_id>/download/", api.DataExportDownloadView.as_view(), name="me-export-download"),
    path("consents/", api.ConsentView.as_view(), name="consents"),
    path("consents/history/", api.ConsentHistoryView.as_view(), name="consent-history"),
]
