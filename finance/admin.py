"""The ledger in the admin. Ledger rows are read-only here: every write must go through
finance.services so the aggregate, balances, undo stack and outbox stay right."""

from django.contrib import admin, messages

from core.display import count_noun
from finance import services
from finance.models import (
    Account,
    Budget,
    CategorizationRule,
    Category,
    CreditLiability,
    LearnedCategorizer,
    MonthlyCategoryTotal,
    OutboxEvent,
    SharedCategorizer,
    Tag,
    Transaction,
    UndoEntry,
)
from finance.outbox import outbox_relay_event


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CreditLiabilityInline(admin.StackedInline):
    model = CreditLiability
    extra = 0
    can_delete = False


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ("name", "user", "kind", "currency", "balance", "credit_limit", "is_default", "archived_at")
    list_filter = ("kind", "currency", "is_default", ("archived_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "user__email", "external_id")
    list_select_related = ("user",)
    inlines = [CreditLiabilityInline]


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdmin):
    list_display = ("slug", "name", "user", "parent")
    list_filter = (("user", admin.EmptyFieldListFilter),)
    search_fields = ("slug", "name", "user__email")
    list_select_related = ("user", "parent")


@admin.register(Tag)
class TagAdmin(ReadOnlyAdmin):
    list_display = ("name", "user")
    search_fields = ("name", "user__email")


@admin.action(description="Delete selected transactions (through the ledger; undoable by the user)")
def delete_through_ledger(modeladmin, request, queryset):
    for txn in queryset.select_related("user"):
        services.transaction_delete(user=txn.user, transaction=txn)
    modeladmin.message_user(request, f"{count_noun(queryset.count(), 'transaction')} deleted.", messages.SUCCESS)


@admin.register(Transaction)
class TransactionAdmin(ReadOnlyAdmin):
    list_display = (
        "occurred_at",
        "user",
        "kind",
        "amount",
        "currency",
        "merchant",
        "category",
        "category_source",
        "source",
    )
    list_filter = ("kind", "source", "category_source", "currency", ("deleted_at", admin.EmptyFieldListFilter))
    search_fields = ("merchant", "description", "external_id", "user__email")
    date_hierarchy = "occurred_at"
    list_select_related = ("user", "category")
    show_full_result_count = False  # no COUNT(*) over millions of rows on every page
    actions = [delete_through_ledger]

    def get_queryset(self, request):
        return Transaction.all_objects.all()


@admin.register(MonthlyCategoryTotal)
class MonthlyCategoryTotalAdmin(ReadOnlyAdmin):
    list_display = ("user", "month", "category", "kind", "total", "count")
    list_filter = ("kind", "month")
    search_fields = ("user__email", "category__slug")
    list_select_related = ("user", "category")


@admin.register(Budget)
class BudgetAdmin(ReadOnlyAdmin):
    list_display = ("user", "category", "amount", "month", "rollover", "updated_at")
    list_filter = ("rollover", ("month", admin.EmptyFieldListFilter))
    search_fields = ("user__email", "category__slug")
    list_select_related = ("user", "category")


@admin.register(CategorizationRule)
class CategorizationRuleAdmin(ReadOnlyAdmin):
    list_display = ("user", "priority", "field", "operator", "value", "category")
    list_filter = ("field", "operator")
    search_fields = ("value", "user__email")
    list_select_related = ("user", "category")


@admin.register(LearnedCategorizer)
class LearnedCategorizerAdmin(ReadOnlyAdmin):
    list_display = ("user", "examples", "version", "lessons", "fitted_lessons", "updated_at")
    search_fields = ("user__email",)
    exclude = ("state", "model")


@admin.register(SharedCategorizer)
class SharedCategorizerAdmin(ReadOnlyAdmin):
    list_display = ("version", "merchants", "contributors", "built_at")
    exclude = ("memory", "model")


@admin.register(UndoEntry)
class UndoEntryAdmin(ReadOnlyAdmin):
    list_display = ("user", "action", "transaction", "created_at", "undone_at")
    list_filter = ("action", ("undone_at", admin.EmptyFieldListFilter))
    search_fields = ("user__email",)


@admin.action(description="Relay again now")
def relay_again(modeladmin, request, queryset):
    relayed = sum(outbox_relay_event(event_id=event_id) for event_id in queryset.values_list("id", flat=True))
    modeladmin.message_user(request, f"{relayed} of {queryset.count()} events relayed.", messages.INFO)


@admin.register(OutboxEvent)
class OutboxEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "topic", "user", "created_at", "processed_at", "attempts", "last_error")
    list_filter = ("topic", ("processed_at", admin.EmptyFieldListFilter))
    search_fields = ("user__email", "last_error")
    readonly_fields = ("topic", "user", "payload", "created_at", "processed_at", "attempts", "last_error")
    actions = [relay_again]
