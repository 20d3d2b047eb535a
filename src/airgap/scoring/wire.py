"""Bytes on the wire: azmlinfsrv's response headers, a WSGI environ for ``@rawhttp`` scripts, and a
Werkzeug response (``AMLResponse``, ``flask.Response``) sent over ASGI.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import AsyncIterator, Callable
from typing import Any

from starlette.types import Scope

JSON = b"application/json"
HTML = b"text/html; charset=utf-8"

# The longest x-request-id, x-ms-request-id and x-ms-client-request-id accepted (431 past it).
HEADER_LIMIT = 100


def json_message(message: str) -> bytes:
    """azmlinfsrv's error body: ``{"message": "..."}``, written by ``json.dumps``."""
    return json.dumps({"message": message}).encode()


def environ(scope: Scope, body: bytes) -> dict[str, Any]:
    """The WSGI environ gunicorn would have built for this request (PEP 3333)."""
    server = scope.get("server") or ("localhost", 80)
    client = scope.get("client") or ("", 0)
    raw_path = scope.get("raw_path")
    query = scope.get("query_string", b"")
    env: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": "",
        "PATH_INFO": scope["path"].encode("utf-8").decode("latin-1"),
        "QUERY_STRING": query.decode("latin-1"),
        "RAW_URI": (raw_path or scope["path"].encode()).decode("latin-1") + ("?" + query.decode("latin-1")
                                                                             if query else ""),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1]) if server[1] is not None else "",
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "REMOTE_ADDR": str(client[0]),
        "REMOTE_PORT": str(client[1]),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    env["REQUEST_URI"] = env["RAW_URI"]
    for raw_name, raw_value in scope.get("headers", ()):
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        value = raw_value.decode("latin-1")
        if name == "CONTENT_TYPE" or name == "CONTENT_LENGTH":
            key = name
        else:
            key = "HTTP_" + name
        env[key] = f"{env[key]},{value}" if key in env else value
    return env


def environ_factory(scope: Scope, body: bytes) -> Callable[[], dict[str, Any]]:
    built: list[dict[str, Any]] = []

    def make() -> dict[str, Any]:
        if not built:
            built.append(environ(scope, body))
        return built[0]

    return make


def is_response(value: Any) -> bool:
    """A Werkzeug response (``AMLResponse``, ``flask.Response``): returned to the client as it is."""
    from werkzeug.wrappers import Response

    return isinstance(value, Response)


def response_parts(response: Any, env: dict[str, Any]) -> tuple[int, list[tuple[bytes, bytes]], Any]:
    """Status, headers and body iterable of a Werkzeug response, as its WSGI call would give them."""
    app_iter, status, headers = response.get_wsgi_response(env)
    code = int(status.split(" ", 1)[0])
    raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]
    return code, raw, app_iter


async def iterate(app_iter: Any, run: Callable[..., Any]) -> AsyncIterator[bytes]:
    """The chunks of a WSGI body; a streamed one is pulled in the run threads, never on the loop."""
    if isinstance(app_iter, (list, tuple)):
        for chunk in app_iter:
            yield chunk
        return
    iterator = iter(app_iter)
    sentinel = object()
    try:
        while True:
            chunk = await run(next, iterator, sentinel)
            if chunk is sentinel:
                return
            yield chunk
    finally:
        close = getattr(app_iter, "close", None)
        if close is not None:
            close()
