from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from operators.permissions import DASHBOARD_PERMISSION
from operators.selectors import dashboard_figures


def _bars(counts: dict[str, int]) -> list[dict]:
    """Rows for a horizontal bar chart drawn with CSS widths."""
    largest = max(counts.values(), default=0) or 1
    return [{"label": label, "value": value, "width": round(100 * value / largest)} for label, value in counts.items()]


def dashboard(request):
    if not request.user.has_perm(DASHBOARD_PERMISSION):
        raise PermissionDenied
    figures = dashboard_figures()
    context = {
        **admin.site.each_context(request),
        "title": "Operator dashboard",
        "figures": figures,
        "persona_bars": _bars(figures["persona_distribution"]),
        "recommendation_bars": _bars(figures["recommendations"]),
        "delivery_bars": _bars(figures["deliveries"]),
    }
    return TemplateResponse(request, "admin/operators/dashboard.html", context)


admin_dashboard = admin.site.admin_view(dashboard)
