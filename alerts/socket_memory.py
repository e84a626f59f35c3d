"""Give memory back to the system after a wave of sockets closes (a deploy, a network blip).

Thousands of idle sockets cost a few dozen KiB each. When they close, Python frees the objects
but glibc's allocator keeps the pages, so daphne would stay at its peak size for good. Once the
open sockets of this process fall to half their peak, a collection and `malloc_trim` run a few
seconds later (once per wave), and the process shrinks back towards its size before the wave.
"""

import asyncio
import ctypes
import ctypes.util
import gc
import logging

logger = logging.getLogger(__name__)

# Below this many sockets a wave is not worth a trim (a few MiB at most).
WAVE_MINIMUM = 500
TRIM_AFTER_SECONDS = 2.0


def _load_malloc_trim():
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # not glibc (musl, macOS): collecting is all we can do
        return None


_malloc_trim = _load_malloc_trim()


class SocketMemory:
    """Counts this process's open sockets and trims once they fall to half their peak."""

    def __init__(self):
        self.open = 0
        self.peak = 0
        self.trim_scheduled = False

    def opened(self) -> None:
        self.open += 1
        self.peak = max(self.peak, self.open)

    def closed(self) -> None:
        self.open = max(0, self.open - 1)
        if self.peak >= WAVE_MINIMUM and self.open <= self.peak // 2 and not self.trim_scheduled:
            self.trim_scheduled = True
            asyncio.get_running_loop().call_later(TRIM_AFTER_SECONDS, self.trim)

    def trim(self) -> None:
        gc.collect()
        if _malloc_trim is not None:
            _malloc_trim(0)
        logger.info("returned memory after sockets closed: %s open, peak %s", self.open, self.peak)
        self.peak = self.open
        self.trim_scheduled = False


sockets = SocketMemory()
