"""The long-running processes' heap once they are ready: what startup built is put out of the collector's way.

CPython's full collection walks every tracked object, and a process that has imported Django, DRF,
pandas and the apps holds hundreds of thousands of them. Each full collection stopped daphne or the
Celery worker long enough to show in the notifications' latency (figures in bench/README.md, Alerts).
`gc.freeze()` moves everything alive at that moment into a permanent generation that collections skip;
what the process allocates afterwards is collected as before.
"""

import gc


def heap_settle() -> None:
    """Collect what startup left behind, then freeze the rest. Call once the process is ready to serve."""
    gc.collect()
    gc.freeze()
