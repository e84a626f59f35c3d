"""The signals/personas job (30 and 180 days) and the fresh recompute of one user's profile."""

from datetime import timedelta

import pandas as pd
from django.db import transaction
from django.utils import timezone

from insights.analytics.benchmarks import income_band
from insights.analytics.signals import build_profiles
from insights.analytics.subscriptions import recurring_merchants
from insights.models import Profile, Window
from insights.selectors.consent import user_consents, users_consenting
from insights.selectors.frames import accounts_frame, transactions_frame
from insights.services.bulk import rows_write

HISTORY_DAYS = 180


def _profile_rows(*, users, user_ids: list[int], now) -> list[Profile]:
    transactions = transactions_frame(users=users, start=now - timedelta(days=HISTORY_DAYS + 1), end=now)
    accounts = accounts_frame(users=users)
    as_of = pd.Timestamp(now.date())
    index = pd.Index(user_ids, name="user_id")
    recurring = recurring_merchants(transactions, as_of=as_of)
    rows = []
    for window in Window.values:
        table = build_profiles(
            transactions, accounts, users=index, as_of=as_of, window_days=window, recurring=recurring
        )
        cohorts = dict(zip(table.table.index, income_band(table.table["monthly_income_cents"]), strict=True))
        rows += [
            Profile(
                user_id=p.user_id, window=window, signals=p.signals, persona=p.persona.slug,
                criteria_met=p.persona.criteria_met, cohort=cohorts[p.user_id], computed_at=now,
            )
            for p in table.profiles()
        ]  # fmt: skip
    return rows


@transaction.atomic
def profiles_compute(*, user_ids: list[int] | None = None) -> int:
    """Recompute both windows for every consenting user (or those given). Returns profiles written.
    Days are UTC days here; the job runs nightly, so a user's time zone shifts nothing that matters."""
    ids = list(users_consenting(user_ids=user_ids).values_list("pk", flat=True))
    rows = _profile_rows(users=ids, user_ids=ids, now=timezone.now())
    Profile.objects.filter(user_id__in=ids).delete()
    rows_write(Profile, rows)
    return len(rows)


def profile_fresh(*, user, window: int) -> Profile | None:
    """The user's profile, recomputed first if missing or stale; None without data_processing consent."""
    if not user_consents(user=user):
        return None  # a profile computed before consent was withdrawn is not served
    current = Profile.objects.filter(user=user, window=window, stale=False).first()
    if current is not None:
        return current
    if not profiles_compute(user_ids=[user.pk]):
        return None
    return Profile.objects.get(user=user, window=window)


def profiles_mark_stale(*, user) -> None:
    """Called by the outbox handler inside its atomic block."""
    Profile.objects.filter(user=user, stale=False).update(stale=True)
