"""Server-rendered pages of the users app."""

from django.urls import path

from users import views

app_name = "users"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.login_view, name="login"),
    path("login/code/", views.code_request, name="login-code"),
    path("login/code/verify/", views.code_verify, name="login-code-verify"),
    path("logout/", views.logout_view, name="logout"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/consent/", views.consent_view, name="consent"),
    path("settings/data/", views.data_view, name="data"),
    path("settings/data/exports/<int:export_id>/download/", views.export_download_view, name="export-download"),
]
