"""DataFrames for the analytics, each read with ONE query; money as integer cents (rounded in SQL)."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BigIntegerField, F, Func, IntegerField, QuerySet, Sum
from django.db.models.functions import Cast, Coalesce, Round, TruncDate

from core.months import day_bounds
from finance.selectors import accounts_of, budgets_applying, monthly_totals_between, transactions_between

TRANSACTION_COLUMNS = [
    "user_id", "id", "account_id", "account_kind", "to_account_kind", "kind", "cents",
    "occurred_at", "created_at", "merchant", "category", "category_id", "timezone",
]  # fmt: skip


def cents(field: str):
    return Cast(Round(F(field) * 100), BigIntegerField())


def _frame(queryset: QuerySet, columns: list[str], *, labels: tuple[str, ...] = ()) -> pd.DataFrame:
    """Run the queryset's SQL once and load the rows straight into a frame. On PostgreSQL the rows
    stream as CSV through COPY (no Python object per value), so millions of rows stay small;
    `labels` are low-cardinality text columns, kept as categoricals."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # e.g. nobody consents: no query at all
        return pd.DataFrame(columns=columns)
    if connection.vendor == "postgresql":
        return _frame_by_copy(sql, params, columns, labels)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    frame = pd.DataFrame.from_records(rows, columns=columns)
    return frame.astype({label: "category" for label in labels})


def _frame_by_copy(sql: str, params, columns: list[str], labels: tuple[str, ...]) -> pd.DataFrame:
    buffer = io.BytesIO()
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
        for block in copy:
            buffer.write(block)
    buffer.seek(0)
    if not buffer.getbuffer().nbytes:
        return pd.DataFrame(columns=columns)
    return pd.read_csv(buffer, names=columns, header=None, dtype={label: "category" for label in labels})


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    """A text column with NULL (or CSV's empty) as ""."""
    values = frame[column]
    if isinstance(values.dtype, pd.CategoricalDtype):
        if "" not in values.cat.categories:
            values = values.cat.add_categories([""])
        return values.fillna("")
    if values.dtype.kind == "f":  # every value NULL: CSV's reader made it a float column of NaN
        values = values.astype(object)
    return values.fillna("").astype(str)


def _flag(values: pd.Series) -> pd.Series:
    """Booleans from the ORM (True/False) or from COPY's CSV ("t"/"f")."""
    return values.map(lambda v: v is True or v == "t" or v == "True").astype(bool)


def local_day(moments: pd.Series, zones: pd.Series) -> pd.Series:
    """The calendar day of each UTC moment in its user's time zone, as a naive midnight Timestamp."""
    utc = pd.to_datetime(moments, utc=True, format="ISO8601")
    days = pd.Series(pd.NaT, index=moments.index, dtype="datetime64[ns]")
    for zone, index in zones.groupby(zones).groups.items():
        days.loc[index] = (
            utc.loc[index].dt.tz_convert(zone).dt.tz_localize(None).dt.normalize().astype("datetime64[ns]")
        )
    return days


def local_day_number(field: str) -> Func:
    """PostgreSQL: the day a moment falls on in its user's time zone, as days since 1970-01-01."""
    return Func(
        F(field), F("user__timezone"), arg_joiner=" AT TIME ZONE ",
        template="((%(expressions)s)::date - DATE '1970-01-01')", output_field=IntegerField(),
    )  # fmt: skip


def transactions_frame(*, users: QuerySet | list[int], start: datetime, end: datetime) -> pd.DataFrame:
    """Active transactions of `users` that happened in [start, end), with local days (see analytics).
    PostgreSQL computes the local days itself; elsewhere they are converted here, zone by zone."""
    on_postgres = connection.vendor == "postgresql"
    moments = (
        (local_day_number("occurred_at"), local_day_number("created_at"))
        if on_postgres
        else ("occurred_at", "created_at")
    )
    queryset = (
        transactions_between(users=users, start=start, end=end)
        .order_by()
        .values_list(
            "user_id",
            "id",
            "account_id",
            "account__kind",
            "to_account__kind",
            "kind",
            cents("amount"),
            *moments,
            "merchant",
            "category__slug",
            "category_id",
            "user__timezone",
        )  # fmt: skip
    )
    labels = ("account_kind", "to_account_kind", "kind", "category", "timezone")
    frame = _frame(queryset, TRANSACTION_COLUMNS, labels=labels)
    frame["cents"] = frame["cents"].astype(np.int64)
    frame["to_account_kind"] = _text(frame, "to_account_kind")
    frame["merchant"] = _text(frame, "merchant")
    if on_postgres:
        frame["day"] = pd.to_datetime(frame["occurred_at"].astype(np.int64), unit="D").astype("datetime64[ns]")
        frame["created_day"] = pd.to_datetime(frame["created_at"].astype(np.int64), unit="D").astype("datetime64[ns]")
    else:
        frame["day"] = local_day(frame["occurred_at"], frame["timezone"])
        frame["created_day"] = local_day(frame["created_at"], frame["timezone"])
    return frame.drop(columns=["occurred_at", "created_at", "timezone"])


