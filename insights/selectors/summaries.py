"""The summary and score reads of one user (cached per user and parameters)."""

from dataclasses import asdict
from datetime import date, datetime

from django.db.models import Count, Sum
from django.utils import timezone

from core.money import cents_to_decimal
from core.months import as_zone, day_bounds, days_in_month, format_month
from finance.selectors import first_recorded_day, spending_projection, transactions_between
from insights import cache
from insights.analytics.periods import Period, earlier_periods, period_containing
from insights.analytics.score import behaviour_score
from insights.analytics.summaries import BurnRate, summarize
from insights.selectors.frames import budgets_frame, daily_frame, transactions_frame


def user_today(user) -> date:
    return timezone.now().astimezone(as_zone(user.timezone)).date()


def _bounds(user, period: Period) -> tuple[datetime, datetime]:
    start, _ = day_bounds(day=period.start, tz=user.timezone)
    _, end = day_bounds(day=period.end, tz=user.timezone)
    return start, end


def top_merchants(*, user, period: Period, limit: int = 5) -> list[dict]:
    start, end = _bounds(user, period)
    rows = (
        transactions_between(users=[user], start=start, end=end)
        .filter(kind="expense")
        .exclude(merchant="")
        .values("merchant")
        .annotate(spent=Sum("amount"), count=Count("id"))
        .order_by("-spent", "merchant")[:limit]
    )
    return [{"merchant": r["merchant"], "spent": f"{r['spent']:.2f}", "count": r["count"]} for r in rows]


def _summary(user, kind: str, day: date) -> dict:
    period = period_containing(kind, day)
    first = earlier_periods(period)[-1].start
    daily = daily_frame(user=user, start=first, end=period.end)
    first_day = first_recorded_day(user=user)
    budgets = budgets_frame(user=user, month=period.start) if kind == "month" else budgets_frame(user=user).iloc[0:0]
    summary = summarize(
        daily,
        period=period,
        today=user_today(user),
        first_day=first_day,
        budgets=dict(zip(budgets["category"], budgets["cents"], strict=True)),
    )
    return {
        "month": format_month(period.start),
        "period": kind,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "currency": user.currency,
        "previous": {"total_spent": str(summary.previous.total_spent), "change_pct": summary.previous.change_pct},
        "average": {"total_spent": str(summary.average.total_spent), "change_pct": summary.average.change_pct},
        "total_spent": str(summary.total_spent),
        "total_income": str(summary.total_income),
        "by_category": [
            {
                "category": line.category,
                "spent": str(line.spent),
                "budget": None if line.budget is None else str(line.budget),
                "percent": line.percent,
            }
            for line in summary.by_category
        ],  # fmt: skip
        "daily": [{"date": d.isoformat(), "spent": str(spent)} for d, spent in summary.daily],
        "top_merchants": top_merchants(user=user, period=period),
        "burn_rate": _month_burn_rate(user, period) if kind == "month" else _burn_rate(summary.burn_rate),
    }


def _burn_rate(burn: BurnRate) -> dict:
    return {"per_day": str(burn.per_day), "projected_total": str(burn.projected_total), "days_left": burn.days_left}


def _month_burn_rate(user, period: Period) -> dict:
    """A month ends where the dashboard and the budgets say it will: bills once, variable spending at its pace."""
    projection = spending_projection(user=user, month=period.start, today=user_today(user))
    return _burn_rate(
        BurnRate(
            per_day=cents_to_decimal(projection.daily_pace),
            projected_total=cents_to_decimal(projection.total),
            days_left=projection.days_left,
        )
    )


def summary_for(*, user, period: str = "month", day: date | None = None) -> dict:
    day = day or user_today(user)
    return cache.cached(
        user_id=user.pk,
        name="summary",
        params=(period, day, user.timezone, user_today(user)),  # the burn rate counts days up to today
        compute=lambda: _summary(user, period, day),
    )


def _score(user, month: date) -> dict:
    today = user_today(user)
    month_end = month.replace(day=days_in_month(month))
    days_elapsed = 0 if month > today else min(today, month_end).day
    start, _ = day_bounds(day=month, tz=user.timezone)
    _, end = day_bounds(day=min(today, month_end), tz=user.timezone)
    transactions = transactions_frame(users=[user.pk], start=start, end=end)
    budgets = budgets_frame(user=user, month=month)
    expenses = transactions[transactions["kind"] == "expense"]
    spent = expenses.groupby("category")["cents"].sum()
    pairs = [
        (int(row.cents), int(expenses["cents"].sum() if row.category == "" else spent.get(row.category, 0)))
        for row in budgets.itertuples()
    ]
    score = behaviour_score(transactions, pairs, days_elapsed=days_elapsed)
    return {
        "month": format_month(month),
        "score": score.score,
        "components": {name: asdict(component) for name, component in score.components.items()},
    }


def score_for(*, user, month: date | None = None) -> dict:
    month = month or user_today(user).replace(day=1)
    return cache.cached(
        user_id=user.pk,
        name="score",
        params=(month, user.timezone, user_today(user)),
        compute=lambda: _score(user, month),
    )
