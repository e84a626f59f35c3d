"""Spendwise as several processes, as it runs on several machines: two daphne processes behind
a local HAProxy (round robin, health-checked every half second), and two Celery workers, all
sharing one PostgreSQL, one Redis (cache and channel layer) and one broker.

    cluster = Cluster.start(env)   # env: config.testing.live.service_env() or the bench's
    cluster.url                    # the load balancer; cluster.daphnes[i].url for one of them
    cluster.kill_daphne(0)         # SIGKILL, as a crashed machine
    cluster.restart_worker(1)      # TERM (a warm shutdown, as a deploy does) and start again
    cluster.stop()

HAProxy comes from Debian's `haproxy` package (.ci/run installs it); it tells its clients
which daphne answered in an `X-Served-By` header (WebSocket handshakes too).
"""

import shutil
import signal
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.request import urlopen

from config.testing.live import ServiceProcess, free_port, start_celery_worker, start_daphne

HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"

HAPROXY_CONFIG = """
global
    maxconn 4000
defaults
    mode http
    timeout connect 2s
    timeout client 1h
    timeout server 1h
    timeout tunnel 1h
    retries 2
    option redispatch
frontend web
    bind 127.0.0.1:{port}
    default_backend daphnes
backend daphnes
    balance roundrobin
    http-response set-header X-Served-By %s
{servers}
"""


def haproxy_missing() -> str | None:
    return None if Path(HAPROXY).exists() else f"needs HAProxy at {HAPROXY}: apt-get install haproxy"


@dataclass
class Daphne:
    name: str
    process: ServiceProcess
    url: str

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])


@dataclass
class Cluster:
    env: dict[str, str]
    daphnes: list[Daphne] = field(default_factory=list)
    workers: list[ServiceProcess] = field(default_factory=list)
    balancer: ServiceProcess | None = None
    url: str = ""

    @classmethod
    def start(cls, env: dict[str, str], *, daphnes: int = 2, workers: int = 2, backlog: int = 1024) -> "Cluster":
        cluster = cls(env=env)
        try:
            for n in range(workers):
                cluster.workers.append(cluster._worker(n))
            for n in range(daphnes):
                process, url = start_daphne(env, backlog=backlog)
                cluster.daphnes.append(Daphne(name=f"daphne{n + 1}", process=process, url=url))
            cluster._start_balancer()
        except BaseException:
            cluster.stop()
            raise
        return cluster

    def _worker(self, n: int, *, purge: bool = True) -> ServiceProcess:
        return start_celery_worker(self.env, concurrency=4, name=f"worker{n + 1}", purge=purge and n == 0)

    def _start_balancer(self) -> None:
        port = free_port()
        servers = "\n".join(
            f"    server {daphne.name} 127.0.0.1:{daphne.port} check inter 500 fall 1 rise 2" for daphne in self.daphnes
        )
        config = Path(tempfile.mkdtemp(prefix="haproxy-")) / "haproxy.cfg"
        config.write_text(HAPROXY_CONFIG.format(port=port, servers=servers))
        self.balancer = ServiceProcess("haproxy", [HAPROXY, "-db", "-f", str(config)], self.env)
        self.url = f"http://127.0.0.1:{port}"
        self.balancer.wait_until(lambda: _healthy(self.url), f"balancing {self.url}")

    def kill_daphne(self, index: int) -> None:
        process = self.daphnes[index].process.process
        process.send_signal(signal.SIGKILL)
        process.wait()

    def restart_worker(self, index: int) -> None:
        self.workers[index].stop()
        self.workers[index] = self._worker(index, purge=False)

    def stop(self) -> None:
        for process in [self.balancer, *(d.process for d in self.daphnes), *self.workers]:
            if process is not None:
                process.stop()


def _healthy(url: str) -> bool:
    try:
        with urlopen(f"{url}/healthz", timeout=2):  # noqa: S310 (our own loopback balancer)
            return True
    except OSError as exc:
        return getattr(exc, "code", None) is not None


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"not {what} after {seconds:g} s")
        time.sleep(0.2)
