"""The platform's request pipeline around every service route and websocket.

For each HTTP request it: assigns a request id; attaches a ``RequestContext``
naming the service that owns the path; runs the gates (readiness, and any
licence or auth gate the runtime was built with); and, when the handler
answers with success, makes the context's usage readings durable before the
response's first byte leaves. Housekeeping routes (no owning service) pass
through ungated and unmetered; the liveness probes are answered here, without
routing. An ``@express`` endpoint (``route_index.py``) is called here directly
once the gates pass, past FastAPI's request machinery; an ``ApiError`` it raises
is rendered in the path's dialect, as the app's handler would.

A websocket gets the same before it is accepted: the context (for the whole
connection) and the gates. A refused upgrade is answered with the Azure error
envelope as an HTTP response where the server can send one (the
``websocket.http.response`` extension, which uvicorn has), else accepted and
closed at once with a close code (1008 policy, 1013 try again later, 1011
server error) and the message as the reason. An accepted connection carries
``apim-request-id`` on its handshake response; ``await ctx.bill(meter, n)``
makes one unit of usage durable before the handler sends its result; the
licence and auth gates run again on every received message and every
``SWEEP_SECONDS``, and a connection they refuse is closed with the reason;
at shutdown every open connection is closed with 1001 (see also
``ws_protocol.py``, which does the same when uvicorn shuts connections down).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Sequence
from typing import Protocol

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from airgap.platform import health
from airgap.platform.context import Reading, RequestContext
from airgap.platform.errors import ApiError, ServiceUnavailable, unexpected_error
from airgap.platform.metering import UsageRecorder
from airgap.platform.responses import JSONResponse, error_response
from airgap.platform.route_index import ExpressRequest, ExpressTable
from airgap.platform.runtime import Hosted, Runtime

log = logging.getLogger("airgap.gateway")

REQUEST_ID_HEADER = b"apim-request-id"

# A request that arrives while models load (a fresh worker among several shares
# the listening socket with ready ones) waits for them rather than failing.
LOAD_WAIT_SECONDS = 30.0

# Open websockets are re-checked against the licence and auth gates this often, so that a
# connection that only receives from the server (no client messages) still ends when the
# licence stops serving.
SWEEP_SECONDS = 5.0

# Websocket close codes (RFC 6455 section 7.4.1; 1013 is IANA's "try again later").
GOING_AWAY = 1001
POLICY_VIOLATION = 1008
SERVER_ERROR = 1011
TRY_AGAIN_LATER = 1013
SHUTDOWN_REASON = "server shutting down"
MAX_REASON_BYTES = 123  # a close frame's payload is at most 125 bytes, 2 of them the code

_OWNER_CACHE_LIMIT = 4096


_random = b""  # os.urandom read 4 KiB at a time: one system call per 256 request ids, not one per id
_taken = 0


def _reset_random() -> None:
    global _random, _taken
    _random, _taken = b"", 0


os.register_at_fork(after_in_child=_reset_random)  # a forked child must never repeat its parent's ids


def new_request_id() -> str:
    """A random (version 4) UUID as text, as ``str(uuid.uuid4())`` but cheaper per request."""
    global _random, _taken
    if _taken >= len(_random):
        _random, _taken = os.urandom(4096), 0
    b = bytearray(_random[_taken:_taken + 16])
    _taken += 16
    b[6] = b[6] & 0x0F | 0x40  # version 4
    b[8] = b[8] & 0x3F | 0x80  # RFC 4122 variant
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def close_code(error: ApiError) -> int:
    """The websocket close code that says what ``error``'s HTTP status says."""
    if error.status == 503:
        return TRY_AGAIN_LATER
    if 400 <= error.status < 500:
        return POLICY_VIOLATION
    return SERVER_ERROR


def close_reason(text: str) -> str:
    """``text`` cut to fit a close frame (123 bytes of UTF-8), on a character boundary."""
    data = text.encode()
    if len(data) <= MAX_REASON_BYTES:
        return text
    return data[:MAX_REASON_BYTES - 3].decode(errors="ignore") + "..."


def refusal_reason(error: ApiError) -> str:
    return close_reason(f"{error.code}: {error.message}")


