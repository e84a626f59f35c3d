"""Operator API (/api/v1/operator/): staff only; decisions go through operators.services."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from insights.choices import ReviewStatus
from insights.selectors.profiles import profile_json
from insights.selectors.review import review_queue
from insights.serializers import RecommendationOut
from insights.services import profile_fresh
from operators import selectors, services


class IsOperator(permissions.IsAdminUser):
    """Staff only, as docs/api.md says; the admin additionally checks the `operators` group's permissions."""

    message = "Only operators (staff) may use the operator API."


class OperatorRecommendationOut(RecommendationOut):
    user = serializers.IntegerField(source="user_id")
    user_email = serializers.EmailField(source="user.email")
    status = serializers.CharField()
    persona = serializers.CharField()
    signals = serializers.DictField(source="data")
    original_title = serializers.CharField()
    original_body = serializers.CharField()
    reviewed_at = serializers.DateTimeField()


class StatusQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=ReviewStatus.choices, required=False)


@extend_schema(parameters=[OpenApiParameter("status", enum=ReviewStatus.values, required=False)])
class RecommendationQueueView(ListAPIView):
    """The review queue: pending first, oldest first; `?status=` filters."""

    permission_classes = [IsOperator]
    serializer_class = OperatorRecommendationOut

    def get_queryset(self):
        query = StatusQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return review_queue(status=query.validated_data.get("status"))


class ApproveIn(serializers.Serializer):
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class RejectIn(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class OverrideIn(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    body = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    reason = serializers.CharField(max_length=2000)


class _DecisionView(APIView):
    """Validate the body, call the decision service, answer with the recommendation (409 if already decided)."""

    permission_classes = [IsOperator]
    input_class: type[serializers.Serializer]
    decision: staticmethod

    def post(self, request, pk: int):
        given = self.input_class(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            recommendation = self.decision(operator=request.user, recommendation_id=pk, **given.validated_data)
        except ObjectDoesNotExist:
            raise NotFound("No such recommendation.")
        except services.DecisionConflict as conflict:
            return Response({"detail": str(conflict)}, status=status.HTTP_409_CONFLICT)
        return Response(OperatorRecommendationOut(recommendation).data)


@extend_schema(request=ApproveIn, responses=OperatorRecommendationOut)
class ApproveView(_DecisionView):
    input_class = ApproveIn
    decision = staticmethod(services.recommendation_approve)


@extend_schema(request=RejectIn, responses=OperatorRecommendationOut)
class RejectView(_DecisionView):
    input_class = RejectIn
    decision = staticmethod(services.recommendation_reject)


@extend_schema(request=OverrideIn, responses=OperatorRecommendationOut)
class OverrideView(_DecisionView):
    input_class = OverrideIn
    decision = staticmethod(services.recommendation_override)


class BulkApproveIn(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=False, max_length=500)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


@extend_schema(
    request=BulkApproveIn,
    responses=inline_serializer(
        "BulkApproveOut",
        {
            "approved": serializers.IntegerField(),
            "failed": serializers.IntegerField(),
            "approved_ids": serializers.ListField(child=serializers.IntegerField()),
            "failed_ids": serializers.ListField(child=serializers.IntegerField()),
            "errors": serializers.ListField(child=serializers.DictField()),
        },
    ),
)
class BulkApproveView(APIView):
    permission_classes = [IsOperator]

    def post(self, request):
        given = BulkApproveIn(data=request.data)
        given.is_valid(raise_exception=True)
        result = services.recommendations_bulk_approve(
            operator=request.user, recommendation_ids=given.validated_data["ids"], notes=given.validated_data["notes"]
        )
        return Response(
            {
                "approved": len(result.approved),
                "failed": len(result.failed),
                "approved_ids": result.approved,
                "failed_ids": result.failed,
                "errors": result.errors,
            }
        )


class DashboardView(APIView):
    permission_classes = [IsOperator]

    @extend_schema(responses=inline_serializer("OperatorDashboard", {"total_users": serializers.IntegerField()}))
    def get(self, request):
        return Response(selectors.dashboard_figures())


class UserSignalsView(APIView):
    permission_classes = [IsOperator]

    @extend_schema(responses=inline_serializer("OperatorUserSignals", {"user": serializers.IntegerField()}))
    def get(self, request, pk: int):
        user = get_object_or_404(get_user_model(), pk=pk)
        windows = {}
        for window in (30, 180):
            profile = profile_fresh(user=user, window=window)
            windows[str(window)] = profile_json(profile) if profile else None
        if not any(windows.values()):
            raise NotFound("This user has not consented to data processing, so no signals are computed.")
        return Response({"user": user.pk, "windows": windows})
