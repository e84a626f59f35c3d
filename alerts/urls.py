"""Server-rendered pages of the alerts app."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
