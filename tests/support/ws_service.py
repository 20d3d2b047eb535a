"""A test-only service with a websocket, for the gateway's websocket tests (tests/platform/test_websocket_server.py).

Hosted by a test server with ``AIRGAP_EXTRA_SERVICES=wstest=tests.support.ws_service:WsTestService``
and ``Services=wstest`` (``services/registry.py``). ``/wstest/v1/echo`` accepts a websocket and
answers text commands, one message each:

- ``echo TEXT``: answers ``TEXT``;
- ``bill N``: bills N units of ``METER`` through the connection's context (``ctx.bill``), then
  answers ``billed N``; ``bill-twice N`` bills N twice, then answers ``billed N N``. A bill the
  platform refuses closes the connection with 1008 and the error as the reason, unanswered;
- ``close``: closes with 1000 ``bye``.

``WSTEST_LOAD_FAIL`` in the server's environment makes the engine fail to load (the service never
becomes ready).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from fastapi import APIRouter, WebSocket
from starlette.websockets import WebSocketDisconnect

from airgap.platform.context import context_of
from airgap.platform.errors import ApiError
from airgap.platform.gateway import POLICY_VIOLATION, refusal_reason
from airgap.services.base import Engine, Meter, Service

METER = "Test.Websocket.Units"
PATH = "/wstest/v1/echo"


class _Engine:
    name = "wstest-engine"
    model_version = "1"

    def __init__(self) -> None:
        self.ready = False

    def load(self) -> None:
        if os.environ.get("WSTEST_LOAD_FAIL"):
            raise RuntimeError("WSTEST_LOAD_FAIL is set")
        self.ready = True


class WsTestService(Service):
    name = "wstest"
    api_type = "wstest"
    title = "Websocket test service"
    meters = (Meter(METER, "unit", "Units billed by the websocket test route."),)
    routes = ("/wstest",)

    def __init__(self, runtime) -> None:  # noqa: ANN001
        super().__init__(runtime)
        self.engine = _Engine()

    def routers(self) -> Sequence[APIRouter]:
        router = APIRouter()

        @router.websocket(PATH)
        async def echo(websocket: WebSocket) -> None:
            ctx = context_of(websocket)
            await websocket.accept()
            try:
                while True:
                    command, _, argument = (await websocket.receive_text()).partition(" ")
                    if command in ("bill", "bill-twice"):
                        amounts = [float(argument)] * (2 if command == "bill-twice" else 1)
                        try:
                            for amount in amounts:
                                await ctx.bill(METER, amount)
                        except ApiError as error:  # withheld: the result is not sent
                            await websocket.close(POLICY_VIOLATION, refusal_reason(error))
                            return
                        await websocket.send_text("billed " + " ".join(f"{a:g}" for a in amounts))
                    elif command == "echo":
                        await websocket.send_text(argument)
                    elif command == "close":
                        await websocket.close(1000, "bye")
                        return
            except WebSocketDisconnect:
                return

        return [router]

    def engines(self) -> Sequence[Engine]:
        return (self.engine,)
