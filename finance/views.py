"""Ledger pages. Thin: forms shape the input, finance.services does the work, like the API."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.money import money_format
from core.months import month_start
from finance import services
from finance.forms import (
    AccountForm,
    BudgetForm,
    CategoryForm,
    RuleForm,
    TransactionFilterForm,
    TransactionForm,
    show_service_errors,
)
from finance.models import Transaction
from finance.pages.dashboard import budget_rows, dashboard_context
from finance.selectors import (
    accounts_for_user,
    budgets_for_user,
    categorization_rules_for_user,
    transactions_for_user,
)

PAGE_SIZE = 50
UNDONE = {"create": "Undid adding", "update": "Undid the change to", "delete": "Restored"}


@login_required
def dashboard(request):
    return render(request, "finance/dashboard.html", dashboard_context(user=request.user))


def _saved(request, form, service, message: str, **target) -> bool:
    """Call `service` with a valid form's data (only what changed, when editing `target`); show any rule broken."""
    if not form.is_valid():
        return False
    values = form.cleaned_data
    if target:
        values = {field: values[field] for field in form.changed_data}
        if not values:
            messages.info(request, "Nothing changed.")
            return True
    try:
        service(user=request.user, **target, **values)
    except ValidationError as error:
        show_service_errors(form, error)
        return False
    messages.success(request, message)
    return True


@dataclass(frozen=True)
class EditableRow:
    """One kind of the user's rows with an edit page (finance/<name>_edit.html) and a delete button."""

    name: str  # transaction, budget, rule: the services' keyword and the template's
    rows: Callable  # the user's rows of this kind (a selector)
    form: type
    update: Callable
    delete: Callable
    saved: str
    deleted: str
    back: str  # where both go when done


def _edit_view(row: EditableRow):
    @login_required
    def edit(request, pk: int):
        target = get_object_or_404(row.rows(user=request.user), pk=pk)
        form = row.form(request.POST or None, user=request.user, initial=row.form.initial_for(target))
        if request.method == "POST" and _saved(request, form, row.update, row.saved, **{row.name: target}):
            return redirect(row.back)
        return render(request, f"finance/{row.name}_edit.html", {"form": form, row.name: target})

    return edit


def _delete_view(row: EditableRow):
    @login_required
    @require_POST
    def delete(request, pk: int):
        target = get_object_or_404(row.rows(user=request.user), pk=pk)
        row.delete(user=request.user, **{row.name: target})
        messages.success(request, row.deleted)
        return redirect(row.back)

    return delete


def _page_link_query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def transactions(request):
    add_form = TransactionForm(
        request.POST or None, user=request.user, initial={"occurred_at": timezone.localtime().replace(second=0)}
    )
    if request.method == "POST" and _saved(request, add_form, services.transaction_record, "Transaction added."):
        return redirect("transactions")
    filters = TransactionFilterForm(request.GET, user=request.user)
    listed = filters.transactions() if filters.is_valid() else Transaction.objects.none()
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "add_form": add_form,
        "page": page,
        "page_query": _page_link_query(request),
    }
    return render(request, "finance/transactions.html", context)


@login_required
@require_POST
def transaction_undo(request):
    try:
        undone = services.transaction_undo_last(user=request.user)
    except services.NothingToUndo:
        messages.warning(request, "Nothing left to undo.")
    else:
        what = undone.transaction
        if what is None:  # an import's revert
            messages.success(
                request, f"Brought back {undone.count} transactions of the import “{undone.import_job.filename}”."
            )
        else:
            label = what.merchant or what.description or what.category.name
            messages.success(request, f"{UNDONE[undone.action]} “{label}” ({what.amount} {what.currency}).")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "transactions"
    return redirect(target)


@login_required
def accounts(request):
    form = AccountForm(request.POST or None, initial={"currency": request.user.currency})
    if request.method == "POST" and _saved(request, form, services.account_create, "Account added."):
        return redirect("accounts")
    listed = accounts_for_user(user=request.user).order_by("archived_at", "-is_default", "name", "id")
    rows = [AccountRow.of(account) for account in listed]
    context = {
        "form": form,
        "accounts": [row for row in rows if not row.account.is_archived],
        "archived": [row for row in rows if row.account.is_archived],
    }
    return render(request, "finance/accounts.html", context)


