"""Transports against real boundaries: a local HTTP server for webhooks, the channel layer for in-app,
locmem email; only the third-party SMS and push providers' HTTP calls are patched (autospec)."""

import hashlib
import hmac
import json
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import requests
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import ValidationError

from alerts import services
from alerts.models import Delivery
from alerts.realtime import user_group


class Receiver:
    """A real HTTP server on 127.0.0.1 answering with the given status codes in turn (the last one repeats)."""

    def __init__(self, codes, location=""):
        self.codes, self.requests, self.location = list(codes), [], location
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((self.path, dict(self.headers), body))
                code = receiver.codes.pop(0) if len(receiver.codes) > 1 else receiver.codes[0]
                self.send_response(code)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def eager_retries():
    """Let eager tasks retry in-process as a worker would (with propagation on, the Retry escapes instead)."""
    from config.celery import app

    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = previous


@pytest.fixture
def loopback_allowed(settings, eager_retries):
    settings.DEBUG = True  # plain http:// to the local server
    settings.WEBHOOK_ALLOW_PRIVATE = True
    return settings


def webhook_alert(user, committed, url, **channel_fields):
    services.channel_create(user=user, kind="webhook", target=url, secret="s3cret", **channel_fields)
    notification = committed(
        services.notify, user=user, kind="overspend", severity="danger", title="Groceries: budget exceeded",
        body="You have spent 105.00 EUR of 100.00 EUR.", channels=["webhook"],
    )  # fmt: skip
    return notification.deliveries.get()


def test_webhook_is_signed_over_timestamp_and_body(alice, committed, loopback_allowed):
    with Receiver([200]) as receiver:
        delivery = webhook_alert(alice, committed, receiver.url)
    ((path, headers, body),) = receiver.requests
    expected = hmac.new(b"s3cret", headers["X-Spendwise-Timestamp"].encode() + b"." + body, hashlib.sha256).hexdigest()
    assert headers["X-Spendwise-Signature"] == f"sha256={expected}"
    assert headers["X-Spendwise-Event"] == "notification"
    assert headers["Content-Type"] == "application/json"
    payload = json.loads(body)
    assert payload["type"] == "notification"
    assert payload["notification"]["title"] == "Groceries: budget exceeded"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.error) == ("sent", 1, "")


def test_webhook_5xx_is_retried_up_to_five_attempts(alice, committed, loopback_allowed):
    with Receiver([503]) as receiver:
        delivery = webhook_alert(alice, committed, receiver.url)
    delivery.refresh_from_db()
    assert len(receiver.requests) == 5
    assert (delivery.status, delivery.attempts) == ("failed", 5)
    assert delivery.error == "Webhook answered 503"


def test_webhook_recovers_after_a_5xx(alice, committed, loopback_allowed):
    with Receiver([502, 500, 204]) as receiver:
        delivery = webhook_alert(alice, committed, receiver.url)
    delivery.refresh_from_db()
    assert len(receiver.requests) == 3
    assert (delivery.status, delivery.attempts, delivery.error) == ("sent", 3, "")


def test_webhook_4xx_is_permanent(alice, committed, loopback_allowed):
    with Receiver([410]) as receiver:
        delivery = webhook_alert(alice, committed, receiver.url)
    delivery.refresh_from_db()
    assert len(receiver.requests) == 1
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert "410" in delivery.error


def test_webhook_redirects_are_not_followed(alice, committed, loopback_allowed):
    with Receiver([200]) as elsewhere, Receiver([302], location=elsewhere.url) as receiver:
        delivery = webhook_alert(alice, committed, receiver.url)
    delivery.refresh_from_db()
    assert len(receiver.requests) == 1 and elsewhere.requests == []
    assert delivery.status == "failed" and "not followed" in delivery.error


def test_webhook_to_a_private_address_is_refused_at_save(alice, settings):
    settings.DEBUG = True
    settings.WEBHOOK_ALLOW_PRIVATE = False
    for url in ("http://127.0.0.1:9/hook", "http://10.0.0.5/hook", "http://169.254.169.254/latest", "http://[::1]/x"):
        with pytest.raises(ValidationError) as problem:
            services.channel_create(user=alice, kind="webhook", target=url)
        assert "private or local address" in problem.value.message_dict["target"][0]


def test_webhook_to_a_private_address_is_refused_at_send(alice, committed, loopback_allowed):
    with Receiver([200]) as receiver:
        services.channel_create(user=alice, kind="webhook", target=receiver.url, secret="s3cret")
        loopback_allowed.WEBHOOK_ALLOW_PRIVATE = False  # e.g. DNS now points somewhere private
        notification = committed(
            services.notify, user=alice, kind="test", severity="info", title="t", body="b", channels=["webhook"]
        )
    delivery = notification.deliveries.get()
    assert receiver.requests == []
    assert delivery.status == "failed" and "private or local address" in delivery.error


def test_webhook_needs_https_outside_debug(alice, settings):
    settings.DEBUG = False
    with pytest.raises(ValidationError, match="https"):
        services.channel_create(user=alice, kind="webhook", target="http://example.com/hook")


