"""Synthetic but realistic spending histories, for seed_demo and the categorisation benchmark. Pure: no ORM.

Everything is drawn from a `random.Random` the caller seeds, so the same seed gives the same people.
"""

import random
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# slug -> [(merchant as a statement prints it, low, high)] amounts in whole currency units
MERCHANTS: dict[str, list[tuple[str, int, int]]] = {
    "groceries": [("WHOLE FOODS MARKET", 25, 160), ("TRADER JOE'S", 20, 110), ("SAFEWAY", 15, 120),
                  ("ALDI", 15, 90), ("KROGER", 20, 130), ("COSTCO WHSE", 60, 260)],
    "dining": [("STARBUCKS", 4, 14), ("CHIPOTLE", 9, 28), ("SQ *BLUE BOTTLE COFFEE", 4, 12),
               ("MCDONALD'S", 6, 19), ("DOORDASH*THAI BASIL", 18, 55), ("TST* OSTERIA ROMANA", 30, 120)],
    "transport": [("UBER *TRIP", 8, 38), ("LYFT *RIDE", 8, 35), ("SHELL OIL", 30, 75), ("CHEVRON", 30, 80),
                  ("MTA*NYCT PAYGO", 3, 33)],
    "shopping": [("AMAZON.COM*MK3", 10, 180), ("TARGET", 12, 140), ("BEST BUY", 25, 400), ("ZARA", 30, 150),
                 ("ETSY.COM", 12, 80)],
    "entertainment": [("AMC THEATRES", 12, 40), ("STEAM PURCHASE", 5, 60), ("TICKETMASTER", 40, 220)],
    "health": [("CVS/PHARMACY", 8, 70), ("WALGREENS", 6, 60), ("PLANET FITNESS", 10, 25)],
    "personal_care": [("GREAT CLIPS", 18, 40), ("SEPHORA", 15, 110)],
    "travel": [("DELTA AIR LINES", 150, 650), ("AIRBNB * HM3XQ", 120, 900), ("MARRIOTT HOTELS", 140, 500)],
    "gifts": [("1-800-FLOWERS", 35, 90), ("GOFUNDME DONATION", 10, 100)],
    "education": [("UDEMY", 12, 90), ("COURSERA", 39, 79)],
    "fees": [("OVERDRAFT FEE", 35, 35), ("FOREIGN TRANSACTION FEE", 1, 9)],
}  # fmt: skip
# How many of each a typical person has in a month: (low, high)
PER_MONTH = {
    "groceries": (5, 10), "dining": (6, 16), "transport": (4, 12), "shopping": (2, 7), "entertainment": (0, 3),
    "health": (0, 3), "personal_care": (0, 2), "travel": (0, 1), "gifts": (0, 1), "education": (0, 1), "fees": (0, 1),
}  # fmt: skip
SUBSCRIPTIONS = [("NETFLIX.COM", "15.49"), ("SPOTIFY USA", "10.99"), ("HULU 877-8244858", "7.99"),
                 ("APPLE.COM/BILL", "2.99"), ("DISNEY PLUS", "13.99"), ("ADOBE *CREATIVE CLD", "54.99"),
                 ("DROPBOX*PLUS", "11.99"), ("YOUTUBE PREMIUM", "13.99")]  # fmt: skip
UTILITIES = [("CON EDISON", 60, 160), ("COMCAST XFINITY", 70, 110), ("VERIZON WIRELESS", 45, 95)]
INSURANCE = [("GEICO AUTO", 90, 180), ("STATE FARM INSURANCE", 80, 160)]
CITIES = ["NEW YORK NY", "BROOKLYN NY", "SAN FRANCISCO CA", "AUSTIN TX", "SEATTLE WA", "CHICAGO IL"]
PREFIXES = ["POS PURCHASE", "DEBIT CARD PURCHASE", "CHECKCARD", "VISA DEBIT", "PURCHASE AUTHORIZED ON", ""]
TIMEZONES = ["America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/Berlin", "Europe/London", "UTC"]


@dataclass(frozen=True)
class SyntheticTransaction:
    occurred_at: datetime
    kind: str  # expense | income | transfer
    amount: str  # "12.50"
    merchant: str
    description: str
    category: str  # slug
    account: str  # checking | card | savings
    to_account: str | None = None