@dataclass(frozen=True)
class AccountRow:
    """An account with its figures written in its currency (core.money)."""

    account: object
    balance: str
    credit_limit: str

    @classmethod
    def of(cls, account) -> "AccountRow":
        limit = account.credit_limit
        return cls(
            account=account,
            balance=money_format(account.balance, account.currency),
            credit_limit=money_format(limit, account.currency) if limit is not None else "",
        )


@login_required
def account_edit(request, pk: int):
    account = get_object_or_404(accounts_for_user(user=request.user), pk=pk)
    form = AccountForm(request.POST or None, initial=AccountForm.initial_for(account), editing=True)
    if request.method == "POST" and _saved(request, form, services.account_update, "Account saved.", account=account):
        return redirect("accounts")
    return render(request, "finance/account_edit.html", {"form": form, "account": account})


ACCOUNT_CHANGES = {
    "archive": ({"archived": True}, "“{}” is archived. Its history stays; it takes no new transactions."),
    "restore": ({"archived": False}, "“{}” is back in use."),
    "default": ({"is_default": True}, "“{}” is now your default account."),
}


@login_required
@require_POST
def account_change(request, pk: int, change: str):
    """Archive, restore or make default: one button each on the Accounts page."""
    account = get_object_or_404(accounts_for_user(user=request.user), pk=pk)
    values, done = ACCOUNT_CHANGES[change]
    try:
        services.account_update(user=request.user, account=account, **values)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done.format(account.name))
    return redirect("accounts")


@login_required
def budgets(request):
    form = BudgetForm(request.POST or None, user=request.user)
    if request.method == "POST" and _saved(request, form, services.budget_create, "Budget set."):
        return redirect("budgets")
    this_month = month_start(timezone.now(), request.user.timezone)
    context = {
        "form": form,
        "budgets": budgets_for_user(user=request.user),
        "rows": budget_rows(user=request.user, month=this_month),
        "this_month": this_month,
    }
    return render(request, "finance/budgets.html", context)


@login_required
def categories(request):
    adding = request.POST.get("adding") if request.method == "POST" else None
    category_form = CategoryForm(request.POST if adding == "category" else None, user=request.user, prefix="category")
    rule_form = RuleForm(request.POST if adding == "rule" else None, user=request.user, prefix="rule")
    if adding == "category" and _saved(request, category_form, services.category_create, "Category added."):
        return redirect("categories")
    if adding == "rule" and _saved(request, rule_form, services.categorization_rule_create, "Rule added."):
        return redirect("categories")
    context = {
        "category_form": category_form,
        "rule_form": rule_form,
        "own_categories": request.user.categories.select_related("parent"),
        "rules": categorization_rules_for_user(user=request.user),
    }
    return render(request, "finance/categories.html", context)


TRANSACTION = EditableRow(
    name="transaction", rows=transactions_for_user, form=TransactionForm, update=services.transaction_update,
    delete=services.transaction_delete, saved="Transaction saved.",
    deleted="Transaction deleted. Use Undo to bring it back.", back="transactions",
)  # fmt: skip
BUDGET = EditableRow(
    name="budget", rows=budgets_for_user, form=BudgetForm, update=services.budget_update,
    delete=services.budget_delete, saved="Budget saved.", deleted="Budget removed.", back="budgets",
)  # fmt: skip
RULE = EditableRow(
    name="rule", rows=categorization_rules_for_user, form=RuleForm, update=services.categorization_rule_update,
    delete=services.categorization_rule_delete, saved="Rule saved.", deleted="Rule removed.", back="categories",
)  # fmt: skip
transaction_edit, transaction_delete = _edit_view(TRANSACTION), _delete_view(TRANSACTION)
budget_edit, budget_delete = _edit_view(BUDGET), _delete_view(BUDGET)
rule_edit, rule_delete = _edit_view(RULE), _delete_view(RULE)
