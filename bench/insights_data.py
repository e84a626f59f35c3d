"""A fast synthetic data set for bench/insights.py, written with PostgreSQL COPY from numpy arrays.

    DATABASE_URL=postgres://... python bench/insights_data.py --users 10000 --months 12

seed_demo builds richer people one by one; at 10,000 x 12 it ran at about 250 users per 2 minutes on
the shared bench machine, so this generator makes the same shape of ledger (salary on several
cadences, rent, subscriptions, day-to-day spending in 12 categories, savings transfers, cards with
limits and statement facts, consents) vectorised: about 42 transactions per user-month.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
SPEND = {  # category: (share of day-to-day expenses, median amount)
    "groceries": (0.25, 35), "dining": (0.18, 22), "transport": (0.12, 15), "shopping": (0.1, 45),
    "entertainment": (0.07, 25), "health": (0.04, 40), "personal_care": (0.04, 30), "utilities": (0.04, 80),
    "travel": (0.03, 180), "gifts": (0.03, 50), "education": (0.02, 60), "other": (0.08, 20),
}  # fmt: skip
SUBSCRIPTIONS = ["Netflix", "Spotify", "Gym", "Cloud storage", "News", "Xbox", "Audible"]
TRANSACTION_COLUMNS = [
    "user_id", "account_id", "to_account_id", "kind", "amount", "currency", "occurred_at", "merchant", "description",
    "location", "category_id", "category_source", "category_confidence", "source", "external_id", "created_at",
    "updated_at", "deleted_at",
]  # fmt: skip


def copy_frame(cursor, table: str, frame: pd.DataFrame, chunk: int = 500_000) -> None:
    columns = ", ".join(frame.columns)
    for start in range(0, len(frame), chunk):
        buffer = io.StringIO()
        frame.iloc[start : start + chunk].to_csv(buffer, index=False, header=False, na_rep="\\N")
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')") as copy:
            copy.write(buffer.getvalue())


def ids_of(cursor, sql: str, params=()) -> np.ndarray:
    cursor.execute(sql, params)
    return np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)


def make_users(cursor, count: int, rng, now) -> np.ndarray:
    users = pd.DataFrame({
        "password": "!", "is_superuser": False, "email": [f"bench{n}@bench.example" for n in range(count)],
        "display_name": "", "timezone": rng.choice(["UTC", "Europe/Berlin", "America/New_York"], count),
        "currency": "USD", "is_staff": False, "is_active": True, "date_joined": now,
    })  # fmt: skip
    copy_frame(cursor, "users_user", users)
    ids = ids_of(cursor, "SELECT id FROM users_user WHERE email LIKE 'bench%%@bench.example' ORDER BY id")
    events = []
    for scope, share in (("benchmarking", 0.85), ("recommendations", 0.8)):
        chosen = ids[rng.random(len(ids)) < share]
        events.append(
            pd.DataFrame({"user_id": chosen, "scope": scope, "granted": True, "created_at": now, "source": "signup"})
        )
    copy_frame(cursor, "users_consentevent", pd.concat(events))
    return ids


def make_accounts(cursor, users: np.ndarray, rng, now) -> dict[str, np.ndarray]:
    count = len(users)
    limit = rng.choice([1000, 2500, 5000, 10000], count).astype(float)
    kinds = {
        "checking": (rng.integers(200, 8000, count).astype(float), None),
        "savings": (rng.integers(0, 40000, count).astype(float), None),
        "credit": (np.round(limit * rng.beta(2, 4, count), 2), limit),
    }
    accounts = {}
    for kind, (balance, credit_limit) in kinds.items():
        frame = pd.DataFrame({"user_id": users, "name": kind.title(), "kind": kind, "currency": "USD", "balance": balance,
                              "credit_limit": credit_limit, "external_id": "", "created_at": now})  # fmt: skip
        copy_frame(cursor, "finance_account", frame)
        accounts[kind] = ids_of(
            cursor,
            "SELECT id FROM finance_account WHERE kind = %s AND user_id >= %s ORDER BY user_id",
            [kind, int(users[0])],
        )
    investors = users[rng.random(count) < 0.05]
    frame = pd.DataFrame({"user_id": investors, "name": "Investments", "kind": "investment", "currency": "USD",
                          "balance": rng.integers(1000, 200000, len(investors)).astype(float), "credit_limit": None,
                          "external_id": "", "created_at": now})  # fmt: skip
    copy_frame(cursor, "finance_account", frame)
    minimum = np.round(np.maximum(25, kinds["credit"][0] * 0.02), 2)
    paid = np.where(rng.random(count) < 0.15, minimum, np.round(kinds["credit"][0] * 0.5, 2))
    copy_frame(cursor, "finance_creditliability", pd.DataFrame({
        "account_id": accounts["credit"], "apr_percent": 22.9, "minimum_payment": minimum, "last_payment_amount": paid,
        "last_statement_balance": kinds["credit"][0], "is_overdue": rng.random(count) < 0.03, "updated_at": now,
    }))  # fmt: skip
    return accounts


def month_starts(months: int, now) -> np.ndarray:
    current = pd.Timestamp(now).tz_convert("UTC").tz_localize(None).to_period("M").to_timestamp()
    return np.array([current - pd.DateOffset(months=n) for n in range(months - 1, -1, -1)], dtype="datetime64[ns]")


def day_to_day(users, accounts, categories, months, rng, per_month: int) -> pd.DataFrame:
    count = len(users) * len(months) * per_month
    user_index = np.repeat(np.arange(len(users)), len(months) * per_month)
    month_index = np.tile(np.repeat(np.arange(len(months)), per_month), len(users))
    names = list(SPEND)
    shares = np.array([SPEND[c][0] for c in names])
    category = rng.choice(len(names), count, p=shares / shares.sum())
    medians = np.array([SPEND[c][1] for c in names], dtype=float)
    wealth = rng.lognormal(0, 0.5, len(users))
    amount = np.round(medians[category] * wealth[user_index] * rng.lognormal(0, 0.6, count), 2).clip(0.5)
    offsets = (rng.random(count) * 28 * 86400).astype("timedelta64[s]")
    merchant = np.char.add(np.array(names)[category], np.char.mod(" %d", rng.integers(1, 25, count)))
    on_card = rng.random(count) < 0.35
    account = np.where(on_card, accounts["credit"][user_index], accounts["checking"][user_index])
    return pd.DataFrame({"user_id": users[user_index], "account_id": account, "kind": "expense", "amount": amount,
                         "occurred_at": months[month_index] + offsets, "merchant": merchant,
                         "category_id": np.array([categories[c] for c in names])[category]})  # fmt: skip


def fixed_monthly(users, accounts, categories, months, rng) -> pd.DataFrame:
    parts = []
    n_users = len(users)
    income = rng.lognormal(np.log(4200), 0.6, n_users).round(2)
    cadence = rng.choice(["monthly", "biweekly", "irregular"], n_users, p=[0.7, 0.2, 0.1])
    start, end = months[0], months[-1] + np.timedelta64(28, "D")
    for kind, step in (("monthly", 30.4), ("biweekly", 14), ("irregular", 62)):
        who = np.flatnonzero(cadence == kind)
        pays = int(((end - start) / np.timedelta64(1, "D")) // step) + 1
        index = np.repeat(who, pays)
        day = np.tile(np.arange(pays) * step, len(who)) + rng.integers(0, 3, len(index))
        amount = income[index] * (step / 30.4) * (rng.lognormal(0, 0.4, len(index)) if kind == "irregular" else 1)
        parts.append(pd.DataFrame({"user_id": users[index], "account_id": accounts["checking"][index], "kind": "income",
                                   "amount": amount.round(2), "occurred_at": start + (day * 86400).astype("timedelta64[s]"),
                                   "merchant": "Payroll", "category_id": categories["income"]}))  # fmt: skip
    index = np.repeat(np.arange(n_users), len(months))
    month = np.tile(months, n_users)
    parts.append(pd.DataFrame({"user_id": users[index], "account_id": accounts["checking"][index], "kind": "expense",
                               "amount": (income[index] * 0.3).round(2), "occurred_at": month + np.timedelta64(1, "D"),
                               "merchant": "Landlord", "category_id": categories["housing"]}))  # fmt: skip
    subscribed = rng.random((n_users, len(SUBSCRIPTIONS))) < 0.3
    sub_user, sub = np.nonzero(subscribed)
    index = np.repeat(np.arange(len(sub_user)), len(months))
    parts.append(pd.DataFrame({
        "user_id": users[sub_user[index]], "account_id": accounts["credit"][sub_user[index]], "kind": "expense",
        "amount": np.array([15.99, 9.99, 39.0, 2.99, 12.0, 14.99, 14.95])[sub[index]],
        "occurred_at": np.tile(months, len(sub_user)) + (sub[index] * 2 + 3).astype("timedelta64[D]"),
        "merchant": np.array(SUBSCRIPTIONS)[sub[index]], "category_id": categories["subscriptions"],
    }))  # fmt: skip
    savers = np.flatnonzero(rng.random(n_users) < 0.4)
    index = np.repeat(savers, len(months))
    parts.append(pd.DataFrame({"user_id": users[index], "account_id": accounts["checking"][index],
                               "to_account_id": accounts["savings"][index], "kind": "transfer",
                               "amount": (income[index] * 0.1).round(2), "occurred_at": np.tile(months, len(savers)) + np.timedelta64(2, "D"),
                               "merchant": "", "category_id": categories["transfer"]}))  # fmt: skip
    return pd.concat(parts, ignore_index=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=10000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--per-month", type=int, default=38, help="day-to-day expenses per user and month")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from finance.models import Category
    from finance.services import monthly_totals_rebuild

    rng = np.random.default_rng(args.seed)
    now = timezone.now()
    started = time.perf_counter()
    categories = dict(Category.objects.filter(user__isnull=True).values_list("slug", "id"))
    with transaction.atomic(), connection.cursor() as cursor:
        users = make_users(cursor, args.users, rng, now)
        accounts = make_accounts(cursor, users, rng, now)
        months = month_starts(args.months, now)
        rows = pd.concat([day_to_day(users, accounts, categories, months, rng, args.per_month),
                          fixed_monthly(users, accounts, categories, months, rng)], ignore_index=True)  # fmt: skip
        rows = rows[rows["occurred_at"] < np.datetime64(now.replace(tzinfo=None))]
        delay = np.where(rng.random(len(rows)) < 0.7, 0, rng.integers(0, 5, len(rows))).astype("timedelta64[D]")
        rows = rows.assign(
            to_account_id=rows["to_account_id"].astype("Int64"), currency="USD", description="", location="",
            category_source="default", category_confidence=1.0, source="import", external_id=None,
            occurred_at=rows["occurred_at"].dt.strftime("%Y-%m-%d %H:%M:%S+00"),
            created_at=np.minimum(rows["occurred_at"] + delay, np.datetime64(now.replace(tzinfo=None))).astype("datetime64[s]").astype(str) + "+00",
            deleted_at=None,
        )  # fmt: skip
        rows["updated_at"] = rows["created_at"]
        copy_frame(cursor, "finance_transaction", rows[TRANSACTION_COLUMNS])
    written = monthly_totals_rebuild(user_ids=users.tolist())
    print(
        f"{len(users)} users, {len(rows)} transactions, {written} monthly totals in {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
