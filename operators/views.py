from collections.abc import Callable
from datetime import timedelta
from functools import partial

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone

from core.display import label
from insights.analytics.personas import persona_name
from operators.permissions import DASHBOARD_PERMISSION
from operators.selectors import dashboard_figures


def _bars(counts: dict[str, int], words: Callable[[str], str]) -> list[dict]:
    """Rows for a horizontal bar chart drawn with CSS widths, each key worded by `words`."""
    largest = max(counts.values(), default=0) or 1
    return [
        {"label": words(key), "value": value, "width": round(100 * value / largest)} for key, value in counts.items()
    ]


def dashboard(request):
    if not request.user.has_perm(DASHBOARD_PERMISSION):
        raise PermissionDenied
    figures = dashboard_figures()
    age = figures["oldest_pending_age_seconds"]
    context = {
        "oldest_pending": None if age is None else timezone.now() - timedelta(seconds=age),
        **admin.site.each_context(request),
        "title": "Operator dashboard",
        "figures": figures,
        "persona_bars": _bars(figures["persona_distribution"], persona_name),
        "recommendation_bars": _bars(figures["recommendations"], partial(label, choices="insights.ReviewStatus")),
        "delivery_bars": _bars(figures["deliveries"], partial(label, choices="alerts.DeliveryStatus")),
    }
    return TemplateResponse(request, "admin/operators/dashboard.html", context)


admin_dashboard = admin.site.admin_view(dashboard)
