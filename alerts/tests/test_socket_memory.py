import asyncio

from alerts import socket_memory
from alerts.socket_memory import WAVE_MINIMUM, SocketMemory


def run_wave(monkeypatch, *, opened: int, closed: int) -> SocketMemory:
    monkeypatch.setattr(socket_memory, "TRIM_AFTER_SECONDS", 0.01)
    memory = SocketMemory()

    async def wave():
        for _ in range(opened):
            memory.opened()
        for _ in range(closed):
            memory.closed()
        await asyncio.sleep(0.1)

    asyncio.run(wave())
    return memory


def test_memory_is_trimmed_once_half_of_a_wave_of_sockets_has_closed(monkeypatch):
    memory = run_wave(monkeypatch, opened=2 * WAVE_MINIMUM, closed=2 * WAVE_MINIMUM - 10)
    # the trim ran: the next wave is measured from what is still open
    assert (memory.open, memory.trim_scheduled) == (10, False)
    assert memory.peak == 10


def test_a_few_sockets_coming_and_going_never_trigger_a_trim(monkeypatch):
    memory = run_wave(monkeypatch, opened=WAVE_MINIMUM - 1, closed=WAVE_MINIMUM - 1)
    assert (memory.open, memory.peak, memory.trim_scheduled) == (0, WAVE_MINIMUM - 1, False)
