"""Signals and persona in plain words, for the insights page."""

from core.display import count_noun
from core.money import money_format


def signal_sentences(profile: dict, currency: str) -> list[str]:
    signals = profile["signals"]
    subscriptions, credit, savings, income = (signals[k] for k in ("subscriptions", "credit", "savings", "income"))
    sentences = []
    if subscriptions["count"]:
        names = ", ".join(r["merchant"] for r in subscriptions["recurring_merchants"])
        sentences.append(
            f"You have {count_noun(subscriptions['count'], 'recurring payment')} ({names}), about "
            f"{money_format(subscriptions['monthly_recurring_spend'], currency)} a month."
        )
    else:
        sentences.append("We found no recurring payments.")
    if credit["cards"]:
        sentences.append(f"Your most used card is at {round(100 * (credit['max_utilization'] or 0))}% of its limit.")
    if credit["interest_charges"] != "0.00":
        sentences.append(f"You paid {money_format(credit['interest_charges'], currency)} in interest in this period.")
    if savings["net_inflow"] != "0.00":
        sentences.append(f"{money_format(savings['monthly_net_inflow'], currency)} a month went into savings.")
    if savings["emergency_fund_months"] is not None:
        sentences.append(f"Your savings would cover {savings['emergency_fund_months']:.1f} months of spending.")
    if income["payroll_detected"]:
        sentences.append(
            f"Your pay looks {income['pay_frequency']}; about {money_format(income['monthly_income'], currency)} a month."
        )
    if income["buffer_months"] is not None:
        sentences.append(f"Your everyday accounts hold {income['buffer_months']:.1f} months of spending.")
    return sentences
