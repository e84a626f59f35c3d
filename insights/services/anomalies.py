"""The anomaly job: flag unusual recent expenses once, and notify each once (kind "anomaly")."""

from datetime import timedelta

import pandas as pd
from django.db import transaction
from django.utils import timezone

from alerts.services import notify
from insights.analytics.anomalies import HISTORY_DAYS, Finding, detect_anomalies
from insights.models import Anomaly
from insights.selectors.consent import users_consenting
from insights.selectors.frames import transactions_frame
from users.models import User

RECENT_DAYS = 7


def _notify(finding: Finding, user: User) -> None:
    notify(
        user=user,
        kind="anomaly",
        severity="warning",
        title="Unusual expense" if finding.kind == "unusual_amount" else "Large first purchase at a new merchant",
        body=finding.reason,
        data={"transaction": finding.transaction_id, "score": finding.score, "anomaly": finding.kind},
        dedup_key=f"anomaly:{finding.kind}:{finding.transaction_id}",
    )


@transaction.atomic
def anomalies_detect(*, user_ids: list[int] | None = None, days: int = RECENT_DAYS) -> int:
    """Look at the last `days` days of every consenting user against their 180 days before. Returns new anomalies."""
    users = list(users_consenting(user_ids=user_ids).values_list("pk", flat=True))
    now = timezone.now()
    since = pd.Timestamp((now - timedelta(days=days)).date())
    frame = transactions_frame(
        users=users, start=now - timedelta(days=HISTORY_DAYS + days + 1), end=now + timedelta(days=1)
    )
    findings = detect_anomalies(frame, since=since)
    known = set(
        Anomaly.objects.filter(transaction_id__in=[f.transaction_id for f in findings]).values_list(
            "transaction_id", "kind"
        )
    )
    fresh = [f for f in findings if (f.transaction_id, f.kind) not in known]
    Anomaly.objects.bulk_create(
        [
            Anomaly(
                user_id=f.user_id,
                transaction_id=f.transaction_id,
                kind=f.kind,
                month=f.day.date().replace(day=1),
                score=f.score,
                reason=f.reason[:300],
                detected_at=now,
            )
            for f in fresh
        ],  # fmt: skip
        ignore_conflicts=True,
    )
    people = User.objects.in_bulk({f.user_id for f in fresh})
    for finding in fresh:
        _notify(finding, people[finding.user_id])
    return len(fresh)
