"""A test-only service with an engine process (tests/support/echo_engine.py).

Hosted by a test server with ``AIRGAP_EXTRA_SERVICES=echo=tests.support.echo_service:EchoService``
and ``Services=echo`` (``services/registry.py``). ``POST /echo/v1`` forwards its body to the
engine and answers what the engine answered, with the engine's pid in ``x-engine-pid``.

The server's environment shapes the engine's command line: ``ECHO_ENGINE_TAG`` (a marker, so
that a test can count the engine's processes), ``ECHO_CRASH_FILE``, ``ECHO_SICK_FILE`` and
``ECHO_GRANDCHILD_FILE`` (see echo_engine.py).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

import httpx
from fastapi import APIRouter, Request
from starlette.responses import Response

from airgap.platform.errors import ServiceUnavailable
from airgap.platform.processes import Backoff, ProcessSpec
from airgap.services.base import Engine, Service

ENGINE = Path(__file__).with_name("echo_engine.py")
PROCESS = "echo-engine"


class EchoService(Service):
    name = "echo"
    api_type = "echo"
    title = "Echo (a test service with an engine process)"
    meters = ()
    routes = ("/echo",)

    def routers(self) -> Sequence[APIRouter]:
        router = APIRouter()
        processes = self.runtime.processes

        @router.post("/echo/v1")
        async def echo(request: Request) -> Response:
            # The platform answered 503 already if the engine is known to be down; between a
            # crash and the supervisor noticing it, the engine may still not answer.
            address, state = processes.address(PROCESS), processes.state(PROCESS)
            try:
                async with httpx.AsyncClient(timeout=10) as client:
                    answer = await client.post(f"{address.url}/echo", content=await request.body())
            except httpx.TransportError as exc:
                raise ServiceUnavailable(f"The echo engine did not answer ({type(exc).__name__}); retry shortly.",
                                         headers={"Retry-After": "1"}) from None
            return Response(answer.content, status_code=answer.status_code, headers={"x-engine-pid": str(state.pid)})

        return [router]

    def engines(self) -> Sequence[Engine]:
        return ()

    def processes(self) -> Sequence[ProcessSpec]:
        argv = [sys.executable, str(ENGINE), "--port", "{port}", "--tag", os.environ.get("ECHO_ENGINE_TAG", "-")]
        for option, variable in (("--crash-file", "ECHO_CRASH_FILE"), ("--sick-file", "ECHO_SICK_FILE"),
                                 ("--grandchild-file", "ECHO_GRANDCHILD_FILE")):
            if os.environ.get(variable):
                argv += [option, os.environ[variable]]
        return [ProcessSpec(
            PROCESS, argv, port=0, health="http", health_path="/health", health_interval=0.2,
            startup_timeout=30, backoff=Backoff(initial=0.3, maximum=2.0, reset_after=10.0), stop_timeout=5,
        )]
