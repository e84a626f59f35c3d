"""Forms of the ledger pages, and the transaction filters shared by the pages and the API.

The forms only shape input; every write goes through finance.services, whose ValidationErrors
are shown on the form with `show_service_errors`.
"""

from django import forms
from django.core.exceptions import ValidationError

from core.currencies import CURRENCY_CHOICES
from core.months import format_month, parse_month, supported_day
from finance.models import (
    MONEY,
    AccountKind,
    RuleField,
    RuleOperator,
    TransactionKind,
)
from finance.selectors import (
    accounts_for_new_transactions,
    categories_for_user,
    transactions_for_user,
)


def show_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, else at the top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class MonthInput(forms.TextInput):
    input_type = "month"


def _supported_day(value) -> None:
    try:
        supported_day(value)
    except ValueError as exc:
        raise ValidationError(str(exc), code="invalid")


def _clean_month(value: str):
    if not value:
        return None
    try:
        return parse_month(value)
    except ValueError as exc:
        raise ValidationError(str(exc), code="invalid")


class TransactionFilterForm(forms.Form):
    """The `month, from, to, category, kind, tag, q, min_amount, max_amount` filters of docs/api.md."""

    q = forms.CharField(required=False, max_length=200, label="Search", help_text="Merchant or description")
    month = forms.CharField(required=False, label="Month", widget=MonthInput, help_text="YYYY-MM")
    # A list of the person's categories by name on the page; the API passes the slug, as the value.
    category = forms.ModelChoiceField(
        queryset=None,
        required=False,
        to_field_name="slug",
        empty_label="Any category",
        error_messages={"invalid_choice": "No category '%(value)s'."},
    )
    kind = forms.ChoiceField(required=False, choices=[("", "Any")] + TransactionKind.choices)
    tag = forms.CharField(required=False, max_length=40)
    min_amount = forms.DecimalField(required=False, **MONEY, min_value=0, label="Min amount")
    max_amount = forms.DecimalField(required=False, **MONEY, min_value=0, label="Max amount")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["category"].queryset = categories_for_user(user=user)
        # "from" is a Python keyword, so these two are added by name.
        self.fields["from"] = forms.DateField(
            required=False, label="From", widget=forms.DateInput({"type": "date"}), validators=[_supported_day]
        )
        self.fields["to"] = forms.DateField(
            required=False, label="To", widget=forms.DateInput({"type": "date"}), validators=[_supported_day]
        )

    def clean_month(self):
        return _clean_month(self.cleaned_data["month"])

    def transactions(self):
        """The user's transactions narrowed by the cleaned filters; call after is_valid()."""
        filters = dict(self.cleaned_data)
        filters["category"] = filters["category"].slug if filters["category"] else None
        return transactions_for_user(user=self.user, filters=filters)


class AccountForm(forms.Form):
    """Adding an account; `editing=True` for changing one, where the balance is the balance today."""

    name = forms.CharField(max_length=100)
    kind = forms.ChoiceField(choices=AccountKind.choices)
    currency = forms.ChoiceField(choices=CURRENCY_CHOICES)
    balance = forms.DecimalField(
        **MONEY, initial=0, label="Opening balance", help_text="What it holds today; for a card or loan, what you owe."
    )
    credit_limit = forms.DecimalField(
        **MONEY,
        required=False,
        min_value=0,
        label="Credit limit",
        help_text="For a credit card; leave it empty otherwise.",
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["balance"].label = "Balance"
            self.fields[
                "balance"
            ].help_text = (
                "Correct it to match your bank; for a card or loan, what you owe. Transactions move it from here."
            )

    @staticmethod
    def initial_for(account) -> dict:
        return {field: getattr(account, field) for field in ("name", "kind", "currency", "balance", "credit_limit")}


class TransactionForm(forms.Form):
    """Adding or editing a transaction. The account starts on the user's default one; archived accounts are
    offered only when the transaction being edited is already on them."""

    kind = forms.ChoiceField(choices=TransactionKind.choices, initial=TransactionKind.EXPENSE)
    amount = forms.DecimalField(**MONEY, min_value=0, help_text="Always positive; the kind gives the direction.")
    account = forms.ModelChoiceField(queryset=None, required=False, empty_label=None)
    to_account = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="To account",
        empty_label="Not one of my accounts",
        help_text="Only for transfers: where the money goes.",
    )
    occurred_at = forms.DateTimeField(
        label="When",
        widget=forms.DateTimeInput({"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    merchant = forms.CharField(max_length=200, required=False)
    description = forms.CharField(max_length=500, required=False)
    category = forms.ModelChoiceField(
        queryset=None, required=False, to_field_name="slug", empty_label="Categorise it for me"
    )
    tags = forms.CharField(required=False, max_length=400, help_text="Separate tags with commas.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        kept = [self.initial.get("account"), self.initial.get("to_account")]
        accounts = accounts_for_new_transactions(user=user, also=[pk for pk in kept if pk])
        self.fields["account"].queryset = accounts
        self.fields["to_account"].queryset = accounts
        if not self.initial.get("account"):
            self.initial["account"] = next((account.pk for account in accounts if account.is_default), None)
        self.fields["category"].queryset = categories_for_user(user=user)

    def clean_tags(self):
        return [name.strip() for name in self.cleaned_data["tags"].split(",") if name.strip()]

    @staticmethod
    def initial_for(transaction) -> dict:
        return {
            "kind": transaction.kind,
            "amount": transaction.amount,
            "account": transaction.account_id,
            "to_account": transaction.to_account_id,
            "occurred_at": transaction.occurred_at,
            "merchant": transaction.merchant,
            "description": transaction.description,
            "category": transaction.category.slug,
            "tags": ", ".join(transaction.tag_names),
        }


class BudgetForm(forms.Form):
    category = forms.ModelChoiceField(
        queryset=None, required=False, to_field_name="slug", empty_label="All spending (overall budget)"
    )
    amount = forms.DecimalField(**MONEY, min_value=0, help_text="Per month.")
    month = forms.CharField(
        required=False, widget=MonthInput, help_text="Leave empty for every month, or pick one month (YYYY-MM)."
    )
    rollover = forms.BooleanField(required=False, help_text="Add what is left unspent to the next month.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories_for_user(user=user)

    def clean_month(self):
        return _clean_month(self.cleaned_data["month"])

    @staticmethod
    def initial_for(budget) -> dict:
        return {
            "category": budget.category.slug if budget.category else None,
            "amount": budget.amount,
            "month": format_month(budget.month) if budget.month else "",
            "rollover": budget.rollover,
        }


class CategoryForm(forms.Form):
    name = forms.CharField(max_length=80)
    parent = forms.ModelChoiceField(queryset=None, required=False, to_field_name="slug", empty_label="(none)")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = categories_for_user(user=user)


class RuleForm(forms.Form):
    field = forms.ChoiceField(choices=RuleField.choices, label="Look at")
    operator = forms.ChoiceField(choices=RuleOperator.choices, label="Match when it")
    value = forms.CharField(max_length=200, help_text="Text to look for; a Python regular expression for 'regex'.")
    category = forms.ModelChoiceField(queryset=None, to_field_name="slug")
    priority = forms.IntegerField(initial=100, help_text="Lower runs first.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories_for_user(user=user)

    @staticmethod
    def initial_for(rule) -> dict:
        return {
            "field": rule.field,
            "operator": rule.operator,
            "value": rule.value,
            "category": rule.category.slug,
            "priority": rule.priority,
        }
