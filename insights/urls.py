"""Server-rendered pages of the insights app."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