ACCOUNT_COLUMNS = [
    "user_id", "account_id", "kind", "balance_cents", "limit_cents",
    "minimum_payment_cents", "last_payment_cents", "is_overdue",
]  # fmt: skip


def accounts_frame(*, users: QuerySet | list[int]) -> pd.DataFrame:
    queryset = (
        accounts_of(users=users)
        .order_by()
        .values_list(
            "user_id",
            "id",
            "kind",
            cents("balance"),
            cents("credit_limit"),
            cents("liability__minimum_payment"),
            cents("liability__last_payment_amount"),
            Coalesce("liability__is_overdue", False),
        )  # fmt: skip
    )
    frame = _frame(queryset, ACCOUNT_COLUMNS)
    for column in ("balance_cents", "limit_cents", "minimum_payment_cents", "last_payment_cents"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    frame["is_overdue"] = _flag(frame["is_overdue"])
    return frame


def monthly_totals_frame(*, users: QuerySet | list[int], first_month: date, last_month: date) -> pd.DataFrame:
    """user_id, month (Timestamp), category (system slug or the user's own), kind, cents."""
    queryset = (
        monthly_totals_between(users=users, first_month=first_month, last_month=last_month)
        .filter(kind__in=["expense", "income"], total__gt=0)
        .order_by()
        .values_list("user_id", "month", "category__slug", "kind", cents("total"))
    )
    frame = _frame(queryset, ["user_id", "month", "category", "kind", "cents"], labels=("kind",))
    frame["kind"] = frame["kind"].astype(str)
    frame["month"] = pd.to_datetime(frame["month"])
    frame["cents"] = frame["cents"].astype(np.int64)
    return frame


def daily_frame(*, user, start: date, end: date) -> pd.DataFrame:
    """The user's expenses and income per local day, category and kind in [start, end], added up by the
    database from the ledger itself in one GROUP BY (so a figure read after a write includes it)."""
    zone = ZoneInfo(user.timezone)
    since, until = day_bounds(day=start, tz=zone)[0], day_bounds(day=end, tz=zone)[1]
    queryset = (
        transactions_between(users=[user], start=since, end=until)
        .filter(kind__in=["expense", "income"])
        .annotate(day=TruncDate("occurred_at", tzinfo=zone))
        .order_by()
        .values_list("day", "category__slug", "kind")
        .annotate(cents=Cast(Round(Sum("amount") * 100), BigIntegerField()))
    )
    frame = _frame(queryset, ["day", "category", "kind", "cents"])
    frame["day"] = pd.to_datetime(frame["day"])
    frame["cents"] = frame["cents"].astype(np.int64)
    return frame


def budgets_frame(*, user, month: date | None = None) -> pd.DataFrame:
    """budget_id, category (slug; "" for the overall budget), cents: the budgets that apply to `month`
    (a month's own budget overrides the every-month one), or only the every-month ones when month is None."""
    rows = (
        budgets_applying(user=user, month=month)
        .order_by()
        .values_list("id", "category__slug", cents("amount"), "month")
    )
    frame = pd.DataFrame.from_records(list(rows), columns=["budget_id", "category", "cents", "month"])
    frame["category"] = frame["category"].fillna("")
    frame["specific"] = frame["month"].notna()
    # the month's own budget overrides the every-month one
    frame = frame.sort_values("specific").drop_duplicates("category", keep="last")
    return frame[["budget_id", "category", "cents"]].astype({"cents": np.int64}).reset_index(drop=True)
