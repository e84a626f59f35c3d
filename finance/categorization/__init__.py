"""Categorisation: a pure core (no ORM, no I/O). finance.services.rules loads its inputs and saves what it learns."""

from finance.categorization.core import MODEL_THRESHOLD, Categorizer, Decision
from finance.categorization.learned import NaiveBayes
from finance.categorization.rules import InvalidPatternError, Rule, rule_build

__all__ = ["MODEL_THRESHOLD", "InvalidPatternError", "Categorizer", "Decision", "NaiveBayes", "Rule", "rule_build"]
