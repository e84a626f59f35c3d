"""Server-rendered pages of the operators app."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
