"""Backtest of the month-end projection (docs/forecast.md) against the plain linear pace.

    DATABASE_URL=postgres://... python bench/forecast.py [--users 200] [--months 12]      (seed_demo's people)
    DATABASE_URL=postgres://... python bench/forecast.py --json people.json               (loaded by ingest_json)
    python bench/forecast.py --make-json people.json [--users 150] [--months 12] [--seed 7]

For each person and each complete month with at least one complete month of history before it, the
projection is made as on day 7, 14 and 21 by finance.projections, the read every page uses, which
reads no transaction after the end of that day; it is compared with where the month really ended:
- MAPE, the mean absolute percentage error of the projected month-end spending, next to that of the
  plain linear pace (spent so far / days elapsed x days in the month);
- the Brier score of the chance of staying within a limit, for two limits: the person's overall
  budget where they have one, and for everyone their average month of the history months (spending
  "as usual", where the answer is least obvious).

--make-json writes a data set in the ingest_json shape from a generator of its own, unlike seed_demo's
(bills on fixed days of each person's own choosing, biweekly pay, weekend-heavy and bursty spending, a
spending level that drifts from month to month, trips, December shopping): figures measured on it are
not figures of the data the forecast was tuned on (seed_demo's).
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DAYS = (7, 14, 21)


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


# --- a data set unlike seed_demo's ----------------------------------------------------------------------------

SHOPS = {
    "groceries": [("Kroger", 20, 140), ("Publix", 25, 160), ("H-E-B", 15, 120), ("Aldi", 10, 70)],
    "dining": [("Starbucks", 4, 12), ("Chick-fil-A", 8, 22), ("Olive Garden", 30, 90), ("Panera Bread", 9, 25)],
    "transport": [("Exxon", 25, 70), ("Uber", 9, 45), ("Parkmobile", 3, 18)],
    "shopping": [("Amazon", 8, 220), ("Walmart", 10, 160), ("Home Depot", 15, 380), ("Nordstrom", 40, 300)],
    "fun": [("Regal Cinemas", 12, 45), ("Steam", 5, 70), ("Live Nation", 60, 260)],
}
BILLS = [("Spectrum Internet", 6999), ("T-Mobile", 8500), ("Planet Fitness", 2499), ("Netflix", 1549),
         ("Spotify", 1199), ("iCloud", 299), ("NYT Digital", 1700), ("Peloton", 4400)]  # fmt: skip


def _person(rng: random.Random, number: int, months: list[date], today: date) -> tuple[dict, list[dict]]:
    """One person's accounts and transactions, Plaid style (positive amounts leave the account)."""
    user_id, account = f"bt-{number}", f"bt-{number}-chk"
    rent_day, rent = rng.randint(1, 5), rng.choice([950, 1250, 1600, 2100, 2800]) * 100
    bills = [(name, cents, rng.randint(1, 28)) for name, cents in rng.sample(BILLS, rng.randint(2, 6))]
    level, weekend = rng.uniform(0.5, 1.8), rng.uniform(1.0, 2.2)
    out: list[dict] = []

    def pay(day: date, cents: int, merchant: str) -> None:
        if day <= today:
            out.append({"transaction_id": f"{user_id}-{len(out)}", "account_id": account, "date": day.isoformat(),
                        "amount": round(cents / 100, 2), "merchant_name": merchant, "name": merchant.upper(),
                        "iso_currency_code": "USD"})  # fmt: skip

    payday = months[0] + timedelta(days=rng.randint(0, 13))
    while payday <= today:
        pay(payday, -rng.choice([1400, 1900, 2600, 3300]) * 100, "Payroll")
        payday += timedelta(days=14)
    for month in months:
        length = ((month + timedelta(days=32)).replace(day=1) - month).days
        level *= rng.uniform(0.85, 1.18)  # spending drifts from month to month
        pay(month.replace(day=rent_day), rent, "Maple Court Leasing")
        for name, cents, day in bills:
            pay(month.replace(day=min(day, length)), cents, name)
        pay(month.replace(day=rng.randint(8, 14)), rng.randint(4000, 16000), "City Power & Light")
        trip = rng.random() < 0.15 and rng.randint(1, length - 4)
        for offset in range(length):
            day = month + timedelta(days=offset)
            factor = level * (weekend if day.weekday() >= 5 else 1.0) * (1.4 if month.month == 12 else 1.0)
            if trip and trip <= day.day < trip + 4:
                pay(day, int(rng.uniform(80, 400) * 100 * level), rng.choice(["Marriott", "Delta", "Airbnb"]))
            for kind, shops in SHOPS.items():
                chance = {"groceries": 0.28, "dining": 0.45, "transport": 0.3, "shopping": 0.12, "fun": 0.05}[kind]
                if rng.random() < chance * min(factor, 2.5):
                    merchant, low, high = rng.choice(shops)
                    pay(day, int(rng.uniform(low, high) * 100 * (1 + rng.paretovariate(3) / 4)), merchant)
    person = {"user_id": user_id, "email": f"backtest{number}@example.com", "timezone": "America/Chicago", "currency": "USD"}  # fmt: skip
    accounts = [{"account_id": account, "user_id": user_id, "name": "Checking", "type": "depository",
                 "subtype": "checking", "balances": {"current": 5000.0}, "iso_currency_code": "USD"}]  # fmt: skip
    return {"user": person, "accounts": accounts}, out


