"""The insights and recommendations pages. Thin: the same selectors and services as the API."""

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from finance.pages.charts import cumulative_line_chart
from finance.selectors import category_names_for_user
from insights.charts import box_plot
from insights.forms import DismissForm
from insights.selectors.consent import BENCHMARKING, user_consents
from insights.selectors.peers import NotPublishedError, benchmark_for, comparison_for
from insights.selectors.profiles import profile_json
from insights.selectors.recommendations import visible_recommendation, visible_recommendations
from insights.selectors.summaries import score_for, summary_for
from insights.services import profile_fresh, recommendation_accept, recommendation_dismiss
from insights.wording import signal_sentences

PEER_CATEGORIES = 4


def _spending_curve(summary: dict, *, days_elapsed: int):
    """The month's running total on the dashboard's chart, from the summary's own figures."""
    so_far = [(date.fromisoformat(day["date"]), Decimal(day["spent"])) for day in summary["daily"][:days_elapsed]]
    return cumulative_line_chart(
        daily=so_far,
        days_in_month=len(summary["daily"]),
        projected_total=Decimal(summary["burn_rate"]["projected_total"]),
    )


def _named(lines: list[dict], names: dict[str, str]) -> list[dict]:
    """The lines with each category's name as the person named it (the API keeps the slug)."""
    return [{**line, "name": names.get(line["category"], line["category"])} for line in lines]


def _peers(user, summary: dict, names: dict[str, str]) -> dict | None:
    comparisons, benchmarks = [], {}
    month_day = date.fromisoformat(summary["start"])
    for line in summary["by_category"][:PEER_CATEGORIES]:
        try:
            benchmarks[line["category"]] = benchmark_for(user=user, category=line["category"], month=month_day)
            comparisons.append(comparison_for(user=user, category=line["category"], month=month_day))
        except NotPublishedError:
            continue
    return box_plot(_named(comparisons, names), benchmarks) if comparisons else None


@login_required
def insights_page(request):
    user = request.user
    if not user_consents(user=user):
        return render(request, "insights/insights.html", {"consent_off": True})
    summary = summary_for(user=user, period="month")
    days_elapsed = len(summary["daily"]) - summary["burn_rate"]["days_left"]
    profile = profile_json(profile_fresh(user=user, window=30))
    names = category_names_for_user(user=user)
    context = {
        "summary": summary,
        "period_start": date.fromisoformat(summary["start"]),
        "period_end": date.fromisoformat(summary["end"]),
        "by_category": _named(summary["by_category"], names),
        "curve": _spending_curve(summary, days_elapsed=days_elapsed),
        "score": score_for(user=user),
        "profile": profile,
        "sentences": signal_sentences(profile, user.currency),
        "benchmarking": user_consents(user=user, scopes=(BENCHMARKING,)),
    }
    context["peers"] = _peers(user, summary, names) if context["benchmarking"] else None
    return render(request, "insights/insights.html", context)


@login_required
def recommendations_page(request):
    return render(
        request,
        "insights/recommendations.html",
        {"recommendations": visible_recommendations(user=request.user), "form": DismissForm()},
    )


def _answer(request, recommendation_id: int, answer, **kwargs) -> None:
    try:
        recommendation = visible_recommendation(user=request.user, recommendation_id=recommendation_id)
        answer(user=request.user, recommendation=recommendation, **kwargs)
    except ObjectDoesNotExist:
        raise Http404("No such recommendation.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))


@login_required
@require_POST
def recommendation_accept_view(request, recommendation_id: int):
    _answer(request, recommendation_id, recommendation_accept)
    if not messages.get_messages(request):
        messages.success(request, "Accepted. Thank you.")
    return redirect("insights:recommendations")


@login_required
@require_POST
def recommendation_dismiss_view(request, recommendation_id: int):
    form = DismissForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Feedback must be under 2000 characters.")
        return redirect("insights:recommendations")
    _answer(request, recommendation_id, recommendation_dismiss, feedback=form.cleaned_data["feedback"])
    messages.success(request, "Dismissed. Thank you for the feedback.")
    return redirect("insights:recommendations")
