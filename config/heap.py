"""The long-running processes' heap once they are ready: what startup built is put out of the collector's way.

CPython's full collection walks every tracked object, and a process that has imported Django, DRF,
pandas and the apps holds hundreds of thousands. On this project's 2-core machine each full collection
stopped daphne for up to 200 ms and the Celery worker for up to 120 ms, a few times a minute under load,
which made most of the alert path's p95 (README, "Real-time notifications", Benchmark). `gc.freeze()`
moves everything alive at that moment into a permanent generation that collections skip; what the
process allocates afterwards is collected as before.
"""

import gc


def heap_settle() -> None:
    """Collect what startup left behind, then freeze the rest. Call once the process is ready to serve."""
    gc.collect()
    gc.freeze()
