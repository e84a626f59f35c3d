"""Signals and persona reads, fresh: recomputed on request when the user's data changed since the job."""

from core.api import api_datetime
from insights.analytics.personas import NAMES
from insights.models import Anomaly, Profile


def profile_json(profile: Profile) -> dict:
    return {
        "window": profile.window,
        "signals": profile.signals,
        "persona": {
            "slug": profile.persona,
            "name": NAMES.get(profile.persona, profile.persona),
            "criteria_met": profile.criteria_met,
        },
        "computed_at": api_datetime(profile.computed_at),
    }


def anomalies_for(*, user, month):
    return Anomaly.objects.filter(user=user, month=month).order_by("-score", "id")
