"""config.runtime.http: HTTP requests reach Django's WSGI handler whole, in pool threads, and come back whole."""

import asyncio
import json
import threading

import pytest
from asgiref.sync import async_to_sync
from channels.testing import HttpCommunicator
from django.conf import settings
from django.core.signals import request_finished
from rest_framework_simplejwt.tokens import RefreshToken

from config.asgi import application
from config.runtime.http import WsgiOverAsgi


def echo(environ, start_response):
    """A WSGI application of the test's own: answers with what it was given."""
    body = environ["wsgi.input"].read()
    seen = {
        "method": environ["REQUEST_METHOD"],
        "path": environ["PATH_INFO"].encode("latin-1").decode(),
        "query": environ["QUERY_STRING"],
        "remote": environ.get("REMOTE_ADDR"),
        "scheme": environ["wsgi.url_scheme"],
        "content_type": environ.get("CONTENT_TYPE"),
        "content_length": environ["CONTENT_LENGTH"],
        "length": len(body),
        "accept": environ.get("HTTP_ACCEPT"),
        "cookie": environ.get("HTTP_COOKIE"),
    }
    start_response("200 OK", [("Content-Type", "application/json"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")])
    return [json.dumps(seen).encode()]


def call(app, *, method="GET", path="/", query=b"", headers=(), body=b"", chunk=65536):
    """Runs one request through an ASGI app the way daphne does; the messages it sent back."""
    scope = {
        "type": "http", "method": method, "path": path, "root_path": "", "query_string": query, "scheme": "https",
        "http_version": "1.1", "headers": list(headers), "client": ("203.0.113.9", 50000), "server": ("testserver", 443),
    }  # fmt: skip
    pieces = [body[i : i + chunk] for i in range(0, len(body), chunk)] or [b""]
    incoming = [{"type": "http.request", "body": p, "more_body": i < len(pieces) - 1} for i, p in enumerate(pieces)]
    sent = []

    async def receive():
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    async_to_sync(app)(scope, receive, send)
    return sent


def test_the_request_arrives_whole_and_the_answer_comes_back_whole():
    # larger than is kept in memory: spilled to a file, still whole
    body = b"x" * (settings.FILE_UPLOAD_MAX_MEMORY_SIZE + 10)
    sent = call(
        WsgiOverAsgi(echo, threads=2), method="POST", path="/café/", query=b"q=1&q=2",
        headers=[(b"content-type", b"text/plain"), (b"accept", b"a/b"), (b"accept", b"c/d"),
                 (b"cookie", b"sessionid=1"), (b"cookie", b"csrftoken=2")],
        body=body,
    )  # fmt: skip
    start, answer = sent
    assert start["status"] == 200
    assert start["headers"].count((b"set-cookie", b"a=1")) == 1 and (b"set-cookie", b"b=2") in start["headers"]
    assert json.loads(answer["body"]) == {
        "method": "POST", "path": "/café/", "query": "q=1&q=2", "remote": "203.0.113.9", "scheme": "https",
        "content_type": "text/plain", "content_length": str(len(body)), "length": len(body), "accept": "a/b,c/d", "cookie": "sessionid=1; csrftoken=2",
    }  # fmt: skip


def test_a_head_request_gets_the_headers_without_the_body():
    start, answer = call(WsgiOverAsgi(echo, threads=1), method="HEAD")
    assert start["status"] == 200 and answer["body"] == b""


def test_a_client_that_leaves_before_its_body_is_complete_gets_nothing_and_runs_nothing():
    called = []
    app = WsgiOverAsgi(lambda environ, start_response: called.append(1) or [b""], threads=1)
    scope = {"type": "http", "method": "POST", "path": "/", "query_string": b"", "headers": []}
    messages = [{"type": "http.request", "body": b"part", "more_body": True}, {"type": "http.disconnect"}]
    sent = []

    async def receive():
        return messages.pop(0)

    async def send(message):
        sent.append(message)

    async_to_sync(app)(scope, receive, send)
    assert sent == [] and called == []


def test_requests_run_side_by_side_in_the_pool():
    """The first request waits until the second has started: this only ends when they run at once."""
    second_started = threading.Event()

    def app(environ, start_response):
        if environ["PATH_INFO"] == "/first":
            assert second_started.wait(timeout=10), "the second request never ran while the first was running"
        else:
            second_started.set()
        start_response("200 OK", [])
        return [environ["PATH_INFO"].encode()]

    bridge = WsgiOverAsgi(app, threads=2)

    async def both():
        return await asyncio.gather(*(asyncio.to_thread(call, bridge, path=path) for path in ("/first", "/second")))

    first, second = async_to_sync(both)()
    assert first[1]["body"] == b"/first" and second[1]["body"] == b"/second"


@pytest.mark.django_db(transaction=True)
def test_django_answers_through_the_bridge_and_finishes_each_request_in_its_thread(alice):
    """request_finished (which hands the database connection back) runs in the pool thread that ran the request."""
    finished_in = []

    def remember(**kwargs):
        finished_in.append(threading.current_thread().name)

    request_finished.connect(remember)
    try:
        token = RefreshToken.for_user(alice).access_token

        async def post():
            communicator = HttpCommunicator(
                application, "POST", "/api/v1/accounts/",
                body=json.dumps({"name": "Wallet", "kind": "cash"}).encode(),
                headers=[(b"host", b"localhost"), (b"content-type", b"application/json"),
                         (b"authorization", f"Bearer {token}".encode())],
            )  # fmt: skip
            return await communicator.get_response()

        response = async_to_sync(post)()
    finally:
        request_finished.disconnect(remember)
    assert response["status"] == 201, response["body"]
    assert json.loads(response["body"])["name"] == "Wallet"
    assert alice.accounts.filter(name="Wallet").exists()
    assert finished_in and all(name.startswith("http") for name in finished_in)


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_a_body_past_the_limit_is_a_413_in_json_and_never_reaches_django(declared, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    body = b"{" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    headers = [(b"content-type", b"application/json")]
    if declared:
        headers.append((b"content-length", str(len(body)).encode()))
    reached = []

    def app(environ, start_response):
        reached.append(environ["PATH_INFO"])
        return echo(environ, start_response)

    start, answer = call(
        WsgiOverAsgi(app, threads=1), method="POST", path="/api/v1/transactions/", headers=headers, body=body
    )
    assert start["status"] == 413
    assert (b"content-type", b"application/json") in start["headers"]
    assert json.loads(answer["body"]) == {"detail": "The request body is larger than 1 MB, the most Spendwise accepts."}
    assert reached == []


def test_a_body_at_the_limit_is_served(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    body = b"x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    start, answer = call(WsgiOverAsgi(echo, threads=1), method="POST", body=body)
    assert start["status"] == 200
    assert json.loads(answer["body"])["length"] == len(body)
