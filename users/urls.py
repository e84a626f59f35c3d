"""Server-rendered pages of the users app."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
