"""What a benchmark that starts its own servers sets before Django loads: the servers run as in
production (DEBUG off, plain HTTP on loopback), tokens outlive the run, throttles stay out of the way.

    import server_env  # first, before anything that imports Django
    server_env.setup()
"""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION_LIKE = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-" + "x" * 50,
    "SECURE_SSL_REDIRECT": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "JWT_ACCESS_MINUTES": "240",
    "THROTTLE_USER": "100000/min",
    "LOG_LEVEL": "WARNING",
}
# Passed on to the servers the bench starts, besides config.testing.live.service_env().
PASSED_ON = ("DEBUG", "SECRET_KEY", "SECURE_SSL_REDIRECT", "JWT_ACCESS_MINUTES", "THROTTLE_USER", "LOG_LEVEL")


def setup() -> None:
    sys.path.insert(0, str(BASE_DIR))
    for name, value in PRODUCTION_LIKE.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def server_env() -> dict[str, str]:
    from config.testing.live import service_env

    env = service_env()
    env.update({name: os.environ[name] for name in PASSED_ON})
    return env


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]
