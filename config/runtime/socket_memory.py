"""Give memory back to the system after a wave of sockets closes (a deploy, a network blip).

Thousands of idle sockets cost tens of KiB each. When they close, daphne's protocol objects sit in
reference cycles until a full collection, which an idle process may not run for a long time, and
the allocator keeps the freed pages. Once the open sockets of this process have fallen to half
their peak and the closes have stopped (daphne lets go of a closed socket a second or so after
it), a collection and glibc's `malloc_trim` hand the free pages back (once per wave).

This needs daphne on the C allocator (`PYTHONMALLOC=malloc`, as scripts/run.sh starts it):
pymalloc keeps a whole 1 MiB arena while any object in it lives, and the few objects a wave leaves
behind (a connection added to a pool, a cache entry) pinned most of the wave's arenas, so the
process stayed near its peak however much was freed (measured in bench/README.md, Alerts).
"""

import asyncio
import ctypes
import ctypes.util
import gc
import logging

logger = logging.getLogger(__name__)

# Below this many sockets a wave is not worth a trim (a few MiB at most).
WAVE_MINIMUM = 500
# Checked every SETTLE_SECONDS once a wave has fallen to half: fewer closes than SETTLED_CLOSES since the
# last check means it is over (daphne drops a closed socket's objects about a second after its close).
SETTLE_SECONDS = 2.0
SETTLED_CLOSES = WAVE_MINIMUM // 10


def _load_malloc_trim():
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # not glibc (musl, macOS): collecting is all we can do
        return None


_malloc_trim = _load_malloc_trim()


class SocketMemory:
    """Counts this process's open sockets and trims once a wave of closes is over."""

    def __init__(self):
        self.open = 0
        self.peak = 0
        self.closes_since_check = 0
        self.trim_scheduled = False

    def opened(self) -> None:
        self.open += 1
        self.peak = max(self.peak, self.open)

    def closed(self) -> None:
        self.open = max(0, self.open - 1)
        self.closes_since_check += 1
        if self.peak >= WAVE_MINIMUM and self.open <= self.peak // 2 and not self.trim_scheduled:
            self.trim_scheduled = True
            self._check_later()

    def _check_later(self) -> None:
        self.closes_since_check = 0
        asyncio.get_running_loop().call_later(SETTLE_SECONDS, self._trim_once_settled)

    def _trim_once_settled(self) -> None:
        if self.closes_since_check >= SETTLED_CLOSES:
            self._check_later()
        else:
            self.trim()

    def trim(self) -> None:
        gc.collect()
        if _malloc_trim is not None:
            _malloc_trim(0)
        logger.info("returned memory after sockets closed: %s open, peak %s", self.open, self.peak)
        self.peak = self.open
        self.trim_scheduled = False


sockets = SocketMemory()


class CountedSockets:
    """ASGI middleware for WebSocket scopes: a socket counts from its accept until its consumer has
    finished, its disconnect handler included (a socket waiting there for a Redis connection still holds
    its memory)."""

    def __init__(self, inner, memory: SocketMemory = sockets):
        self.inner = inner
        self.memory = memory

    async def __call__(self, scope, receive, send):
        accepted = False

        async def send_counting(message):
            nonlocal accepted
            if message["type"] == "websocket.accept" and not accepted:
                accepted = True
                self.memory.opened()
            await send(message)

        try:
            return await self.inner(scope, receive, send_counting)
        finally:
            if accepted:
                self.memory.closed()
