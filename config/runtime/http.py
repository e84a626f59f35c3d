"""HTTP for daphne: Django's WSGI handler run in a small pool of threads, one hop per request.

Every view and middleware of Spendwise is synchronous. Django's ASGI handler runs such a
project with ten hops between the event loop and threads per request (counted on an API request:
the request signals, the middleware chain and the middleware it runs asynchronously, the view,
rendering, closing), and starts a new thread for each request.
Here the loop reads the request body, one pooled thread runs the whole request through the
WSGI handler (as gunicorn would), and the loop sends the answer (measured in bench/README.md,
Ledger API). WebSockets stay with Channels (config/asgi.py). Responses are sent whole: the project has no
streaming responses. A body larger than DATA_UPLOAD_MAX_MEMORY_SIZE (the largest import and its
envelope) is refused with a 413 in JSON before it is read, or as soon as it grows past that.
"""

import asyncio
import json
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from tempfile import SpooledTemporaryFile

from django.conf import settings

WsgiApplication = Callable[[dict, Callable], object]


class WsgiOverAsgi:
    """An ASGI application for HTTP scopes that answers with a WSGI application."""

    def __init__(self, wsgi_application: WsgiApplication, *, threads: int):
        self.wsgi_application = wsgi_application
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="http")

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            raise ValueError(f"WsgiOverAsgi serves HTTP, not {scope['type']!r}")
        # Bodies up to Django's in-memory upload size stay in memory (as its ASGI handler keeps them);
        # larger ones (file imports) spill to a temporary file.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if _declared_length(scope) > limit:
            await _too_large(send, limit)
            return
        with SpooledTemporaryFile(max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE) as body:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return  # the client left before its request was complete
                body.write(message.get("body", b""))
                if body.tell() > limit:  # a chunked body, or one longer than it said
                    await _too_large(send, limit)
                    return
                if not message.get("more_body"):
                    break
            length = body.tell()
            body.seek(0)
            loop = asyncio.get_running_loop()
            status, headers, content = await loop.run_in_executor(
                self.executor, self.respond, wsgi_environ(scope, body, length)
            )
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else content})

    def respond(self, environ: dict) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        """Runs in a pool thread: the request from start to finish, closing included (Django's
        request_finished hands the database connection back to the pool in this thread)."""
        started = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info=None):
            started["status"] = int(status.split(" ", 1)[0])
            started["headers"] = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]

        result = self.wsgi_application(environ, start_response)
        try:
            content = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return started["status"], started["headers"], content


def _declared_length(scope: dict) -> int:
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0  # Django answers a malformed length itself
    return 0


async def _too_large(send, limit: int) -> None:
    detail = f"The request body is larger than {limit // (1024 * 1024)} MB, the most Spendwise accepts."
    content = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(content)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": content})


def wsgi_environ(scope: dict, body, length: int) -> dict:
    """The WSGI environ (PEP 3333) of an ASGI HTTP scope whose body, `length` bytes, has been read.

    CONTENT_LENGTH is what arrived (a chunked request has no such header; WSGI reads no more than it says)."""
    script_name = scope.get("root_path", "")
    path = scope["path"]
    if script_name and path.startswith(script_name):
        path = path[len(script_name) :]
    server_name, server_port = scope.get("server") or ("localhost", 80)
    environ = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": script_name.encode().decode("latin-1"),
        "PATH_INFO": path.encode().decode("latin-1"),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": server_name,
        "SERVER_PORT": str(server_port or 0),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": body,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if scope.get("client"):
        environ["REMOTE_ADDR"], environ["REMOTE_PORT"] = scope["client"][0], str(scope["client"][1])
    for raw_name, raw_value in scope.get("headers", []):
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        key = name if name in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{name}"
        value = raw_value.decode("latin-1")
        if key in environ:  # a repeated header: one value, as HTTP joins them (cookies with "; ")
            value = environ[key] + ("; " if key == "HTTP_COOKIE" else ",") + value
        environ[key] = value
    environ["CONTENT_LENGTH"] = str(length)
    return environ