def make_json(path: Path, *, users: int, months: int, seed: int) -> None:
    rng, today = random.Random(seed), date.today()
    first = today.replace(day=1)
    for _ in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    month_list, current = [], first
    while current <= today:
        month_list.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    data: dict[str, list] = {"users": [], "accounts": [], "transactions": []}
    for number in range(users):
        people, transactions = _person(rng, number, month_list, today)
        data["users"].append(people["user"])
        data["accounts"] += people["accounts"]
        data["transactions"] += transactions
    path.write_text(json.dumps(data))
    print(f"{path}: {users} people, {len(data['transactions'])} transactions over {months} months")


# --- the backtest -------------------------------------------------------------------------------------------


def backtest(users) -> dict:
    from django.db.models import Sum
    from django.utils import timezone

    from core.months import as_zone, days_in_month, month_start
    from finance.budgeting.forecast import history_months
    from finance.models import Budget, Transaction
    from finance.projections import cents, first_recorded_day, spending_history

    errors: dict[tuple[str, int], list[float]] = defaultdict(list)
    briers: dict[tuple[str, int], list[float]] = defaultdict(list)
    outcomes: dict[str, list[bool]] = defaultdict(list)
    for user in users:
        zone = as_zone(user.timezone)
        spent_by_month: dict[date, int] = defaultdict(int)
        for moment, amount in Transaction.objects.filter(user=user, kind="expense").values_list(
            "occurred_at", "amount"
        ):
            spent_by_month[moment.astimezone(zone).date().replace(day=1)] += cents(amount)
        budget = Budget.objects.filter(user=user, category__isnull=True, month__isnull=True).aggregate(s=Sum("amount"))["s"]  # fmt: skip
        this_month = month_start(timezone.now(), zone)
        first_day = first_recorded_day(user=user)
        for month in sorted(spent_by_month):
            months = history_months(month=month, first_day=first_day)
            actual = spent_by_month[month]
            if month >= this_month or not months or actual <= 0:
                continue
            limits = {"typical month": round(statistics.fmean(spent_by_month.get(m, 0) for m in months))}
            if budget is not None:
                limits["overall budget"] = cents(budget)
            for name, limit in limits.items():
                outcomes[name].append(actual <= limit)
            for day in DAYS:
                today = month.replace(day=day)
                projection = spending_history(user=user, month=month, today=today).projection()
                linear = projection.spent + round(projection.spent / day) * (days_in_month(month) - day)
                errors[("projection", day)].append(abs(projection.total - actual) / actual)
                errors[("linear pace", day)].append(abs(linear - actual) / actual)
                for name, limit in limits.items():
                    briers[(name, day)].append((projection.adherence(limit) - (actual <= limit)) ** 2)
    return {"errors": errors, "briers": briers, "outcomes": outcomes}


def report(title: str, result: dict) -> None:
    errors, briers, outcomes = result["errors"], result["briers"], result["outcomes"]
    count = len(errors[("projection", DAYS[0])])
    print(f"\n{title}: {count} person-months")
    print("| made on day | MAPE projection | MAPE linear pace | ratio |")
    print("|---|---|---|---|")
    for day in DAYS:
        new, old = statistics.fmean(errors[("projection", day)]), statistics.fmean(errors[("linear pace", day)])
        print(f"| {day} | {new:.1%} | {old:.1%} | {new / old:.2f} |")
    for name in sorted(outcomes):
        within = sum(outcomes[name]) / len(outcomes[name])
        scores = " / ".join(f"{statistics.fmean(briers[(name, day)]):.3f}" for day in DAYS)
        print(f"Brier score, limit = {name} ({len(outcomes[name])} months, {within:.0%} ended within): "
              f"day 7 / 14 / 21: {scores}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="load this data set with ingest_json and backtest its people")
    parser.add_argument("--make-json", type=Path, help="write a data set unlike seed_demo's, then stop")
    args = parser.parse_args()
    if args.make_json:
        make_json(args.make_json, users=args.users, months=args.months, seed=args.seed)
        return
    setup_django()
    from django.core.management import call_command

    from users.models import User

    started = time.perf_counter()
    if args.json:
        call_command("ingest_json", str(args.json), stdout=StringIO())
        users = User.objects.filter(transactions__source="ingest").distinct().order_by("id")
        title = f"{args.json.name} (ingest_json)"
    else:
        call_command("seed_demo", users=args.users, months=args.months, stdout=StringIO(), stderr=StringIO())
        users = User.objects.filter(email__endswith="@seed.spendwise.local").order_by("id")[: args.users]
        title = f"seed_demo, {args.users} people x {args.months} months"
    result = backtest(list(users))
    report(title, result)
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