def test_in_app_pushes_the_rest_shape_to_the_users_group(alice, alice_api, committed):
    layer = get_channel_layer()
    channel_name = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(user_group(alice.id), channel_name)
    notification = committed(
        services.notify, user=alice, kind="forecast", severity="warning", title="Groceries: projected to exceed budget",
        body="…", channels=["in_app"],
    )  # fmt: skip
    message = async_to_sync(layer.receive)(channel_name)
    event = message["event"]
    assert event["type"] == "notification"
    assert event["notification"]["id"] == notification.id
    assert event["notification"]["kind"] == "forecast"
    assert event["notification"]["deliveries"][0]["channel"] == "in_app"
    answer = alice_api.get(f"/api/v1/notifications/{notification.id}/").json()
    created = datetime.fromisoformat(event["notification"]["created_at"])
    assert event["notification"]["created_at"] == answer["created_at"]  # the page shows what the API says
    assert created.utcoffset() == created.astimezone(ZoneInfo(alice.timezone)).utcoffset()  # the user's zone
    async_to_sync(layer.group_discard)(user_group(alice.id), channel_name)


@pytest.fixture
def twilio(settings, eager_retries):
    settings.SMS_BACKEND = "twilio"
    settings.SMS_API_URL = "https://sms.example.com"
    settings.SMS_ACCOUNT_SID = "AC123"
    settings.SMS_AUTH_TOKEN = "token"
    settings.SMS_FROM_NUMBER = "+15550001111"
    with mock.patch("alerts.transports.sms.requests.post", autospec=True) as post:
        post.return_value = mock.Mock(status_code=201, text="{}")
        yield post


def verified_sms(user, committed, post):
    channel = committed(services.channel_create, user=user, kind="sms", target="+491701234567")
    code = post.call_args.kwargs["data"]["Body"].rsplit(" ", 1)[1]
    return services.channel_verify(user=user, channel=channel, code=code)


def test_sms_verification_and_delivery_through_the_twilio_api(alice, committed, twilio):
    channel = verified_sms(alice, committed, twilio)
    assert channel.verified
    notification = committed(
        services.notify, user=alice, kind="overspend", severity="danger", title="Groceries: budget exceeded", body="Over.",
        channels=["sms"],
    )  # fmt: skip
    assert notification.deliveries.get().status == "sent"
    args, kwargs = twilio.call_args
    assert args == ("https://sms.example.com/2010-04-01/Accounts/AC123/Messages.json",)
    assert kwargs["data"] == {
        "To": "+491701234567",
        "From": "+15550001111",
        "Body": "Spendwise: Groceries: budget exceeded. Over.",
    }
    assert kwargs["auth"] == ("AC123", "token") and kwargs["allow_redirects"] is False


def test_sms_provider_errors(alice, committed, twilio):
    verified_sms(alice, committed, twilio)
    twilio.return_value = mock.Mock(status_code=400, text="invalid number")
    refused = committed(
        services.notify, user=alice, kind="test", severity="info", title="t", body="b", channels=["sms"]
    )
    assert refused.deliveries.get().status == "failed" and refused.deliveries.get().attempts == 1
    twilio.side_effect = requests.ConnectionError("down")
    down = committed(services.notify, user=alice, kind="test", severity="info", title="t", body="b", channels=["sms"])
    assert (down.deliveries.get().status, down.deliveries.get().attempts) == ("failed", 5)


def test_sms_numbers_must_be_e164(alice):
    with pytest.raises(ValidationError, match="E.164"):
        services.channel_create(user=alice, kind="sms", target="0170 1234567")


def push_subscription(user):
    return services.channel_create(
        user=user,
        kind="push",
        target="https://push.example.com/send/abc",
        push_keys={"p256dh": "key", "auth": "secret"},
    )


def test_push_without_vapid_keys_fails_with_a_clear_message(alice, committed, settings):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    push_subscription(alice)
    notification = committed(
        services.notify, user=alice, kind="test", severity="info", title="t", body="b", channels=["push"]
    )
    delivery = notification.deliveries.get()
    assert delivery.status == "failed" and "set VAPID_PUBLIC_KEY" in delivery.error


def test_push_with_vapid_keys_goes_through_pywebpush(alice, committed, settings):
    from pywebpush import WebPushException

    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = "public", "private"
    push_subscription(alice)
    with mock.patch("alerts.transports.push.webpush", autospec=True) as webpush:
        sent = committed(
            services.notify, user=alice, kind="test", severity="info", title="Hello", body="b", channels=["push"]
        )
        webpush.side_effect = WebPushException("gone", response=mock.Mock(status_code=410))
        gone = committed(
            services.notify, user=alice, kind="test", severity="info", title="Again", body="b", channels=["push"]
        )
    assert sent.deliveries.get().status == "sent"
    kwargs = webpush.call_args_list[0].kwargs
    assert kwargs["subscription_info"] == {
        "endpoint": "https://push.example.com/send/abc",
        "keys": {"p256dh": "key", "auth": "secret"},
    }
    assert json.loads(kwargs["data"])["title"] == "Hello"
    assert (gone.deliveries.get().status, gone.deliveries.get().attempts) == ("failed", 1)


def test_every_attempt_is_recorded(alice, committed, loopback_allowed):
    with Receiver([500, 200]) as receiver:
        delivery = webhook_alert(alice, committed, receiver.url)
    delivery = Delivery.objects.get(id=delivery.id)
    assert delivery.attempts == 2 and delivery.sent_at is not None and delivery.duration_ms is not None
