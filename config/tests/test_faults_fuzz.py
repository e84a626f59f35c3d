"""A generated fuzz run over the whole API schema against a live daphne, as a signed-in person: no 5xx."""

import re
import subprocess
import sys
import tempfile

import pytest
from rest_framework_simplejwt.tokens import AccessToken

from conftest import make_user

pytestmark = pytest.mark.faults

FUZZ_SECONDS = 90  # schemathesis spends this long on examples, coverage, fuzzing and stateful runs


def test_a_fuzz_run_over_the_whole_schema_finds_no_server_error(daphne_server, fault_counts):
    alice = make_user("alice@example.com")
    token = str(AccessToken.for_user(alice))
    with tempfile.TemporaryDirectory() as workdir:  # schemathesis keeps its cache in the working directory
        run = subprocess.run(  # noqa: S603 (our interpreter, our arguments)
            [sys.executable, "-m", "schemathesis.cli", "run", f"{daphne_server}/api/schema/",
             "--checks", "not_a_server_error", "--header", f"Authorization: Bearer {token}",
             "--max-time", str(FUZZ_SECONDS), "--workers", "2", "--continue-on-failure", "--no-color", "--request-timeout", "30"],
            cwd=workdir, capture_output=True, text=True, timeout=FUZZ_SECONDS * 3,
        )  # fmt: skip
    output = run.stdout + run.stderr
    generated = re.search(r"(\d+) generated", output)
    server_errors = re.search(r"Server error: (\d+)", output)
    fault_counts(
        requests=int(generated.group(1)) if generated else 0,
        server_errors=int(server_errors.group(1)) if server_errors else 0,
        note=f"schemathesis, {FUZZ_SECONDS} s over every operation",
    )
    assert generated, output[-5000:]
    # Only a 5xx fails the scenario: on a loaded machine a request may also time out, which
    # schemathesis reports as an error of its own (the run's exit code), not as a server error.
    assert not server_errors and "Server error" not in output, output[-10000:]
