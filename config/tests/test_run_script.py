"""`make run` and scripts/run.sh, which it runs: the port it is given, and Ctrl-C stopping every process, the
script with status 0 and make without its "*** [run] Error 130" or "Interrupt" line."""

import os
import re
import signal
import subprocess
import time
from pathlib import Path
from urllib.request import urlopen

import pytest

from config.testing.live import BASE_DIR, free_port, service_env, services_missing

RUN = BASE_DIR / "scripts" / "run.sh"
VENV_BIN = Path(BASE_DIR) / ".venv" / "bin"


@pytest.mark.parametrize("port", ["abc", "0", "70000", "80; rm -rf /", " "])
def test_a_bad_port_is_refused_before_anything_starts(port):
    done = subprocess.run([str(RUN)], env={**os.environ, "PORT": port}, capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert "PORT must be a number from 1 to 65535" in done.stderr
    assert "migrat" not in done.stdout.lower()  # refused before touching the database


@pytest.mark.services
@pytest.mark.parametrize("through", ["script", "make"])
def test_it_serves_on_the_given_port_and_ctrl_c_stops_everything_cleanly(transactional_db, through):
    reason = services_missing(broker=False)
    if reason:
        pytest.skip(reason)
    port = free_port()
    env = {**service_env(), "SEED_DEMO": "0", "PATH": f"{VENV_BIN}:{os.environ['PATH']}"}
    env.pop("CELERY_BROKER_URL", None)  # daphne alone; the worker and beat are stopped the same way
    # make's `-o install`: the requirements are installed already (this test runs in that .venv).
    command = [str(RUN)] if through == "script" else ["make", "--no-print-directory", "-o", "install", "run"]
    env["PORT"] = str(port)
    # Its own process group, as a terminal's foreground job is: Ctrl-C sends SIGINT to the whole group.
    script = subprocess.Popen(
        command, cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        address = _wait_for_address(script)
        assert address == f"http://127.0.0.1:{port}/"
        _wait_until_it_answers(f"{address}healthz")
        os.killpg(script.pid, signal.SIGINT)
        output, _ = script.communicate(timeout=60)
    finally:
        if script.poll() is None:
            os.killpg(script.pid, signal.SIGKILL)
    if through == "script":
        assert script.returncode == 0, output
    else:  # make itself is stopped by the Ctrl-C, as in a terminal; it must not report the recipe as failed
        assert "make: ***" not in output, output
    assert "Traceback" not in output
    with pytest.raises(ProcessLookupError):  # nothing of the group is left running
        os.killpg(script.pid, 0)


def _wait_for_address(script: subprocess.Popen) -> str:
    for line in script.stdout:
        found = re.search(r"Spendwise is starting on (\S+)", line)
        if found:
            return found.group(1)
    raise AssertionError(f"run.sh ended (status {script.wait()}) without printing its address")


def _wait_until_it_answers(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urlopen(url, timeout=2):  # noqa: S310 (a local test server)
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} never answered")
