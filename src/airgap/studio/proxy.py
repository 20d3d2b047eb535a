"""Every request the Studio does not answer itself, passed to ``Studio:Upstream`` and back.

A plain ASGI app over httpx: the method, the path as the client wrote it (percent-escapes
kept), the query, the headers (the subscription key among them) and the body go on as they
come, streamed, and the answer comes back the same way: status, headers, body, untouched (no
decompression, no buffering). Hop-by-hop headers stay on their own hop.

Links in answers: the client's ``Host`` goes on to the upstream, with ``X-Forwarded-Host`` and
``X-Forwarded-Proto`` (what nginx's front sets too), so airgap, which writes
``Operation-Location`` and similar links from the request's host, names the Studio's origin and
a browser that follows one stays on it.

Websockets (the Speech SDK's streams, when the code the Studio shows is run against it) are
relayed to the same upstream by ``relay.py``.

When the upstream cannot be reached the client gets an Azure error envelope that says what to
check: 503 when nothing answers, 504 when it stops answering, 502 when it answers wrongly.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import httpx
import orjson

from airgap.platform.routing import PathTable
from airgap.studio.relay import relay

log = logging.getLogger("airgap.studio")

# RFC 9110 7.6.1: meaningful for one connection only. Host is set anew; Expect is answered here.
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
                        "te", "trailer", "trailers", "transfer-encoding", "upgrade"})
_NOT_FORWARDED = HOP_BY_HOP | {"host", "expect", "x-forwarded-host", "x-forwarded-proto"}
# uvicorn writes its own Date; the upstream's would be a second one.
_NOT_RETURNED = HOP_BY_HOP | {"date"}

# As the nginx front: an OCR or a training request may take minutes before its first byte.
TIMEOUT = httpx.Timeout(300.0, connect=5.0, pool=30.0)


def error_envelope(status: int, code: str, message: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    body = orjson.dumps({"error": {"code": code, "message": message}})
    return status, [(b"content-type", b"application/json; charset=utf-8"),
                    (b"content-length", str(len(body)).encode())], body


class Proxy:
    """The ASGI app that passes a request to ``upstream`` (a base URL, maybe with a path)."""

    def __init__(self, upstream: str, client: httpx.AsyncClient | None = None,
                 routes: PathTable[str] | None = None) -> None:
        self.upstream = upstream.rstrip("/")
        self.client = client or new_client()
        self.routes = routes or PathTable()

    def target(self, path: str) -> tuple[str, str]:
        """(base URL, the setting that chose it) for a request path."""
        routed = self.routes.lookup(path)
        return (routed.rstrip("/"), "Studio:Routes") if routed else (self.upstream, "Studio:Upstream")

    async def __call__(self, scope, receive, send) -> None:
        base, setting = self.target(scope["path"])
        if scope["type"] == "websocket":
            await relay(scope, receive, send, base, error_envelope)
            return
        if scope["type"] != "http":
            return
        request = self.client.build_request(scope["method"], self._url(base, scope), headers=self._headers(scope),
                                            content=_body(scope, receive))
        try:
            response = await self.client.send(request, stream=True)
        except httpx.HTTPError as exc:
            await _answer(send, *self._failure(exc, scope, base, setting))
            return
        try:
            headers = [(k, v) for k, v in response.headers.raw if k.decode("latin-1").lower() not in _NOT_RETURNED]
            await send({"type": "http.response.start", "status": response.status_code, "headers": headers})
            async for chunk in response.aiter_raw():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        except httpx.HTTPError as exc:
            # The status line is gone already: the client sees the answer cut short.
            log.warning("%s %s: the upstream's answer broke off: %s", scope["method"], scope["path"], exc)
        finally:
            await response.aclose()

    def _url(self, base: str, scope) -> str:
        path = scope.get("raw_path") or scope["path"].encode()
        query = scope.get("query_string") or b""
        return base + path.decode("latin-1") + ("?" + query.decode("latin-1") if query else "")

    def _headers(self, scope) -> list[tuple[bytes, bytes]]:
        headers = [(k, v) for k, v in scope["headers"] if k.decode("latin-1").lower() not in _NOT_FORWARDED]
        host = next((v for k, v in scope["headers"] if k.lower() == b"host"), None)
        if host is None and scope.get("server"):
            host = ("%s:%d" % tuple(scope["server"])).encode()
        if host:
            headers += [(b"host", host), (b"x-forwarded-host", host)]
        headers.append((b"x-forwarded-proto", scope.get("scheme", "http").encode()))
        client = scope.get("client")
        if client:
            earlier = [v for k, v in headers if k.lower() == b"x-forwarded-for"]
            headers = [(k, v) for k, v in headers if k.lower() != b"x-forwarded-for"]
            headers.append((b"x-forwarded-for", b", ".join([*earlier, client[0].encode()])))
        return headers

    def _failure(self, exc: httpx.HTTPError, scope, base: str,
                 setting: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        what = f"{scope['method']} {scope['path']}"
        log.warning("%s: upstream %s: %s: %s", what, base, type(exc).__name__, exc)
        detail = str(exc) or type(exc).__name__
        if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout)):
            return error_envelope(
                503, "ServiceUnavailable",
                f"The Studio could not reach the airgap services at {base} (setting {setting}) "
                f"for {what}: {detail}. Check that they run (docker compose ps: the nginx front and the "
                f"service's profile; kubectl get pods) and that {setting} names them.")
        if isinstance(exc, httpx.TimeoutException):
            return error_envelope(
                504, "GatewayTimeout",
                f"The airgap services at {base} ({setting}) did not answer {what} within "
                f"{TIMEOUT.read:g} s. The request may still be running there; a long job is better polled.")
        return error_envelope(
            502, "BadGateway",
            f"The airgap services at {base} ({setting}) broke off {what}: {detail}. "
            "Their log says why; try again.")


def new_client() -> httpx.AsyncClient:
    # trust_env=False: no proxy variable of the environment may send the traffic elsewhere.
    return httpx.AsyncClient(timeout=TIMEOUT, trust_env=False, follow_redirects=False,
                             limits=httpx.Limits(max_connections=100, max_keepalive_connections=20))


def _body(scope, receive) -> AsyncIterator[bytes] | None:
    """The request body as it arrives, or None for a request that has none (no chunked GET)."""
    names = {k.lower() for k, _ in scope["headers"]}
    if b"content-length" not in names and b"transfer-encoding" not in names:
        return None

    async def chunks() -> AsyncIterator[bytes]:
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise httpx.ReadError("the client went away while sending its request body")
            if message.get("body"):
                yield message["body"]
            if not message.get("more_body"):
                return

    return chunks()


async def _answer(send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
