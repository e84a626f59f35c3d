"""Server-rendered pages of the insights app."""

from django.urls import path

from insights import views

app_name = "insights"

urlpatterns = [
    path("insights/", views.insights_page, name="insights"),
    path("recommendations/", views.recommendations_page, name="recommendations"),
    path("recommendations/<int:recommendation_id>/accept/", views.recommendation_accept_view, name="accept"),
    path("recommendations/<int:recommendation_id>/dismiss/", views.recommendation_dismiss_view, name="dismiss"),
]
