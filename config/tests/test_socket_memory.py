import asyncio
import logging

import pytest
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.testing import WebsocketCommunicator

from config.runtime import socket_memory
from config.runtime.socket_memory import SETTLED_CLOSES, WAVE_MINIMUM, CountedSockets, SocketMemory

SETTLE = 0.05


@pytest.fixture
def memory(monkeypatch, caplog):
    monkeypatch.setattr(socket_memory, "SETTLE_SECONDS", SETTLE)
    caplog.set_level(logging.INFO, logger=socket_memory.__name__)
    return SocketMemory()


def trims(caplog) -> int:
    return sum("returned memory" in record.getMessage() for record in caplog.records)


def open_sockets(memory: SocketMemory, count: int) -> None:
    for _ in range(count):
        memory.opened()


def close_sockets(memory: SocketMemory, count: int) -> None:
    for _ in range(count):
        memory.closed()


def test_memory_is_returned_once_a_wave_of_closes_is_over(memory, caplog):
    async def wave():
        open_sockets(memory, 2 * WAVE_MINIMUM)
        close_sockets(memory, 2 * WAVE_MINIMUM - 10)
        await asyncio.sleep(4 * SETTLE)

    asyncio.run(wave())
    assert trims(caplog) == 1
    # the next wave is measured from what is still open
    assert (memory.open, memory.peak) == (10, 10)


def test_memory_is_not_returned_while_sockets_are_still_closing(memory, caplog):
    """A trim in the middle of the wave would miss the sockets that close after it."""

    async def wave():
        open_sockets(memory, 2 * WAVE_MINIMUM)
        close_sockets(memory, WAVE_MINIMUM)  # half the peak: from now on the wave is watched
        for _ in range(8):
            await asyncio.sleep(SETTLE / 3)
            close_sockets(memory, SETTLED_CLOSES)
        still_closing = trims(caplog)
        await asyncio.sleep(4 * SETTLE)
        return still_closing

    assert asyncio.run(wave()) == 0
    assert trims(caplog) == 1
    assert memory.peak == memory.open == WAVE_MINIMUM - 8 * SETTLED_CLOSES


def test_a_few_sockets_coming_and_going_never_trigger_a_trim(memory, caplog):
    async def wave():
        open_sockets(memory, WAVE_MINIMUM - 1)
        close_sockets(memory, WAVE_MINIMUM - 1)
        await asyncio.sleep(4 * SETTLE)

    asyncio.run(wave())
    assert trims(caplog) == 0
    assert (memory.open, memory.peak) == (0, WAVE_MINIMUM - 1)


class Refusing(AsyncWebsocketConsumer):
    channel_layer_alias = "none"  # no channel layer: a Redis layer's reader could outlive this test's loop

    async def connect(self):
        await self.close()


def test_a_socket_counts_from_its_accept_until_its_consumer_has_finished():
    memory = SocketMemory()
    seen_while_disconnecting = []

    class Echo(AsyncWebsocketConsumer):
        channel_layer_alias = Refusing.channel_layer_alias

        async def disconnect(self, code):
            seen_while_disconnecting.append(memory.open)

    async def session():
        socket = WebsocketCommunicator(CountedSockets(Echo.as_asgi(), memory), "/ws/")
        connected, _ = await socket.connect()
        assert connected and memory.open == 1
        await socket.disconnect()
        refused = WebsocketCommunicator(CountedSockets(Refusing.as_asgi(), memory), "/ws/")
        connected, _ = await refused.connect()
        assert not connected

    asyncio.run(session())
    assert seen_while_disconnecting == [1]  # still counted while its disconnect handler runs
    assert (memory.open, memory.peak) == (0, 1)  # a refused handshake never counted
