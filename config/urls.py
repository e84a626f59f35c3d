from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config import views
from config.health import healthz
from operators.views import admin_dashboard

api_v1 = [
    path("", include("users.api_urls")),
    path("", include("finance.api_urls")),
    path("", include("alerts.api_urls")),
    path("", include("insights.api_urls")),
    path("operator/", include("operators.api_urls")),
]

handler500 = "core.outage.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("admin/operators/dashboard/", admin_dashboard, name="operators-dashboard"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/v1/", include(api_v1)),
    path("", include("users.urls")),
    path("", include("finance.urls")),
    path("", include("alerts.urls")),
    path("", include("insights.urls")),
    path("", include("operators.urls")),
]
