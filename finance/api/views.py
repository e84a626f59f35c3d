"""Ledger endpoints of docs/api.md: validate the request shape, call finance.services, answer.

Every queryset is the requesting user's own rows, so another user's object is a 404.
"""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api import InUserTimezone
from core.months import month_start
from finance import services
from finance.api.idempotency import HEADER, idempotent
from finance.api.serializers import (
    AccountSerializer,
    BudgetSerializer,
    BudgetStatusQuerySerializer,
    BudgetStatusSerializer,
    CategorizationRuleSerializer,
    CategorySerializer,
    TransactionSerializer,
    UndoSerializer,
)
from finance.forms import TransactionFilterForm
from finance.selectors import (
    accounts_for_user,
    budget_status_for_month,
    budgets_for_user,
    categories_for_user,
    categorization_rules_for_user,
    transactions_for_user,
)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class LedgerViewSet(InUserTimezone, viewsets.ModelViewSet):
    """CRUD through the services named below; `object_name` is the keyword they take the row by."""

    lookup_value_regex = r"\d+"  # so /transactions/undo/ and friends never look like an id
    object_name = ""
    rows_for = create_service = update_service = delete_service = None

    def get_queryset(self):
        return self.rows_for(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = self.create_service(user=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        target = {self.object_name: serializer.instance}
        serializer.instance = self.update_service(user=self.request.user, **target, **serializer.validated_data)

    def perform_destroy(self, instance):
        self.delete_service(user=self.request.user, **{self.object_name: instance})


class AccountViewSet(LedgerViewSet):
    serializer_class = AccountSerializer
    object_name = "account"
    rows_for = staticmethod(accounts_for_user)
    create_service = staticmethod(services.account_create)
    update_service = staticmethod(services.account_update)
    delete_service = staticmethod(services.account_delete)


class CategoryViewSet(InUserTimezone, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """System categories and the user's own; POST adds one of the user's own."""

    serializer_class = CategorySerializer

    def get_queryset(self):
        return categories_for_user(user=self.request.user).select_related("parent")

    def perform_create(self, serializer):
        serializer.instance = services.category_create(user=self.request.user, **serializer.validated_data)


TRANSACTION_FILTERS = [
    OpenApiParameter("month", OpenApiTypes.STR, description="YYYY-MM, in your time zone"),
    OpenApiParameter("from", OpenApiTypes.DATE, description="First day (inclusive), in your time zone"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (inclusive), in your time zone"),
    OpenApiParameter("category", OpenApiTypes.STR, description="Category slug"),
    OpenApiParameter("kind", OpenApiTypes.STR, enum=["expense", "income", "transfer"]),
    OpenApiParameter("tag", OpenApiTypes.STR, description="Tag name"),
    OpenApiParameter("q", OpenApiTypes.STR, description="Text in the merchant or description"),
    OpenApiParameter("min_amount", OpenApiTypes.DECIMAL),
    OpenApiParameter("max_amount", OpenApiTypes.DECIMAL),
]
IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    description="Replays the first answer for the same key and body (24 h); another body -> 422; in flight -> 409.",
)


@extend_schema_view(
    list=extend_schema(parameters=TRANSACTION_FILTERS),
    create=extend_schema(
        parameters=[IDEMPOTENCY_KEY],
        responses={
            201: TransactionSerializer,
            409: OpenApiResponse(DetailSerializer, description="The same Idempotency-Key is still in flight"),
            422: OpenApiResponse(DetailSerializer, description="Idempotency-Key reused with another body"),
        },
    ),
)
class TransactionViewSet(LedgerViewSet):
    """The user's transactions, newest first."""

    serializer_class = TransactionSerializer
    object_name = "transaction"
    create_service = staticmethod(services.transaction_record)
    update_service = staticmethod(services.transaction_update)
    delete_service = staticmethod(services.transaction_delete)

    def get_queryset(self):
        if self.action != "list":
            return transactions_for_user(user=self.request.user)
        filters = TransactionFilterForm(self.request.query_params, user=self.request.user)
        if not filters.is_valid():
            raise ValidationError({name: list(errors) for name, errors in filters.errors.items()})
        return filters.transactions()

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(
        request=None,
        responses={200: UndoSerializer, 409: OpenApiResponse(DetailSerializer, description="Nothing left to undo")},
    )
    @action(detail=False, methods=["post"])
    def undo(self, request):
        """Reverse your most recent create, update or delete (repeat to go further back)."""
        try:
            undone = services.transaction_undo_last(user=request.user)
        except services.NothingToUndo as exc:
            return Response({"detail": str(exc) or "Nothing left to undo."}, status=status.HTTP_409_CONFLICT)
        return Response(UndoSerializer(undone, context=self.get_serializer_context()).data)


class BudgetViewSet(LedgerViewSet):
    """Monthly limits per category (or overall), for one month or every month."""

    serializer_class = BudgetSerializer
    object_name = "budget"
    rows_for = staticmethod(budgets_for_user)
    create_service = staticmethod(services.budget_create)
    update_service = staticmethod(services.budget_update)
    delete_service = staticmethod(services.budget_delete)

    @extend_schema(parameters=[BudgetStatusQuerySerializer], responses=BudgetStatusSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)
    def status(self, request):
        """How each budget of the month stands: spent, projection and the chance of staying within it."""
        query = BudgetStatusQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        month = query.validated_data.get("month") or month_start(timezone.now(), request.user.timezone)
        statuses = budget_status_for_month(user=request.user, month=month)
        return Response(BudgetStatusSerializer(statuses, many=True).data)


class CategorizationRuleViewSet(LedgerViewSet):
    """The user's own rules, tried by priority (lower first) before the learned model."""

    serializer_class = CategorizationRuleSerializer
    object_name = "rule"
    rows_for = staticmethod(categorization_rules_for_user)
    create_service = staticmethod(services.categorization_rule_create)
    update_service = staticmethod(services.categorization_rule_update)
    delete_service = staticmethod(services.categorization_rule_delete)
