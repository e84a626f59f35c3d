"""Server-rendered pages of the finance app."""

from django.urls import path

from finance import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
]