@dataclass
class Profile:
    """One synthetic person: how they earn, where they live, what they subscribe to."""

    timezone: str
    salary: int
    payday: int
    rent: int
    scale: float  # spends more or less than the typical person
    card_share: float  # share of day-to-day spending on the credit card
    credit_limit: int
    subscriptions: list[tuple[str, str]] = field(default_factory=list)
    freelancer: bool = False
    # Bills come on their own day each month (merchant -> day); rent is always on the 1st.
    bill_days: dict[str, int] = field(default_factory=dict)
    utilities: int = 2  # how many of UTILITIES they pay
    insurance: tuple[str, str] | None = None  # (merchant, monthly premium)
    # Share of the salary moved to savings each month; None: in about half the months, 3-15%.
    savings_rate: float | None = None
    pay_every_months: int = 1  # a freelancer paid for a project every other month has 2
    investment: bool = False  # also has an investment account
    # Balances the accounts (checking, savings, card, investment) end with today; the opening balances follow.
    end_balances: dict[str, int] = field(default_factory=dict)
    minimum_payment_only: bool | None = None  # the card's last payment; None: drawn
    overdue: bool | None = None


def profile_draw(rng: random.Random) -> Profile:
    salary = rng.choice([2400, 3100, 3800, 4500, 5200, 6500, 8200])
    subscriptions = rng.sample(SUBSCRIPTIONS, rng.randint(1, 6))
    utilities = rng.randint(2, 3)
    insured = rng.random() < 0.8
    merchant, low, high = rng.choice(INSURANCE)
    bills = [name for name, _ in subscriptions] + [name for name, _, _ in UTILITIES[:utilities]] + [merchant]
    return Profile(
        timezone=rng.choice(TIMEZONES),
        salary=salary,
        payday=rng.choice([1, 15, 25, 28]),
        rent=int(salary * rng.uniform(0.22, 0.38)),
        scale=rng.uniform(0.6, 1.6),
        card_share=rng.uniform(0.2, 0.9),
        credit_limit=rng.choice([1500, 3000, 5000, 8000, 12000]),
        subscriptions=subscriptions,
        freelancer=rng.random() < 0.15,
        bill_days={name: rng.randint(2, 28) for name in bills},
        utilities=utilities,
        insurance=(merchant, _money(rng, low, high)) if insured else None,
    )


# People shaped to show each persona of insights.analytics.personas (checked through the profile API in
# the tests): what sets them apart from a drawn profile. Rent and bills of a steady amount count as recurring
# merchants too, so those who must not look subscription heavy pay fewer of them.
PERSONA_TRAITS: dict[str, dict] = {
    "high_utilization": {"card_share": 0.85, "credit_limit": 3000, "end_balances": {"card": 2250}},
    "variable_income": {
        "freelancer": True, "pay_every_months": 2, "savings_rate": 0.0,
        "end_balances": {"checking": 350, "card": 300},
    },
    "subscription_heavy": {
        "subscriptions": SUBSCRIPTIONS[:6], "savings_rate": 0.0, "end_balances": {"card": 600},
    },
    "savings_builder": {
        "subscriptions": [], "utilities": 1, "insurance": None, "savings_rate": 0.12,
        "end_balances": {"card": 250},
    },
    "wealth_builder": {
        "salary": 12500, "freelancer": False, "subscriptions": [], "utilities": 1, "insurance": None,
        "savings_rate": 0.0, "investment": True, "credit_limit": 12000,
        "end_balances": {"savings": 45000, "investment": 90000, "card": 240},
    },
    "general": {
        "salary": 3800, "freelancer": False, "subscriptions": [], "utilities": 1, "insurance": None,
        "savings_rate": 0.0, "credit_limit": 3000, "end_balances": {"card": 1050},
    },
}  # fmt: skip


def persona_profile(rng: random.Random, persona: str) -> Profile:
    """A drawn person with the traits of `persona` (a key of PERSONA_TRAITS)."""
    profile = profile_draw(rng)
    traits = {"freelancer": False, "minimum_payment_only": False, "overdue": False, **PERSONA_TRAITS[persona]}
    days = {name: profile.bill_days.get(name) or rng.randint(2, 28) for name, _ in traits.get("subscriptions", [])}
    profile = replace(profile, bill_days={**profile.bill_days, **days}, **traits)
    if "salary" in traits:
        profile.rent = int(profile.salary * 0.3)
    return profile


