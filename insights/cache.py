"""Cached computed reads (summary, score, benchmarks, recommendations), keyed per user and parameters.

A per-user version number is part of every key. The ledger's writers bump it as their transaction
commits (finance.signals.ledger_changed: pages, API, imports, sync, undo, seed_demo, ingest_json), before
the writer goes on, so a read after a write never finds an entry computed before it; a recommendation
decision bumps it too. Stale entries are never read again and simply expire. Benchmarks share one global
version, bumped when the benchmark job writes. An "everything" version is bumped when Redis returns after an
outage (config/runtime/cache.py): a bump made meanwhile went to one process's memory, so no entry from before is
trusted; and by a rebuild of every user's ledger aggregate.
"""

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

TTL_SECONDS = 6 * 3600
T = TypeVar("T")


def _version_key(scope: str) -> str:
    return f"insights:version:{scope}"


def version(scope: str) -> int:
    key = _version_key(scope)
    cache.add(key, 1, timeout=None)
    return cache.get(key) or 1


def invalidate(scope: str) -> None:
    key = _version_key(scope)
    cache.add(key, 1, timeout=None)
    try:
        cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 2, timeout=None)


def user_changed(user_id: int) -> None:
    """Forget every cached read of this user (call after anything that changes what they see)."""
    invalidate(f"user:{user_id}")


def benchmarks_changed() -> None:
    invalidate("benchmarks")


def everything_changed(**signal_kwargs) -> None:
    """Forget every cached read (a `core.outage.redis_returned` receiver)."""
    invalidate("everything")


def cached(*, user_id: int | None, name: str, params: tuple, compute: Callable[[], T]) -> T:
    scope = f"user:{user_id}" if user_id is not None else "benchmarks"
    versions = f"v{version(scope)}.{version('everything')}"
    key = f"insights:{name}:{scope}:{versions}:" + ":".join(str(p) for p in params)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=TTL_SECONDS)
    return value
