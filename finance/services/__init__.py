"""Every write to the ledger. Views, the API, imports, jobs and commands call these; nothing else writes."""

from finance.services.accounts import account_create, account_delete, account_update, category_create
from finance.services.aggregates import monthly_totals_rebuild
from finance.services.budgets import budget_create, budget_delete, budget_update
from finance.services.categorizer import categorizer_for, categorizer_refit
from finance.services.rules import (
    categorization_rule_create,
    categorization_rule_delete,
    categorization_rule_update,
)
from finance.services.shared_categorizer import shared_categorizer_build
from finance.services.transactions import transaction_delete, transaction_record, transaction_update
from finance.services.undo import NothingToUndo, UndoResult, transaction_undo_last

__all__ = [
    "NothingToUndo",
    "UndoResult",
    "account_create",
    "account_delete",
    "account_update",
    "budget_create",
    "budget_delete",
    "budget_update",
    "categorization_rule_create",
    "categorization_rule_delete",
    "categorization_rule_update",
    "categorizer_for",
    "categorizer_refit",
    "category_create",
    "monthly_totals_rebuild",
    "shared_categorizer_build",
    "transaction_delete",
    "transaction_record",
    "transaction_undo_last",
    "transaction_update",
]