class Gate(Protocol):
    """A check before a service handler runs; raises ``ApiError`` to refuse."""

    async def check(self, ctx: RequestContext, scope: Scope) -> None: ...


class ReadinessGate:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._ready: set[int] = set()  # services seen ready: loaded models stay loaded

    async def check(self, ctx: RequestContext, scope: Scope) -> None:
        service = self.runtime.service_for_path(scope["path"])
        if service is not None:
            await self.wait_ready(service)

    async def wait_ready(self, service: Hosted) -> None:
        if id(service) in self._ready:
            return
        if service.ready:
            self._ready.add(id(service))
            return
        loaded = self.runtime.loaded
        if loaded is not None and self.runtime.load_error is None:
            try:
                await asyncio.wait_for(loaded.wait(), LOAD_WAIT_SECONDS)
            except TimeoutError:
                pass
        if not service.ready:
            raise ServiceUnavailable(
                f"The {service.name} models are still loading; retry when GET /ready returns 200.",
                headers={"Retry-After": "2"},
            )


class ConnectionClosed(OSError):
    """A send on a websocket the platform or the server has closed: to the handler, the client is gone
    (Starlette's ``WebSocket.send`` turns an ``OSError`` into ``WebSocketDisconnect(1006)``)."""


class GatewayMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        runtime: Runtime,
        gates: Sequence[Gate] = (),
        recorder: UsageRecorder | None = None,
        express: ExpressTable | None = None,
    ) -> None:
        self.app = app
        self.runtime = runtime
        self.express = express or {}  # endpoints called directly, past FastAPI (route_index.py)
        self.readiness = ReadinessGate(runtime)
        self.gates: list[Gate] = [self.readiness, *gates]
        self.recheck: list[Gate] = list(gates)  # while a websocket is open (readiness, once met, stays)
        self.recorder = recorder
        self.websockets: set[WebSocketConnection] = set()
        self._owners: dict[str, Hosted | None] = {}
        self._sweeper: asyncio.Task[None] | None = None
        liveness = JSONResponse(health.LIVENESS)
        self._liveness_start = {"type": "http.response.start", "status": 200, "headers": liveness.raw_headers}
        self._liveness_body = {"type": "http.response.body", "body": liveness.body}

    def owner(self, path: str) -> Hosted | None:
        """The service that owns ``path`` (cached: the same few paths come again and again)."""
        try:
            return self._owners[path]
        except KeyError:
            pass
        service = self.runtime.service_for_path(path)
        if len(self._owners) >= _OWNER_CACHE_LIMIT:
            self._owners.clear()  # paths with ids in them (jobs) must not grow it for ever
        self._owners[path] = service
        return service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, receive, send)
        elif kind == "websocket":
            await self._websocket(scope, receive, send)
        elif kind == "lifespan":
            await self.app(scope, self._lifespan_receive(receive), send)
        else:
            await self.app(scope, receive, send)

    async def _run_gates(self, gates: Sequence[Gate], ctx: RequestContext, scope: Scope,
                         service: Hosted) -> None:
        for gate in gates:
            if gate is self.readiness:
                await self.readiness.wait_ready(service)  # the owner is known: no second lookup
            else:
                await gate.check(ctx, scope)

    # -- HTTP ---------------------------------------------------------------------------------

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"]
        request_id = new_request_id()
        header = (REQUEST_ID_HEADER, request_id.encode())
        if path in health.LIVENESS_PATHS and scope["method"] == "GET":
            # Liveness probes come often and mean only "the process answers": no routing.
            scope["airgap.route"] = path
            start = self._liveness_start
            await send({**start, "headers": [*start["headers"], header]})
            await send(self._liveness_body)
            return
        service = self.owner(path)
        ctx = RequestContext(request_id, None if service is None else service.name, biller=self)
        scope.setdefault("state", {})["airgap.context"] = ctx

        async def send_error(error: ApiError) -> None:
            response = error_response(error, self.runtime.dialects.for_request(path, scope.get("query_string", b"")))
            response.raw_headers.append(header)
            await response(scope, receive, send)

        if service is not None:
            try:
                await self._run_gates(self.gates, ctx, scope, service)
            except ApiError as error:
                await send_error(error)
                return

        replaced = False
        recorder = self.recorder

        async def send_wrapper(message: Message) -> None:
            nonlocal replaced
            if replaced:
                return  # the handler's own body, superseded by an error we already sent
            if message["type"] == "http.response.start":
                if message["status"] < 400 and ctx.readings and recorder is not None:
                    try:
                        await recorder.record(ctx)
                    except ApiError as error:
                        replaced = True
                        await send_error(error)
                        return
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        target = self.express.get((scope["method"], path)) if service is not None else None
        if target is None or scope.get("root_path"):
            await self.app(scope, receive, send_wrapper)
            return
        route, endpoint = target
        scope["route"], scope["endpoint"], scope["path_params"] = route, endpoint, {}
        try:
            response = await endpoint(ExpressRequest(scope, receive, send_wrapper))
        except ApiError as error:  # as the app's ApiError handler renders it
            response = error_response(error, self.runtime.dialects.for_request(path, scope.get("query_string", b"")))
        except Exception:
            # FastAPI's server-error layer is inside this middleware (app.PlatformApp): answer as its
            # handler does, the details to the log only.
            log.exception("Unhandled error on %s %s", scope["method"], path)
            response = error_response(unexpected_error(),
                                      self.runtime.dialects.for_request(path, scope.get("query_string", b"")))
        await response(scope, receive, send_wrapper)

    # -- billing now (RequestContext.bill) ----------------------------------------------------

    async def bill_now(self, ctx: RequestContext, reading: Reading) -> None:
        """One reading, durable when this returns (an HTTP handler's ``ctx.bill``: the gates ran already)."""
        await self.record_now(ctx, reading)

    async def record_now(self, ctx: RequestContext, reading: Reading) -> None:
        if self.recorder is None:
            return
        # One record per bill, each with its own id: the connection's request id and the bill's number.
        await self.recorder.record(RequestContext(f"{ctx.request_id}/{len(ctx.billed) + 1}", ctx.service, [reading]))

    # -- websockets ----------------------------------------------------------------------------

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        service = self.owner(scope["path"])
        ctx = RequestContext(new_request_id(), None if service is None else service.name)
        scope.setdefault("state", {})["airgap.context"] = ctx
        connection = WebSocketConnection(self, ctx, scope, receive, send, gated=service is not None)
        ctx.biller = connection
        if service is not None:
            try:
                await self._run_gates(self.gates, ctx, scope, service)
            except ApiError as error:
                await connection.refuse(error)
                return
        self.websockets.add(connection)
        if self.recheck and service is not None and self._sweeper is None:
            self._sweeper = asyncio.get_running_loop().create_task(self._sweep(), name="websocket-gate-sweep")
        try:
            await self.app(scope, connection.receive, connection.send)
        finally:
            self.websockets.discard(connection)
            if ctx.readings and self.recorder is not None and connection.accepted:
                # meter() on a websocket: recorded when the handler returns (bill() is per unit, at once).
                try:
                    await self.recorder.record(ctx)
                except ApiError as error:
                    log.error("Usage of websocket %s could not be recorded: %s", ctx.request_id, error.message)

    async def refused(self, connection: WebSocketConnection) -> ApiError | None:
        """The error a gate raises for this open connection now, or None."""
        try:
            for gate in self.recheck:
                await gate.check(connection.ctx, connection.scope)
        except ApiError as error:
            return error
        return None

    async def _sweep(self) -> None:
        try:
            while True:
                await asyncio.sleep(SWEEP_SECONDS)
                for connection in list(self.websockets):
                    if not connection.gated or connection.closed:
                        continue
                    error = await self.refused(connection)
                    if error is not None:
                        await connection.close(close_code(error), refusal_reason(error), why=error.message)
        finally:
            self._sweeper = None

    async def close_websockets(self, code: int = GOING_AWAY, reason: str = SHUTDOWN_REASON) -> None:
        """Close every open websocket (server shutdown)."""
        if self._sweeper is not None:
            self._sweeper.cancel()
        for connection in list(self.websockets):
            await connection.close(code, reason, why=reason)

    def _lifespan_receive(self, receive: Receive) -> Receive:
        async def wrapped() -> Message:
            message = await receive()
            if message["type"] == "lifespan.shutdown":
                await self.close_websockets()
            return message

        return wrapped


