"""config.runtime.channel_layer, against the real Redis."""

import asyncio
import uuid

import pytest
from django.conf import settings
from redis import Redis as SyncRedis
from redis.asyncio import Redis

from config.runtime.channel_layer import BoundedRedisChannelLayer, WaitingConnectionPool

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis: set REDIS_URL=redis://...")

LIMIT = 3


async def connections_named(name: str) -> int:
    async with Redis.from_url(settings.REDIS_URL) as observer:
        return sum(client["name"] == name for client in await observer.client_list())


def test_a_burst_of_sockets_joining_shares_a_few_connections_and_all_get_the_event():
    name = f"test-layer-{uuid.uuid4().hex[:8]}"

    async def burst():
        layer = BoundedRedisChannelLayer(
            hosts=[{"address": settings.REDIS_URL, "max_connections": LIMIT, "client_name": name}],
            prefix=f"{name}:",
        )
        sockets = [await layer.new_channel() for _ in range(50)]
        await asyncio.gather(*(layer.group_add("burst", socket) for socket in sockets))
        opened = await connections_named(name)
        await layer.group_send("burst", {"type": "realtime.event"})
        received = await asyncio.wait_for(asyncio.gather(*(layer.receive(socket) for socket in sockets)), 10)
        await layer.flush()
        return opened, received

    opened, received = asyncio.run(burst())
    assert 0 < opened <= LIMIT
    assert received == [{"type": "realtime.event"}] * 50


def test_a_socket_closing_while_it_waits_for_a_connection_does_not_hold_up_the_next():
    """The closing task is cancelled just as a connection is handed to it; it must pass it on
    (redis-py's BlockingConnectionPool lost it on Python 3.11, and the next waiter timed out)."""

    async def wait_in_line():
        pool = WaitingConnectionPool.from_url(settings.REDIS_URL, max_connections=1)
        busy = await pool.get_connection()
        closing = asyncio.ensure_future(pool.get_connection())
        next_in_line = asyncio.ensure_future(pool.get_connection())
        await asyncio.sleep(0.01)
        await pool.release(busy)
        closing.cancel()
        connection = await asyncio.wait_for(next_in_line, 5)
        await pool.release(connection)
        await pool.disconnect()

    asyncio.run(wait_in_line())


def test_pushes_from_synchronous_code_share_one_connection():
    """A worker's task pushes from synchronous code; through a fresh event loop per push (async_to_sync's),
    each push opened a Redis connection of its own and closed it again."""
    from alerts import realtime

    observer = SyncRedis.from_url(settings.REDIS_URL)
    event = {"type": "unread_count", "count": 1}
    realtime.send_event(user_id=1, event=event)  # the first push may open the sender's connection
    before = observer.info("stats")["total_connections_received"]
    for _ in range(20):
        realtime.send_event(user_id=1, event=event)
    assert observer.info("stats")["total_connections_received"] == before
    observer.close()
