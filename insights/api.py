"""The insights and recommendations API (docs/api.md, "Insights and recommendations"). Thin: validate, read, answer."""

from datetime import date

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import InUserTimezone, Pagination
from finance.selectors import category_for_slug
from insights import serializers as s
from insights.analytics import score as score_formula
from insights.selectors.consent import BENCHMARKING, user_consents
from insights.selectors.peers import NotPublishedError, benchmark_for, comparison_for
from insights.selectors.profiles import anomalies_for, profile_json
from insights.selectors.recommendations import recommendation_json, visible_recommendation, visible_recommendations
from insights.selectors.summaries import score_for, summary_for, user_today
from insights.services import profile_fresh, recommendation_accept, recommendation_dismiss

CONSENT_MISSING = "Your consent to {scope} is off; turn it on in Settings to see this."


def _query(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _require(request, *scopes: str) -> None:
    if not user_consents(user=request.user, scopes=scopes):
        missing = scopes[0] if scopes else "data processing"
        raise PermissionDenied(CONSENT_MISSING.format(scope=missing.replace("_", " ")))


def _month(request) -> date:
    return _query(s.MonthQuery, request).get("month") or user_today(request.user).replace(day=1)


class SummaryView(InUserTimezone, APIView):
    @extend_schema(parameters=[s.SummaryQuery], responses=s.SummaryOut, description=(
        "Spending of a week, month, quarter or year (`?period=&date=`, or `?month=YYYY-MM`), compared with the "
        "previous period and with your own average (the mean of the 6 weeks, 6 months, 4 quarters or 3 years "
        "before it). burn_rate of a month: where it is projected to end, as on the dashboard and the budgets (regular bills once on their dates, variable spending at a pace blended with your own history; docs/forecast.md). Of a week, quarter or year: per_day = spent / days elapsed; projected_total = per_day x days in the period."
    ))  # fmt: skip
    def get(self, request):
        _require(request)
        query = _query(s.SummaryQuery, request)
        period, day = query["period"], query.get("date")
        if "month" in query:
            period, day = "month", query["month"]
        return Response(summary_for(user=request.user, period=period, day=day))


class ScoreView(InUserTimezone, APIView):
    @extend_schema(parameters=[s.MonthQuery], responses=s.ScoreOut, description=score_formula.__doc__)
    def get(self, request):
        _require(request)
        return Response(score_for(user=request.user, month=_month(request)))


class BenchmarkView(InUserTimezone, APIView):
    @extend_schema(parameters=[s.MonthQuery], responses=s.BenchmarkOut, description=(
        "Percentiles of monthly spending in the category among consenting users of your cohort (income band, "
        "or everyone). 404 when fewer than 10 consenting users are in it. Needs your benchmarking consent."
    ))  # fmt: skip
    def get(self, request, category: str):
        _require(request, BENCHMARKING)
        _category(request, category)
        try:
            benchmark = benchmark_for(user=request.user, category=category, month=_month(request))
        except NotPublishedError as exc:
            raise NotFound(str(exc))
        return Response({k: v for k, v in benchmark.items() if k not in ("minimum", "maximum")})


class ComparisonView(InUserTimezone, APIView):
    @extend_schema(parameters=[s.MonthQuery], responses=s.ComparisonOut, description=(
        "Your spending in the category against your cohort: percentile_rank interpolated linearly through "
        "min, p10..p90 and max; outlier high at or above p90, low at or below p10; change on the previous "
        "month and the same month a year before."
    ))  # fmt: skip
    def get(self, request, category: str):
        _require(request, BENCHMARKING)
        _category(request, category)
        try:
            return Response(comparison_for(user=request.user, category=category, month=_month(request)))
        except NotPublishedError as exc:
            raise NotFound(str(exc))


def _category(request, slug: str) -> None:
    try:
        category_for_slug(user=request.user, slug=slug)
    except ObjectDoesNotExist:
        raise NotFound("Unknown category.")


class ProfileView(InUserTimezone, APIView):
    @extend_schema(parameters=[s.ProfileQuery], responses=s.ProfileOut, description=(
        "Signals (subscriptions, credit, savings, income) and persona over 30 or 180 days; recomputed on "
        "request when your data changed since the nightly job. Thresholds in docs/insights.md."
    ))  # fmt: skip
    def get(self, request):
        _require(request)
        window = int(_query(s.ProfileQuery, request)["window"])
        return Response(profile_json(profile_fresh(user=request.user, window=window)))


class AnomalyListView(InUserTimezone, APIView):
    @extend_schema(parameters=[s.MonthQuery], responses=s.AnomalyOut(many=True))
    def get(self, request):
        _require(request)
        paginator = Pagination()
        page = paginator.paginate_queryset(anomalies_for(user=request.user, month=_month(request)), request, view=self)
        return paginator.get_paginated_response(s.AnomalyOut(page, many=True).data)


@extend_schema_view(
    accept=extend_schema(parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)]),
    dismiss=extend_schema(parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)]),
)
class RecommendationViewSet(InUserTimezone, viewsets.ViewSet):
    """Approved (or operator-edited) recommendations for you; accept or dismiss them."""

    @extend_schema(responses=s.RecommendationOut(many=True))
    def list(self, request):
        paginator = Pagination()
        page = paginator.paginate_queryset(visible_recommendations(user=request.user), request, view=self)
        return paginator.get_paginated_response(page)

    def _answer(self, request, pk, answer, **kwargs):
        try:
            recommendation = visible_recommendation(user=request.user, recommendation_id=int(pk))
            recommendation = answer(user=request.user, recommendation=recommendation, **kwargs)
        except (ObjectDoesNotExist, ValueError):
            raise NotFound("No such recommendation.")
        return Response(recommendation_json(recommendation), status=status.HTTP_200_OK)

    @extend_schema(
        request=None, responses=s.RecommendationOut, description="A budget_adjustment applies its budget change."
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._answer(request, pk, recommendation_accept)

    @extend_schema(request=s.DismissInput, responses=s.RecommendationOut)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        serializer = s.DismissInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(request, pk, recommendation_dismiss, feedback=serializer.validated_data["feedback"])
