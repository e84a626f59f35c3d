"""One user's alert work takes turns: evaluations, and changes to their rules."""

from django.db import connection

# The first key of the PostgreSQL advisory locks that let one user's evaluations take turns.
EVALUATION_LOCK_SPACE = 0x616C7274  # "alrt"


def evaluation_turn(*, user_id: int) -> None:
    """Wait until no other evaluation of this user is under way; held until the caller's transaction ends.

    Concurrent evaluations of one user claim the same threshold rows and would queue on their row
    locks anyway, each after reading a state that the other is about to change. On SQLite writes
    take turns already."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [EVALUATION_LOCK_SPACE, user_id % 2**31])
