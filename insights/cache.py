"""Cached computed reads (summary, score, benchmarks, recommendations), keyed per user and parameters.

A per-user version is part of every key: a new value (time and chance), replaced with one SET by the
ledger's writers as their transaction commits (finance.signals.ledger_changed: pages, API, imports, sync,
undo, seed_demo, ingest_json), before the writer goes on, so a read after a write never finds an entry
computed before it; a recommendation decision replaces it too. Stale entries are never read again and simply
expire. Benchmarks share one global version, replaced when the benchmark job writes. An "everything" version
is replaced when Redis returns after an outage (config/runtime/cache.py): a change made meanwhile went to one
process's memory, so no entry from before is trusted; and by a rebuild of every user's ledger aggregate.
"""

import secrets
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

TTL_SECONDS = 6 * 3600
T = TypeVar("T")


def _version_key(scope: str) -> str:
    return f"insights:version:{scope}"


def _versions(*scopes: str) -> list[str]:
    """The scopes' current versions, in one round trip; "0" for a scope never invalidated."""
    found = cache.get_many([_version_key(scope) for scope in scopes])
    return [str(found.get(_version_key(scope), 0)) for scope in scopes]


def version(scope: str) -> str:
    return _versions(scope)[0]


def invalidate(scope: str) -> None:
    """A new version, in one round trip: any value unlike the last one will do. An integer (milliseconds and three
    random digits, exact even as a Lua number), so a process of the release before, which counted versions up
    with INCR, still can during a rolling upgrade or after a rollback."""
    cache.set(_version_key(scope), time.time_ns() // 1_000_000 * 1000 + secrets.randbelow(1000), timeout=None)


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
    versions = "v" + ".".join(_versions(scope, "everything"))
    key = f"insights:{name}:{scope}:{versions}:" + ":".join(str(p) for p in params)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=TTL_SECONDS)
    return value
