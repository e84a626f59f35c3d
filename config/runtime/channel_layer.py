"""The Redis channel layer, with a pool whose commands wait for a free connection at its limit.

channels_redis's pool (redis-py's) opens a connection whenever all are busy, keeps it for good, and
fails past `max_connections`. When thousands of sockets close at once, each consumer's
`group_discard` asked for one, so a daphne process grew by hundreds of connections in the middle of
the wave; their objects, allocated among the sockets' own, kept memory pages from going back to the
system after the sockets had gone. Here the pool stays at `max_connections` and the wave queues.

redis-py's own BlockingConnectionPool waits on an asyncio.Condition, which on Python 3.11 loses the
wake-up of a waiter cancelled as it is woken (closing sockets' tasks are), and then sockets stalled
until daphne killed them. A Semaphore hands the turn on instead.
"""

import asyncio

from channels_redis.core import RedisChannelLayer
from redis.asyncio import ConnectionPool
from redis.asyncio.connection import AbstractConnection


class WaitingConnectionPool(ConnectionPool):
    def __init__(self, **options):
        super().__init__(**options)
        self._turns = asyncio.Semaphore(self.max_connections)
        self._lent: set[AbstractConnection] = set()

    async def get_connection(self, *args, **kwargs) -> AbstractConnection:
        await self._turns.acquire()
        try:
            connection = await super().get_connection(*args, **kwargs)
        except BaseException:  # including a cancelled wait: the turn goes to the next waiter
            self._turns.release()
            raise
        self._lent.add(connection)
        return connection

    async def release(self, connection: AbstractConnection) -> None:
        await super().release(connection)
        # redis-py also releases a connection that failed to connect, before get_connection returns
        if connection in self._lent:
            self._lent.remove(connection)
            self._turns.release()


class BoundedRedisChannelLayer(RedisChannelLayer):
    """Configured as channels_redis's layer: each host an `address` URL and redis-py pool options."""

    def create_pool(self, index: int) -> WaitingConnectionPool:
        options = dict(self.hosts[index])
        return WaitingConnectionPool.from_url(options.pop("address"), **options)
