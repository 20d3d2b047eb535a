"""Websockets passed to the upstream: what the Speech SDK opens when pointed at the Studio.

The page itself calls REST only, but the Python it shows for Speech connects the SDK to the host
that served the page (``SpeechConfig(host="ws://<studio>")``), and behind the Studio image that
host is this process. So an upgrade is relayed: the Studio opens the same path and query on the
upstream with the client's headers (the subscription key among them) and its subprotocols,
accepts the client's upgrade only once the upstream has accepted, then copies frames both ways,
text as text and binary as binary, until either side closes; the close code and reason go on to
the other side.

When the upstream refuses or cannot be reached, the client's upgrade is answered with an HTTP
error (ASGI's websocket denial response, which uvicorn supports): the upstream's own status and
body when it answered one (a 401 for a bad key keeps its Azure envelope), else a 503 envelope
saying what to check.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, InvalidURI, WebSocketException

log = logging.getLogger("airgap.studio")

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

# Set anew by the websocket client for its own handshake, or meaningful for one hop only.
_NOT_FORWARDED = frozenset({"host", "connection", "upgrade", "sec-websocket-key", "sec-websocket-version",
                            "sec-websocket-extensions", "sec-websocket-protocol", "sec-websocket-accept",
                            "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
                            "x-forwarded-host", "x-forwarded-proto", "content-length"})
OPEN_TIMEOUT = 10.0  # seconds for the upstream's handshake


def upstream_url(base: str, scope: Scope) -> str:
    """``base`` (an http(s) URL, maybe with a path) + the client's raw path and query, as ws(s)."""
    scheme, rest = base.rstrip("/").split("://", 1)
    path = (scope.get("raw_path") or scope["path"].encode()).decode("latin-1")
    query = scope.get("query_string", b"").decode("latin-1")
    return f"{'wss' if scheme == 'https' else 'ws'}://{rest}{path}{'?' + query if query else ''}"


def _forwarded_headers(scope: Scope) -> list[tuple[str, str]]:
    out = []
    host = ""
    for name, value in scope.get("headers", []):
        key = name.decode("latin-1").lower()
        if key == "host":
            host = value.decode("latin-1")
        if key not in _NOT_FORWARDED:
            out.append((key, value.decode("latin-1")))
    if host:
        out.append(("x-forwarded-host", host))
    out.append(("x-forwarded-proto", "https" if scope.get("scheme") == "wss" else "http"))
    return out


async def _deny(scope: Scope, send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    if "websocket.http.response" in scope.get("extensions", {}):
        await send({"type": "websocket.http.response.start", "status": status, "headers": headers})
        await send({"type": "websocket.http.response.body", "body": body})
    else:  # a server without denial responses: refused as a bare 403
        await send({"type": "websocket.close", "code": 1008})


async def relay(scope: Scope, receive: Receive, send: Send, base: str,
                envelope: Callable[[int, str, str], tuple[int, list[tuple[bytes, bytes]], bytes]]) -> None:
    """Relay one websocket (``scope``, not yet accepted) to ``base``; ``envelope`` makes an error answer."""
    message = await receive()
    if message["type"] != "websocket.connect":
        return
    url = upstream_url(base, scope)
    offered = list(scope.get("subprotocols") or [])
    try:
        upstream = await connect(url, additional_headers=_forwarded_headers(scope), subprotocols=offered or None,
                                 open_timeout=OPEN_TIMEOUT, max_size=None, compression=None,
                                 ping_interval=None, user_agent_header=None)
    except InvalidStatus as refused:  # the upstream answered the upgrade with an HTTP error: pass it on
        response = refused.response
        headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in response.headers.raw_items()
                   if k.lower() in ("content-type", "www-authenticate", "retry-after", "apim-request-id")]
        body = bytes(response.body or b"")
        await _deny(scope, send, response.status_code, [*headers, (b"content-length", str(len(body)).encode())], body)
        return
    except (OSError, asyncio.TimeoutError, InvalidURI, WebSocketException) as exc:
        log.warning("websocket %s: the upstream %s could not be reached: %r", scope["path"], url, exc)
        status, headers, body = envelope(
            503, "ServiceUnavailable", f"The Studio could not open the websocket {scope['path']} on its upstream "
            f"{base} ({type(exc).__name__}). Check that the service for this path is running and that the Studio's "
            "Studio:Upstream, or Studio:Routes for this path, names it.")
        await _deny(scope, send, status, headers, body)
        return
    await send({"type": "websocket.accept", "subprotocol": upstream.subprotocol,
                "headers": []})
    await _pump(upstream, receive, send)


async def _pump(upstream: ClientConnection, receive: Receive, send: Send) -> None:
    async def client_to_upstream() -> None:
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                await upstream.close(code=_sendable(message.get("code", 1000)), reason=message.get("reason") or "")
                return
            if message.get("bytes") is not None:
                await upstream.send(message["bytes"])
            elif message.get("text") is not None:
                await upstream.send(message["text"])

    async def upstream_to_client() -> None:
        try:
            async for frame in upstream:
                await send({"type": "websocket.send", **({"bytes": frame} if isinstance(frame, bytes) else {"text": frame})})
        except ConnectionClosed:
            pass
        code, reason = upstream.close_code or 1000, upstream.close_reason or ""
        with contextlib.suppress(Exception):  # the client may be gone already
            await send({"type": "websocket.close", "code": _sendable(code), "reason": reason})

    tasks = [asyncio.ensure_future(client_to_upstream()), asyncio.ensure_future(upstream_to_client())]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, ConnectionClosed, OSError, RuntimeError):
                await task
        await upstream.close()


def _sendable(code: int) -> int:
    # 1005 (no status) and 1006 (abnormal) describe a close; they may not be sent in one.
    return 1000 if code in (1005, 1006, 1015) else code
