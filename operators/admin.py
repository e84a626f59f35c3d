"""The operators' review console in the Django admin: the approval queue and the audit trail."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from core.display import count_noun, humanise
from insights.analytics.personas import persona_name
from insights.models import Recommendation, ReviewStatus
from insights.selectors.review import recommendation_for_review
from operators import services
from operators.forms import DECISION_FORMS
from operators.models import ReviewDecision
from operators.permissions import REVIEW_PERMISSION

TITLE_CHARS = 60
PERSON_CHARS = 24


def _cut(text: str, chars: int):
    """`text` cut to `chars`, the whole of it on hover."""
    return format_html('<span title="{}">{}</span>', text, Truncator(text).chars(chars))


DECISION_SERVICES = {
    "approve": services.recommendation_approve,
    "reject": services.recommendation_reject,
    "override": services.recommendation_override,
}


class ConfidenceFilter(admin.SimpleListFilter):
    title = "confidence"
    parameter_name = "confidence"
    BANDS = {"low": (0.0, 0.5), "medium": (0.5, 0.8), "high": (0.8, 1.01)}

    def lookups(self, request, model_admin):
        return [("low", "Low (< 0.5)"), ("medium", "Medium (0.5–0.8)"), ("high", "High (≥ 0.8)")]

    def queryset(self, request, queryset):
        if self.value() not in self.BANDS:
            return queryset
        low, high = self.BANDS[self.value()]
        return queryset.filter(confidence__gte=low, confidence__lt=high)


class ReviewDecisionInline(admin.TabularInline):
    model = ReviewDecision
    extra = 0
    fields = ("created_at", "operator", "action", "reason", "notes")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.site_header = "Spendwise operators"
admin.site.site_title = "Spendwise admin"

if admin.site.is_registered(Recommendation):
    admin.site.unregister(Recommendation)


@admin.register(Recommendation)
class RecommendationReviewAdmin(admin.ModelAdmin):
    """Pending first, oldest first. Decisions are buttons on the change page and a bulk action."""

    # Short columns, so the queue reads at 1280 px; a cut title keeps its full text on hover.
    list_display = ("short_title", "person", "kind", "persona_name", "sure", "status", "created")
    list_display_links = ("short_title",)
    list_filter = ("status", "kind", "persona", ConfidenceFilter)
    search_fields = ("user__email", "user__display_name", "title")
    list_select_related = ("user",)
    actions = ["bulk_approve"]
    inlines = [ReviewDecisionInline]
    change_form_template = "admin/operators/recommendation_review.html"
    fieldsets = [
        (None, {"fields": ("user", "kind", "status", "title", "body", "rationale")}),
        ("Why", {"fields": ("persona", "signals", "confidence", "difficulty", "estimated_monthly_savings")}),
        ("Before an override", {"fields": ("original_title", "original_body"), "classes": ("collapse",)}),
        ("User's answer", {"fields": ("user_status", "feedback", "created_at", "reviewed_at")}),
    ]
    readonly_fields = (
        "user", "kind", "status", "title", "body", "rationale", "persona", "signals", "confidence", "difficulty",
        "estimated_monthly_savings", "original_title", "original_body", "user_status", "feedback", "created_at",
        "reviewed_at",
    )  # fmt: skip

    def get_ordering(self, request):
        pending_first = Case(
            When(status=ReviewStatus.PENDING_REVIEW, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        return (pending_first.asc(), "created_at", "id")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # the page is read-only; decisions go through the buttons

    def has_delete_permission(self, request, obj=None):
        return False

    def has_review_permission(self, request):
        return request.user.has_perm(REVIEW_PERMISSION)

    @admin.display(description="Title", ordering="title")
    def short_title(self, recommendation):
        return _cut(recommendation.title, TITLE_CHARS)

    @admin.display(description="Person", ordering="user__email")
    def person(self, recommendation):
        return _cut(recommendation.user.display_name or recommendation.user.email, PERSON_CHARS)

    @admin.display(description="Profile", ordering="persona")
    def persona_name(self, recommendation):
        return persona_name(recommendation.persona)

    @admin.display(description="Sure", ordering="confidence")
    def sure(self, recommendation):
        return f"{round(100 * recommendation.confidence)}%"

    @admin.display(description="Drafted", ordering="created_at")
    def created(self, recommendation):
        return date_format(timezone.localtime(recommendation.created_at), "j M, H:i")

    @admin.display(description="Signals behind it")
    def signals(self, recommendation):
        items = sorted((humanise(key), value) for key, value in (recommendation.data or {}).items())
        if not items:
            return "—"
        rows = format_html_join("", "<tr><th scope='row'>{}</th><td>{}</td></tr>", items)
        return format_html("<table class='signals'>{}</table>", rows)

    @admin.action(description="Approve selected recommendations", permissions=["review"])
    def bulk_approve(self, request, queryset):
        result = services.recommendations_bulk_approve(
            operator=request.user, recommendation_ids=list(queryset.values_list("id", flat=True))
        )
        if result.approved:
            self.message_user(
                request, f"Approved {count_noun(len(result.approved), 'recommendation')}.", messages.SUCCESS
            )
        for error in result.errors:
            self.message_user(request, f"#{error['id']}: {error['message']}", messages.WARNING)

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_view)
        return [
            path("<int:object_id>/decide/<str:action>/", decide, name="operators_recommendation_decide")
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        recommendation = recommendation_for_review(recommendation_id=object_id)
        can_decide = bool(
            recommendation
            and recommendation.status == ReviewStatus.PENDING_REVIEW
            and self.has_review_permission(request)
        )
        forms = {name: form_class() for name, form_class in DECISION_FORMS.items()}
        if recommendation is not None:
            forms["override"].initial = {"title": recommendation.title, "body": recommendation.body}
        extra_context = {**(extra_context or {}), "can_decide": can_decide, "decision_forms": forms}
        return super().change_view(request, object_id, form_url, extra_context)

    def decide_view(self, request, object_id: int, action: str):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if action not in DECISION_SERVICES or not self.has_review_permission(request):
            raise PermissionDenied
        form = DECISION_FORMS[action](request.POST)
        problems = [] if form.is_valid() else [f"{field}: {' '.join(errs)}" for field, errs in form.errors.items()]
        if not problems:
            try:
                DECISION_SERVICES[action](operator=request.user, recommendation_id=object_id, **form.cleaned_data)
            except Recommendation.DoesNotExist:
                raise Http404("No such recommendation.")
            except services.DecisionConflict as conflict:
                problems = [str(conflict)]
            except ValidationError as error:
                problems = [f"{field}: {' '.join(errs)}" for field, errs in error.message_dict.items()]
        if problems:
            for problem in problems:
                self.message_user(request, f"Could not {action}: {problem}", messages.ERROR)
            return redirect(reverse("admin:insights_recommendation_change", args=[object_id]))
        self.message_user(request, f"Recommendation #{object_id}: {action} recorded.", messages.SUCCESS)
        return redirect(reverse("admin:insights_recommendation_changelist"))


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(admin.ModelAdmin):
    """The audit trail: nobody may add, change or delete a row here, superusers included."""

    list_display = ("created_at", "operator", "action", "recommendation", "reason")
    list_filter = ("action", "operator")
    search_fields = ("recommendation__user__email", "operator__email", "reason")
    readonly_fields = ("recommendation", "operator", "action", "reason", "notes", "before", "after", "created_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