class WebSocketConnection:
    """One websocket between the gateway and its handler: request id on the handshake, gates re-run
    per received message, messages after a platform close refused, and ``close`` for the platform."""

    def __init__(self, gateway: GatewayMiddleware, ctx: RequestContext, scope: Scope, receive: Receive,
                 send: Send, *, gated: bool) -> None:
        self.gateway = gateway
        self.ctx = ctx
        self.scope = scope
        self._receive = receive
        self._send = send
        self.gated = gated and bool(gateway.recheck)
        self.accepted = False
        self.closed = False  # a close (or a denial response) has been sent
        self._ended: Message | None = None  # the disconnect the handler gets after a platform close
        self._header = (REQUEST_ID_HEADER, ctx.request_id.encode())

    async def bill_now(self, ctx: RequestContext, reading: Reading) -> None:
        """``ctx.bill`` on this connection: the licence and auth gates first (a unit the licence no
        longer covers is refused with their ``ApiError``), then one durable record."""
        if self.gated:
            error = await self.gateway.refused(self)
            if error is not None:
                raise error
        await self.gateway.record_now(ctx, reading)

    async def refuse(self, error: ApiError) -> None:
        """Refuse the upgrade: the Azure envelope as an HTTP response where the server can send one,
        else accept and close at once with the code and reason (a close before the accept would reach
        the client as a bare 403)."""
        self.closed = True
        self.scope["airgap.refused"] = True  # for the metrics: accepted below only to say why
        log.info("Refusing a websocket on %s: %s", self.scope["path"], error.message)
        if "websocket.http.response" in self.scope.get("extensions", {}):
            dialect = self.gateway.runtime.dialects.for_request(self.scope["path"], self.scope.get("query_string", b""))
            response = error_response(error, dialect)
            response.raw_headers.append(self._header)
            await response(self.scope, self._receive, self._send)
            return
        with contextlib.suppress(OSError, RuntimeError):  # the client may be gone already
            await self._send({"type": "websocket.accept", "headers": [self._header]})
            await self._send({"type": "websocket.close", "code": close_code(error), "reason": refusal_reason(error)})

    async def receive(self) -> Message:
        if self._ended is not None:
            return self._ended
        message = await self._receive()
        if message["type"] == "websocket.receive" and self.gated:
            error = await self.gateway.refused(self)
            if error is not None:
                await self.close(close_code(error), refusal_reason(error), why=error.message)
        if self._ended is not None:  # closed by the platform meanwhile: the handler's stream ends here
            return self._ended
        return message

    async def send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "websocket.accept":
            message = {**message, "headers": [*(message.get("headers") or ()), self._header]}
            self.accepted = True
        elif kind == "websocket.http.response.start":
            message = {**message, "headers": [*(message.get("headers") or ()), self._header]}
            self.closed = True
        elif self._ended is not None:
            if kind == "websocket.close":
                return  # the platform closed it already, with its own reason
            raise ConnectionClosed(f"the websocket was closed: {self._ended.get('reason', '')}")
        elif kind == "websocket.close":
            self.closed = True
        try:
            await self._send(message)
        except (OSError, RuntimeError) as exc:  # the client went, or the server closed it (shutdown)
            if kind == "websocket.close":
                return  # closing what is closed already
            if isinstance(exc, RuntimeError) and kind == "websocket.send":
                raise ConnectionClosed(str(exc)) from exc
            raise

    async def close(self, code: int, reason: str, *, why: str) -> None:
        """Close from the platform side (licence stopped, shutdown); the handler's next receive
        gets the disconnect and its sends fail as if the client had gone."""
        if self.closed or self._ended is not None:
            return
        self._ended = {"type": "websocket.disconnect", "code": code, "reason": reason}
        self.closed = True
        log.info("Closing websocket %s on %s (%d): %s", self.ctx.request_id, self.scope["path"], code, why)
        with contextlib.suppress(OSError, RuntimeError):  # already gone: nothing to tell
            await self._send({"type": "websocket.close", "code": code, "reason": reason})

