from urllib.parse import urlsplit

from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.settings import spectacular_settings
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config import views
from config.health import healthz
from operators.views import admin_dashboard

api_docs = SpectacularSwaggerSplitView.as_view(url_name="schema")
if spectacular_settings.SWAGGER_UI_DIST.startswith("https://"):  # Swagger UI's files from a CDN, not our static
    cdn = "https://" + urlsplit(spectacular_settings.SWAGGER_UI_DIST).netloc
    api_docs = csp_update({"script-src": [cdn], "style-src": [cdn], "img-src": [cdn]})(api_docs)

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
    # The split view serves Swagger UI's start script as a file, so the page needs no inline script.
    path("api/docs/", api_docs, name="swagger-ui"),
    path("api/v1/", include(api_v1)),
    path("", include("users.urls")),
    path("", include("finance.urls")),
    path("", include("alerts.urls")),
    path("", include("insights.urls")),
    path("", include("operators.urls")),
]
