"""The fault suite's tools: servers of our own to kill, and the counts each scenario reports.

Tests marked `faults` (run by .ci/run as a step of their own: `pytest -m faults`) never touch the
machine's shared PostgreSQL or Redis servers: a scenario that kills Redis starts a private
redis-server on a free port (`PrivateRedis`), one that takes the database away puts a TCP proxy
in front of PostgreSQL (`TcpProxy`) and closes it. Each scenario records what a user would count
(`fault_counts`): writes lost, writes duplicated and 5xx answers; the table is printed at the end.
"""

import contextlib
import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass

import pytest

from config.testing.live import free_port


@dataclass
class ScenarioCounts:
    scenario: str
    requests: int = 0
    lost: int = 0
    duplicated: int = 0
    server_errors: int = 0
    note: str = ""


_REPORTED: list[ScenarioCounts] = []


@pytest.fixture
def fault_counts(request):
    """Call with the scenario's figures; they are printed in the run's summary whatever the outcome."""

    def record(**figures) -> ScenarioCounts:
        counts = ScenarioCounts(scenario=request.node.name, **figures)
        _REPORTED.append(counts)
        return counts

    return record


def pytest_terminal_summary(terminalreporter):
    if not _REPORTED:
        return
    terminalreporter.section("fault scenarios")
    for counts in _REPORTED:
        terminalreporter.write_line(
            f"{counts.scenario}: requests {counts.requests}, lost {counts.lost}, duplicated {counts.duplicated}, "
            f"5xx {counts.server_errors}" + (f" ({counts.note})" if counts.note else "")
        )


class PrivateRedis:
    """A redis-server of the test's own on a free port, with nothing saved to disk; `kill` is a SIGKILL."""

    def __init__(self):
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("needs redis-server on PATH (apt-get install redis-server) to kill a Redis of its own")
        self.binary = binary
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 (the system's redis-server, our arguments)
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"the private redis-server on port {self.port} did not start")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class TcpProxy:
    """A loopback TCP proxy to `upstream`; `close` drops every connection and refuses new ones
    (as a database host gone from the network would), `open` listens again on the same port."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._connections: list[socket.socket] = []
        self._lock = threading.Lock()

    def open(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def close(self) -> None:
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
            self._listener.close()
            self._listener = None
        with self._lock:
            for conn in self._connections:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                conn.close()
            self._connections.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self._lock:
                self._connections += [client, server]
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for conn in (source, target):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
