import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a write and everything it sets off after commit (outbox relay, evaluation, deliveries)."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run
