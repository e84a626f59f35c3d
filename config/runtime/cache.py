"""The Redis cache, failing open: with Redis unreachable, this process keeps serving from its own memory.

The database is the truth; the cache holds throttle counters, Idempotency-Key answers and cached
insights reads. When Redis stops answering, every call goes to a process-local memory cache
instead (a local limiter for throttles, idempotency per process), Redis is tried again every
RETRY_SECONDS, and the outage is logged once when it starts and once when it ends. On its return
`redis_returned` is sent, so caches that may hold entries older than a write made meanwhile
(insights) can forget them.
"""

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from core.outage import redis_returned

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, ConnectionInterrupted, OSError)
FALLBACK_NAME = "spendwise-redis-fallback"  # LocMemCache instances of one name share their storage


class RedisOutage:
    """This process's view of Redis: up, or down since when (shared by every thread's cache instance)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.down_since: float | None = None
        self._next_try = 0.0

    def skip_redis(self) -> bool:
        """True while down and not yet time to try again; the caller that gets False may try."""
        with self._lock:
            if self.down_since is None:
                return False
            now = time.monotonic()
            if now < self._next_try:
                return True
            self._next_try = now + RETRY_SECONDS  # one caller tries; the others stay local meanwhile
            return False

    def failed(self, exc: BaseException) -> None:
        with self._lock:
            self._next_try = time.monotonic() + RETRY_SECONDS
            if self.down_since is not None:
                return
            self.down_since = time.monotonic()
        logger.warning(
            "Redis is unreachable (%s: %s); caching and throttling in this process's memory until it returns",
            exc.__class__.__name__,
            exc,
        )

    def answered(self) -> None:
        if self.down_since is None:  # unlocked read: the common case costs nothing
            return
        with self._lock:
            if self.down_since is None:
                return
            lasted = time.monotonic() - self.down_since
            self.down_since = None
        logger.warning("Redis answers again after %.0f s; caching and throttling there again", lasted)
        redis_returned.send(sender=RedisOutage)


outage = RedisOutage()


def _fail_open(name: str):
    def method(self, *args, **kwargs):
        if outage.skip_redis():
            return getattr(self.fallback, name)(*args, **kwargs)
        try:
            result = getattr(RedisCache, name)(self, *args, **kwargs)
        except REDIS_DOWN as exc:
            outage.failed(exc)
            return getattr(self.fallback, name)(*args, **kwargs)
        outage.answered()
        return result

    method.__name__ = name
    return method


class FailOpenRedisCache(RedisCache):
    """django-redis's cache whose every operation falls back to local memory while Redis is down."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self.fallback = LocMemCache(FALLBACK_NAME, {"TIMEOUT": params.get("TIMEOUT", 300)})

    add = _fail_open("add")
    get = _fail_open("get")
    set = _fail_open("set")
    touch = _fail_open("touch")
    delete = _fail_open("delete")
    get_many = _fail_open("get_many")
    set_many = _fail_open("set_many")
    delete_many = _fail_open("delete_many")
    has_key = _fail_open("has_key")
    incr = _fail_open("incr")
    decr = _fail_open("decr")
    clear = _fail_open("clear")
