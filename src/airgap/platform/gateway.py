"""The platform's request pipeline around every service route.

For each HTTP request it: assigns a request id; attaches a ``RequestContext``
naming the service that owns the path; runs the gates (readiness, and any
licence or auth gate the runtime was built with); and, when the handler
answers with success, makes the context's usage readings durable before the
response's first byte leaves. Housekeeping routes (no owning service) pass
through ungated and unmetered.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from typing import Protocol

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from airgap.platform.context import RequestContext
from airgap.platform.errors import ApiError, ServiceUnavailable
from airgap.platform.metering import UsageRecorder
from airgap.platform.responses import error_response
from airgap.platform.runtime import Runtime

REQUEST_ID_HEADER = b"apim-request-id"

# A request that arrives while models load (a fresh worker among several shares
# the listening socket with ready ones) waits for them rather than failing.
LOAD_WAIT_SECONDS = 30.0


class Gate(Protocol):
    """A check before a service handler runs; raises ``ApiError`` to refuse."""

    async def check(self, ctx: RequestContext, scope: Scope) -> None: ...


class ReadinessGate:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    async def check(self, ctx: RequestContext, scope: Scope) -> None:
        service = self.runtime.service_for_path(scope["path"])
        if service is None or service.ready:
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


class GatewayMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        runtime: Runtime,
        gates: Sequence[Gate] = (),
        recorder: UsageRecorder | None = None,
    ) -> None:
        self.app = app
        self.runtime = runtime
        self.gates = [ReadinessGate(runtime), *gates]
        self.recorder = recorder

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        service = self.runtime.service_for_path(scope["path"])
        ctx = RequestContext(request_id=str(uuid.uuid4()), service=service.name if service else None)
        scope.setdefault("state", {})["airgap.context"] = ctx
        request_id = ctx.request_id.encode()

        async def send_error(error: ApiError) -> None:
            response = error_response(error, self.runtime.dialects.for_path(scope["path"]))
            response.raw_headers.append((REQUEST_ID_HEADER, request_id))
            await response(scope, receive, send)

        if service is not None:
            try:
                for gate in self.gates:
                    await gate.check(ctx, scope)
            except ApiError as error:
                await send_error(error)
                return

        replaced = False

        async def send_wrapper(message: Message) -> None:
            nonlocal replaced
            if replaced:
                return  # the handler's own body, superseded by an error we already sent
            if message["type"] == "http.response.start":
                if message["status"] < 400 and ctx.readings and self.recorder is not None:
                    try:
                        await self.recorder.record(ctx)
                    except ApiError as error:
                        replaced = True
                        await send_error(error)
                        return
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (REQUEST_ID_HEADER, request_id)]
            await send(message)

        await self.app(scope, receive, send_wrapper)
