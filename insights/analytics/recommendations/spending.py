"""Generators that read the user's category spending: merchant consolidation, spending trend, volatility."""

from decimal import Decimal

from core.money import cents_format, cents_to_decimal
from insights.analytics.recommendations.base import Context, Draft

CONSOLIDATION_MIN_MERCHANTS = 5
CONSOLIDATION_MIN_CENTS = 150_00
CONSOLIDATION_SAVING = 0.04  # the middle of the 3-5% a loyalty scheme or bulk buying typically returns
TREND_MIN_INCREASE = 0.10
TREND_MIN_CENTS = 20_00
VOLATILITY_MIN_CV = 0.3
VOLATILITY_MONTHS = 6
VOLATILITY_MIN_MEAN_CENTS = 50_00


def merchant_consolidation(context: Context) -> list[Draft]:
    per_category = context.merchants.groupby("category").agg(merchants=("merchant", "nunique"), cents=("cents", "sum"))
    spread = per_category[
        (per_category["merchants"] >= CONSOLIDATION_MIN_MERCHANTS) & (per_category["cents"] >= CONSOLIDATION_MIN_CENTS)
    ]
    drafts = []
    for category, row in spread.iterrows():
        monthly = row["cents"] / 3
        saving = monthly * CONSOLIDATION_SAVING
        drafts.append(
            Draft(
                kind="merchant_consolidation",
                subject_key=f"merchant_consolidation:{category}",
                title=f"Fewer places for {category}",
                body=(
                    f"Your {category} spending went to {int(row['merchants'])} different merchants. Choosing one or "
                    "two regular places can unlock loyalty discounts and bulk prices."
                ),
                rationale=(
                    f"In the last 90 days you spent {cents_format(row['cents'], context.currency)} on {category} at {int(row['merchants'])} "
                    f"merchants; 3-5% of about {cents_format(monthly, context.currency)} a month is roughly {cents_format(saving, context.currency)}."
                ),
                confidence=0.6,
                difficulty="easy",
                estimated_monthly_savings=cents_to_decimal(saving),
                data={
                    "category": category,
                    "merchants": int(row["merchants"]),
                    "spent_90_days": str(cents_to_decimal(row["cents"])),
                },
            )
        )
    return drafts


def spending_trend(context: Context) -> list[Draft]:
    before, last = context.complete_months(2)
    table = context.spending_table([before, last])
    change = (table[last] - table[before]) / table[before].where(table[before] > 0)
    rising = table[(change > TREND_MIN_INCREASE) & (table[last] - table[before] >= TREND_MIN_CENTS)]
    drafts = []
    for category, row in rising.iterrows():
        increase = row[last] - row[before]
        pct = 100 * increase / row[before]
        drafts.append(
            Draft(
                kind="spending_trend",
                subject_key=f"spending_trend:{category}:{last:%Y-%m}",
                title=f"{category.capitalize()} is up {pct:.0f}% on the month before",
                body=f"Your {category} spending rose last month. A look at what changed may help you decide if it was worth it.",
                rationale=(
                    f"{category} went from {cents_format(row[before], context.currency)} in {before:%B} to {cents_format(row[last], context.currency)} in {last:%B} "
                    f"(+{pct:.0f}%)."
                ),
                confidence=min(0.9, 0.5 + pct / 200),
                difficulty="moderate",
                estimated_monthly_savings=cents_to_decimal(increase),
                data={
                    "category": category,
                    "previous": str(cents_to_decimal(row[before])),
                    "last": str(cents_to_decimal(row[last])),
                    "change_pct": round(pct, 1),
                },
            )
        )
    return drafts


def volatility(context: Context) -> list[Draft]:
    months = context.complete_months(VOLATILITY_MONTHS)
    table = context.spending_table(months)
    active = table[(table > 0).sum(axis=1) >= 3]
    mean = active.mean(axis=1)
    cv = active.std(axis=1, ddof=0) / mean.where(mean > 0)
    swinging = active[(cv > VOLATILITY_MIN_CV) & (mean >= VOLATILITY_MIN_MEAN_CENTS)]
    drafts = []
    for category, row in swinging.iterrows():
        median = row.median()
        saving = max(0.0, mean[category] - median)
        drafts.append(
            Draft(
                kind="volatility",
                subject_key=f"volatility:{category}",
                title=f"Smooth out your {category} spending",
                body=(
                    f"Your {category} spending swings a lot from month to month. Setting aside a fixed amount each "
                    "month can make the expensive months easier."
                ),
                rationale=(
                    f"Over the last {len(months)} months {category} ranged from {cents_format(row.min(), context.currency)} to "
                    f"{cents_format(row.max(), context.currency)}, averaging {cents_format(mean[category], context.currency)} (coefficient of variation {cv[category]:.2f})."
                ),
                confidence=min(0.85, 0.4 + float(cv[category]) / 2),
                difficulty="moderate",
                estimated_monthly_savings=cents_to_decimal(saving) if saving else Decimal("0.00"),
                data={
                    "category": category,
                    "coefficient_of_variation": round(float(cv[category]), 3),
                    "mean": str(cents_to_decimal(mean[category])),
                },
            )
        )
    return drafts
