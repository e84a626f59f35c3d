"""Categorisation: a pure core (no ORM, no I/O). finance.services.categorizer loads its inputs and saves what it learns."""

from finance.categorization.core import MODEL_THRESHOLD, Categorizer, Decision, Learned
from finance.categorization.features import amount_band
from finance.categorization.linear import LinearModel
from finance.categorization.memory import MerchantMemory, merchant_key
from finance.categorization.rules import InvalidPatternError, Rule, rule_build
from finance.categorization.training import Labelled, memory_build, model_fit

__all__ = [
    "MODEL_THRESHOLD", "Categorizer", "Decision", "InvalidPatternError", "Labelled", "Learned", "LinearModel",
    "MerchantMemory", "Rule", "amount_band", "memory_build", "merchant_key", "model_fit", "rule_build",
]  # fmt: skip
