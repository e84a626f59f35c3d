from datetime import date
from decimal import Decimal

import pandas as pd
import pytest

from insights.analytics.personas import persona_of
from insights.analytics.recommendations import Context, Draft, ProductSpec, generate
from insights.analytics.recommendations.budget import budget_adjustment
from insights.analytics.recommendations.guardrails import BANNED_PHRASES, DISCLAIMER, apply_guardrails, banned_phrase
from insights.analytics.recommendations.offers import product_offer
from insights.analytics.recommendations.spending import merchant_consolidation, spending_trend, volatility
from insights.analytics.recommendations.subscription_audit import subscription_audit
from insights.analytics.subscriptions import RecurringMerchant

AS_OF = date(2026, 7, 15)
BALANCE_TRANSFER = ProductSpec(
    slug="balance-transfer-card", name="A 0% balance-transfer card", description="Move a balance.",
    personas=["general", "savings_builder"], conditions={"max_utilization": 0.3},
)  # fmt: skip


def monthly(rows: dict[str, list[int]]) -> pd.DataFrame:
    """category -> cents for the 6 complete months before AS_OF, oldest first."""
    months = [pd.Timestamp("2026-01-01") + pd.DateOffset(months=n) for n in range(6)]
    return pd.DataFrame(
        [
            {"month": m, "category": c, "cents": v}
            for c, values in rows.items()
            for m, v in zip(months, values, strict=True)
        ]
    )


def context(**overrides) -> Context:
    values = {
        "user_id": 1, "as_of": AS_OF, "currency": "EUR", "monthly": monthly({}).reindex(columns=["month", "category", "cents"]),
        "merchants": pd.DataFrame(columns=["category", "merchant", "cents"]),
        "budgets": pd.DataFrame(columns=["budget_id", "category", "cents"]), "recurring": [],
        "persona": persona_of("general", []),
        "numbers": {"max_utilization": 0.1, "monthly_income_cents": 300000, "savings_balance_cents": 0, "has_investment": False},
        "products": [BALANCE_TRANSFER],
    }  # fmt: skip
    return Context(**{**values, **overrides})


def test_merchant_consolidation_quotes_the_numbers():
    merchants = pd.DataFrame({"category": "dining", "merchant": [f"Cafe {n}" for n in range(5)], "cents": 6000})
    [draft] = merchant_consolidation(context(merchants=merchants))
    assert draft.subject_key == "merchant_consolidation:dining"
    assert draft.estimated_monthly_savings == Decimal("4.00")  # 4% of 300.00 / 3 months
    assert "300.00" in draft.rationale and "5 merchants" in draft.rationale


def test_spending_trend_needs_more_than_10_percent():
    up = spending_trend(context(monthly=monthly({"dining": [0, 0, 0, 0, 200_00, 221_00]})))
    flat = spending_trend(context(monthly=monthly({"dining": [0, 0, 0, 0, 200_00, 220_00]})))
    assert [d.subject_key for d in up] == ["spending_trend:dining:2026-06"]
    assert flat == []


def test_volatility_over_cv_0_3():
    swinging = volatility(context(monthly=monthly({"travel": [100_00, 400_00, 100_00, 400_00, 100_00, 400_00]})))
    steady = volatility(context(monthly=monthly({"groceries": [300_00, 310_00, 290_00, 300_00, 305_00, 295_00]})))
    assert [d.data["category"] for d in swinging] == ["travel"]
    assert steady == []


def test_subscription_audit_totals_subscriptions():
    recurring = [
        RecurringMerchant("Netflix", "monthly", 3, Decimal("15.99"), Decimal("15.99")),
        RecurringMerchant("Gym", "monthly", 3, Decimal("30.00"), Decimal("30.00")),
    ]
    [draft] = subscription_audit(context(recurring=recurring))
    assert draft.data["monthly_total"] == "45.99"
    assert draft.estimated_monthly_savings == Decimal("15.99")


def test_budget_adjustment_moves_money_from_an_under_used_budget():
    budgets = pd.DataFrame({"budget_id": [1, 2], "category": ["dining", "groceries"], "cents": [200_00, 600_00]})
    spent = monthly({"dining": [0, 0, 0, 250_00, 260_00, 270_00], "groceries": [0, 0, 0, 300_00, 310_00, 320_00]})
    [draft] = budget_adjustment(context(monthly=spent, budgets=budgets))
    assert draft.data["changes"] == [
        {"budget_id": 1, "category": "dining", "from": "200.00", "to": "260.00"},
        {"budget_id": 2, "category": "groceries", "from": "600.00", "to": "540.00"},
    ]


def test_no_balance_transfer_offer_at_80_percent_utilisation():
    high = context(
        numbers={"max_utilization": 0.8, "monthly_income_cents": 0, "savings_balance_cents": 0, "has_investment": False}
    )
    low = context()
    assert product_offer(high) == []
    assert [d.data["product"] for d in product_offer(low)] == ["balance-transfer-card"]


def test_guardrails_drop_an_ineligible_offer_even_if_a_generator_made_it():
    offer = product_offer(context())[0]
    high = context(
        numbers={"max_utilization": 0.8, "monthly_income_cents": 0, "savings_balance_cents": 0, "has_investment": False}
    )
    assert apply_guardrails([offer], high) == []


@pytest.mark.parametrize("phrase", BANNED_PHRASES)
def test_banned_phrases_are_never_produced(phrase):
    draft = Draft(kind="education", subject_key="x", title="Hi", body=f"This is {phrase.upper()}!", rationale="r",
                  confidence=0.5, difficulty="easy")  # fmt: skip
    assert banned_phrase(draft.body)
    assert apply_guardrails([draft], context()) == []


class ShoutingProvider:
    def rewrite(self, draft: Draft) -> Draft:
        return draft.with_text(title="Act now!", body=draft.body)


def test_every_body_carries_the_note_and_a_pressuring_rewrite_is_dropped():
    drafts = generate(context())
    assert drafts and all(d.body.endswith(DISCLAIMER) for d in drafts)
    assert generate(context(), text=ShoutingProvider()) == []
    for draft in drafts:
        assert banned_phrase(f"{draft.title} {draft.body} {draft.rationale}") is None
