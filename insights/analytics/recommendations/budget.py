"""Budget adjustment: a category over its budget in each of the last 3 months gets a budget at its
average (rounded up to 10), funded where possible by a category under 80% of its budget in each of
those months. Accepting the recommendation applies data["changes"]."""

import math

from core.money import cents_format, cents_to_decimal
from insights.analytics.recommendations.base import Context, Draft

MONTHS = 3
UNDER_SHARE = 0.8
ROUND_TO_CENTS = 10_00


def _round_up(cents: float) -> int:
    return int(math.ceil(cents / ROUND_TO_CENTS) * ROUND_TO_CENTS)


def budget_adjustment(context: Context) -> list[Draft]:
    if context.budgets.empty:
        return []
    months = context.complete_months(MONTHS)
    spent = context.spending_table(months).reindex(context.budgets["category"], fill_value=0)
    budgets = context.budgets.set_index("category")
    limit = budgets["cents"]
    over = spent[(spent.gt(limit, axis=0)).all(axis=1)]
    under = spent[(spent.lt(limit * UNDER_SHARE, axis=0)).all(axis=1)]
    spare = (limit.reindex(under.index) - under.max(axis=1).map(_round_up)).clip(lower=0)
    spare = spare[spare > 0].sort_values(ascending=False)
    drafts = []
    for category, row in over.iterrows():
        new_amount = _round_up(row.mean())
        increase = new_amount - int(limit[category])
        changes = [
            {
                "budget_id": int(budgets.loc[category, "budget_id"]),
                "category": category,
                "from": str(cents_to_decimal(limit[category])),
                "to": str(cents_to_decimal(new_amount)),
            }
        ]
        funded = ""
        if not spare.empty:
            source = spare.index[0]
            cut = int(min(increase, spare.iloc[0]))
            spare = spare.drop(source)
            to_amount = int(limit[source]) - cut
            changes.append(
                {
                    "budget_id": int(budgets.loc[source, "budget_id"]),
                    "category": source,
                    "from": str(cents_to_decimal(limit[source])),
                    "to": str(cents_to_decimal(to_amount)),
                }
            )
            funded = f" and lower {source} from {cents_format(limit[source], context.currency)} to {cents_format(to_amount, context.currency)}, which stayed under 80% of its budget"
        drafts.append(
            Draft(
                kind="budget_adjustment",
                subject_key=f"budget_adjustment:{category}",
                title=f"Make your {category} budget match how you spend",
                body=f"Raise {category} to {cents_format(new_amount, context.currency)}{funded}. Accepting applies the change to your budgets.",
                rationale=(
                    f"{category} was over its {cents_format(limit[category], context.currency)} budget in each of the last {MONTHS} months "
                    f"({', '.join(cents_format(v, context.currency) for v in row.tolist())})."
                ),
                confidence=0.75,
                difficulty="easy",
                data={"changes": changes, "spent": [str(cents_to_decimal(v)) for v in row.tolist()]},
            )
        )
    return drafts
