"""The gateway's websocket handling in process, driven with raw ASGI messages: what a server without
the ``websocket.http.response`` extension sees (a refusal as accept + close with code and reason),
the order of a bill and the message it pays for, and the close at lifespan shutdown.
(tests/platform/test_websocket_server.py drives a real server with a real client.)"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest

from airgap.platform.context import RequestContext
from airgap.platform.errors import Forbidden, ServiceUnavailable
from airgap.platform.executor import InferencePool
from airgap.platform.gateway import (
    MAX_REASON_BYTES,
    GatewayMiddleware,
    close_code,
    close_reason,
    new_request_id,
)
from airgap.platform.runtime import Runtime
from airgap.platform.settings import Settings


@dataclass
class Hosted:
    name: str = "ws"
    routes: tuple[str, ...] = ("/ws",)
    ready: bool = True

    def load(self) -> None: ...

    def close(self) -> None: ...


class Refuse:
    def __init__(self) -> None:
        self.error: Exception | None = None

    async def check(self, ctx, scope) -> None:  # noqa: ANN001
        if self.error is not None:
            raise self.error


class Recorder:
    def __init__(self, events: list) -> None:
        self.events = events

    async def record(self, ctx: RequestContext) -> None:
        await asyncio.sleep(0)  # durable "later": the handler must wait for it
        self.events.append(("record", ctx.request_id, [(r.meter, r.quantity) for r in ctx.readings]))

    def close(self) -> None: ...


def _gateway(app, tmp_path, gate: Refuse, events: list) -> GatewayMiddleware:  # noqa: ANN001
    runtime = Runtime(settings=Settings.load(["Eula=accept", f"Mounts:Output={tmp_path}"]), pool=InferencePool(1))
    service = Hosted()
    runtime.services.append(service)
    runtime.owners.add("/ws", service, "ws")
    return GatewayMiddleware(app, runtime=runtime, gates=[gate], recorder=Recorder(events))


def _scope(extensions: dict | None = None) -> dict:
    scope = {"type": "websocket", "path": "/ws/stream", "raw_path": b"/ws/stream", "query_string": b"",
             "headers": [], "subprotocols": [], "state": {}}
    if extensions is not None:
        scope["extensions"] = extensions
    return scope


class Client:
    """The server side of one connection: what the app sends, and messages to give it."""

    def __init__(self, events: list) -> None:
        self.inbox: asyncio.Queue = asyncio.Queue()
        self.inbox.put_nowait({"type": "websocket.connect"})
        self.events = events

    async def receive(self) -> dict:
        return await self.inbox.get()

    async def send(self, message: dict) -> None:
        self.events.append(("send", message))


async def _echo_and_bill(scope, receive, send) -> None:  # noqa: ANN001
    ctx: RequestContext = scope["state"]["airgap.context"]
    assert (await receive())["type"] == "websocket.connect"
    await send({"type": "websocket.accept"})
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return
        await ctx.bill("Test.Units", 2)
        await send({"type": "websocket.send", "text": "paid " + message["text"]})


def test_close_reasons_fit_a_close_frame():
    assert close_reason("short") == "short"
    long = "é" * 100  # 200 bytes of UTF-8
    cut = close_reason(long)
    assert len(cut.encode()) <= MAX_REASON_BYTES and cut.endswith("...") and cut.startswith("éé")
    assert close_code(ServiceUnavailable("x")) == 1013
    assert close_code(Forbidden("x")) == 1008


def test_request_ids_are_version_4_uuids():
    import uuid

    ids = {new_request_id() for _ in range(1000)}
    assert len(ids) == 1000
    for value in list(ids)[:50]:
        parsed = uuid.UUID(value)
        assert parsed.version == 4 and str(parsed) == value


def test_without_the_denial_extension_a_refusal_is_accept_then_close_with_the_reason(tmp_path):
    events: list = []
    gate = Refuse()
    gate.error = Forbidden("Out of quota: " + "x" * 300, code="OutOfQuota")
    reached = []

    async def app(scope, receive, send) -> None:  # noqa: ANN001
        reached.append(scope)

    client = Client(events)
    asyncio.run(_gateway(app, tmp_path, gate, events)(_scope(), client.receive, client.send))
    assert reached == []  # the handler never saw it
    (accept, close) = [e[1] for e in events if e[0] == "send"]
    assert accept["type"] == "websocket.accept"
    assert dict(accept["headers"])[b"apim-request-id"]
    assert close["type"] == "websocket.close" and close["code"] == 1008
    assert close["reason"].startswith("OutOfQuota: Out of quota: xxx") and len(close["reason"].encode()) <= 123


def test_with_the_extension_a_refusal_is_the_azure_envelope(tmp_path):
    events: list = []
    gate = Refuse()
    gate.error = ServiceUnavailable("Loading.", headers={"Retry-After": "2"})
    client = Client(events)
    asyncio.run(_gateway(_echo_and_bill, tmp_path, gate, events)(
        _scope({"websocket.http.response": {}}), client.receive, client.send))
    start, body = [e[1] for e in events if e[0] == "send"]
    assert start["type"] == "websocket.http.response.start" and start["status"] == 503
    headers = dict(start["headers"])
    assert headers[b"retry-after"] == b"2" and headers[b"apim-request-id"]
    assert b'"code":"ServiceUnavailable"' in body["body"]


def test_a_bill_is_durable_before_the_message_it_pays_for(tmp_path):
    events: list = []

    async def scenario() -> None:
        client = Client(events)
        gateway = _gateway(_echo_and_bill, tmp_path, Refuse(), events)
        task = asyncio.create_task(gateway(_scope(), client.receive, client.send))
        for text in ("a", "b"):
            await client.inbox.put({"type": "websocket.receive", "text": text})
        await client.inbox.put({"type": "websocket.disconnect", "code": 1000})
        await task

    asyncio.run(scenario())
    accept = events[0][1]
    request_id = dict(accept["headers"])[b"apim-request-id"].decode()
    assert events[1:] == [
        ("record", f"{request_id}/1", [("Test.Units", 2)]),
        ("send", {"type": "websocket.send", "text": "paid a"}),
        ("record", f"{request_id}/2", [("Test.Units", 2)]),
        ("send", {"type": "websocket.send", "text": "paid b"}),
    ]


def test_a_licence_that_stops_closes_on_the_next_message_before_the_handler_sees_it(tmp_path):
    events: list = []
    gate = Refuse()

    async def scenario() -> None:
        client = Client(events)
        gateway = _gateway(_echo_and_bill, tmp_path, gate, events)
        task = asyncio.create_task(gateway(_scope(), client.receive, client.send))
        await client.inbox.put({"type": "websocket.receive", "text": "a"})
        while len(events) < 3:
            await asyncio.sleep(0)
        gate.error = Forbidden("The licence expired.", code="Expired")
        await client.inbox.put({"type": "websocket.receive", "text": "b"})
        await task

    asyncio.run(scenario())
    sent = [e[1] for e in events if e[0] == "send"]
    assert [m["type"] for m in sent] == ["websocket.accept", "websocket.send", "websocket.close"]
    assert sent[-1]["code"] == 1008 and sent[-1]["reason"] == "Expired: The licence expired."
    assert len([e for e in events if e[0] == "record"]) == 1  # "b" was never handled, so never billed


def test_lifespan_shutdown_closes_open_websockets_with_1001(tmp_path):
    events: list = []

    async def scenario() -> None:
        client = Client(events)
        lifespan: asyncio.Queue = asyncio.Queue()

        async def app(scope, receive, send) -> None:  # noqa: ANN001
            if scope["type"] == "lifespan":
                while (await receive())["type"] != "lifespan.shutdown":
                    pass
                return
            await _echo_and_bill(scope, receive, send)

        gateway = _gateway(app, tmp_path, Refuse(), events)
        connection = asyncio.create_task(gateway(_scope(), client.receive, client.send))
        while not events:
            await asyncio.sleep(0)
        await lifespan.put({"type": "lifespan.startup"})
        await lifespan.put({"type": "lifespan.shutdown"})
        await gateway({"type": "lifespan"}, lifespan.get, client.send)
        await client.inbox.put({"type": "websocket.disconnect", "code": 1001})  # what the server then says
        await connection

    asyncio.run(scenario())
    close = events[-1][1]
    assert close == {"type": "websocket.close", "code": 1001, "reason": "server shutting down"}


def test_http_bill_records_at_once(tmp_path):
    events: list = []

    async def app(scope, receive, send) -> None:  # noqa: ANN001
        await scope["state"]["airgap.context"].bill("Test.Units", 1)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        events.append(("send", message["type"]))

    scope = {"type": "http", "method": "POST", "path": "/ws/x", "headers": [], "query_string": b"", "state": {}}
    asyncio.run(_gateway(app, tmp_path, Refuse(), events)(scope, receive, send))
    assert [e[0] for e in events] == ["record", "send", "send"]


@pytest.mark.parametrize("path", ["/health", "/ContainerLiveness"])
def test_liveness_is_answered_without_routing(tmp_path, path):
    sent: list = []

    async def app(scope, receive, send) -> None:  # noqa: ANN001
        raise AssertionError("routed")

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "headers": [], "query_string": b"", "state": {}}
    asyncio.run(_gateway(app, tmp_path, Refuse(), [])(scope, None, send))
    assert sent[0]["status"] == 200 and dict(sent[0]["headers"])[b"apim-request-id"]
    assert sent[1]["body"] == b'{"status":"alive"}'
    assert scope["airgap.route"] == path