def noisy_description(rng: random.Random, merchant: str) -> str:
    """What a bank export prints: a prefix, the merchant, a store number, a city, a date."""
    parts = [rng.choice(PREFIXES), merchant]
    if rng.random() < 0.6:
        parts.append(f"#{rng.randint(100, 9999)}")
    if rng.random() < 0.7:
        parts.append(rng.choice(CITIES))
    if rng.random() < 0.4:
        parts.append(f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}")
    return " ".join(part for part in parts if part)


def _money(rng: random.Random, low: float, high: float) -> str:
    return f"{rng.uniform(low, high):.2f}"


def _moment(rng: random.Random, month: date, day: int, zone: ZoneInfo) -> datetime:
    local = datetime.combine(month.replace(day=day), time(rng.randint(7, 22), rng.randint(0, 59)), tzinfo=zone)
    return local.astimezone(ZoneInfo("UTC"))


def month_transactions(rng: random.Random, profile: Profile, month: date, last_day: int) -> list[SyntheticTransaction]:
    """One person's month up to `last_day` (the current month is only partly lived)."""
    zone = ZoneInfo(profile.timezone)
    out: list[SyntheticTransaction] = []

    def add(day, kind, amount, merchant, category, account="checking", to_account=None, description=None):
        if day <= last_day:
            text = description if description is not None else noisy_description(rng, merchant)
            moment = _moment(rng, month, day, zone)
            out.append(SyntheticTransaction(moment, kind, amount, merchant, text, category, account, to_account))

    if profile.pay_every_months > 1:
        if month.month % profile.pay_every_months == 0:
            pay = f"{profile.salary * profile.pay_every_months}.00"
            add(profile.payday, "income", pay, "CLIENT PAYMENT", "income", description="ACH CREDIT CLIENT INVOICE")
    elif profile.freelancer:
        for _ in range(rng.randint(1, 4)):
            pay = _money(rng, profile.salary * 0.15, profile.salary * 0.6)
            add(rng.randint(1, 28), "income", pay, "CLIENT PAYMENT", "income", description="ACH CREDIT CLIENT INVOICE")
    else:
        add(
            profile.payday,
            "income",
            f"{profile.salary}.00",
            "ACME CORP PAYROLL",
            "income",
            description="DIRECT DEP PAYROLL",
        )
    add(1, "expense", f"{profile.rent}.00", "RENT PAYMENT", "housing", description="ONLINE TRANSFER RENT LANDLORD")
    for merchant, low, high in UTILITIES[: profile.utilities]:
        add(profile.bill_days[merchant], "expense", _money(rng, low, high), merchant, "utilities")
    if profile.insurance:
        merchant, premium = profile.insurance
        add(profile.bill_days[merchant], "expense", premium, merchant, "insurance")
    for merchant, price in profile.subscriptions:
        add(profile.bill_days[merchant], "expense", price, merchant, "subscriptions", account="card")
    for slug, (low, high) in PER_MONTH.items():
        for _ in range(rng.randint(low, high)):
            merchant, cheapest, dearest = rng.choice(MERCHANTS[slug])
            account = "card" if rng.random() < profile.card_share else "checking"
            add(rng.randint(1, 28), "expense", _money(rng, cheapest * profile.scale, dearest * profile.scale),
                merchant, slug, account=account)  # fmt: skip
    if rng.random() < 0.3:
        add(rng.randint(1, 28), "expense", f"{rng.choice([40, 60, 100, 200])}.00", "ATM WITHDRAWAL", "cash")
    card_spent = sum(float(t.amount) for t in out if t.account == "card")
    if card_spent:
        paid = card_spent * (1 if rng.random() < 0.7 else rng.uniform(0.1, 0.6))
        add(min(27, last_day), "transfer", f"{paid:.2f}", "CARD PAYMENT", "transfer", to_account="card",
            description="ONLINE PAYMENT THANK YOU")  # fmt: skip
    rate = profile.savings_rate if profile.savings_rate is not None else rng.uniform(0.03, 0.15) * (rng.random() < 0.5)
    if rate:
        saved = f"{profile.salary * rate:.2f}"
        add(min(26, last_day), "transfer", saved, "TRANSFER TO SAVINGS", "transfer", to_account="savings",
            description="ONLINE TRANSFER TO SAV")  # fmt: skip
    return sorted(out, key=lambda t: t.occurred_at)


def months_back(today: date, count: int) -> list[date]:
    """The first days of the `count` months ending with today's month, oldest first."""
    months = [today.replace(day=1)]
    while len(months) < count:
        months.insert(0, (months[0] - timedelta(days=1)).replace(day=1))
    return months
