"""Run the same action in several threads at once, as racing requests or workers would."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.db import connection


def run_at_once(action: Callable[[int], object], times: int) -> list:
    """Call `action(n)` for n in 0..times-1, each in its own thread, released together by a barrier.

    Returns the results in order; the first exception is raised. Each thread closes the database
    connection it opened, so the test database can be flushed afterwards.
    """
    barrier = threading.Barrier(times)

    def one(number: int):
        try:
            barrier.wait()
            return action(number)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=times) as pool:
        return list(pool.map(one, range(times)))
