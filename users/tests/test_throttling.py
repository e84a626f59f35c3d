import pytest
from django.test import RequestFactory

from users.throttling import auth_throttle_wait, client_ip


@pytest.mark.parametrize(
    ("meta", "num_proxies", "expected"),
    [
        ({"REMOTE_ADDR": "10.0.0.9", "HTTP_X_FORWARDED_FOR": "6.6.6.6"}, 0, "10.0.0.9"),
        ({"REMOTE_ADDR": "10.0.0.9", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4"}, 1, "1.2.3.4"),
        ({"REMOTE_ADDR": "10.0.0.9", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4"}, 2, "6.6.6.6"),
        ({"REMOTE_ADDR": "10.0.0.9", "HTTP_X_FORWARDED_FOR": "junk"}, 1, None),
        ({"REMOTE_ADDR": "::1"}, 0, "::1"),
    ],
)
def test_client_ip_trusts_forwarded_only_behind_known_proxies(meta, num_proxies, expected, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": num_proxies}
    request = RequestFactory().post("/", **meta)
    assert client_ip(request) == expected


def test_page_limit_counts_per_address_and_per_email(settings):
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["auth"]
    allowed = int(rate.split("/")[0])
    factory = RequestFactory()
    for n in range(allowed):
        assert (
            auth_throttle_wait(factory.post("/", {"email": "a@example.com"}, REMOTE_ADDR=f"10.0.0.{n}"), by_email=True)
            is None
        )
    # A fresh address does not help once the email is over its limit.
    wait = auth_throttle_wait(factory.post("/", {"email": "A@example.com"}, REMOTE_ADDR="10.9.9.9"), by_email=True)
    assert wait is not None and wait > 0
    assert auth_throttle_wait(factory.post("/", {"email": "b@example.com"}, REMOTE_ADDR="10.9.9.8")) is None


def test_unknown_address_shares_one_bucket():
    request = RequestFactory().post("/", REMOTE_ADDR="not-an-ip")
    assert client_ip(request) is None
    assert auth_throttle_wait(request) is None
