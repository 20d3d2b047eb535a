"""An exception no code foresaw is a 500 in the Azure envelope, on the express lane and off it.

The platform's middleware sits outside FastAPI's server-error layer (``app.PlatformApp``), and the
gateway calls express endpoints itself: it must answer their unforeseen exceptions as that layer's
handler does (``InternalServerError``, no exception text), while a plain FastAPI endpoint still
reaches the handler. Neither bills anything, and the server keeps serving.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter, Request
from fastapi.testclient import TestClient

from airgap.app import create_app
from airgap.platform.context import context_of
from airgap.platform.responses import JSONResponse
from airgap.platform.route_index import express, express_table
from airgap.platform.settings import Settings
from airgap.platform.usage import totals
from airgap.services.base import Engine, Meter, Service

SECRET = "password=hunter2 in an exception message"
METER = "Test.Unforeseen.Calls"


class FailingService(Service):
    name = "failing"
    api_type = "failing"
    title = "Failing (test service)"
    meters = (Meter(METER, "call", "a call to the failing test service"),)
    routes = ("/failing",)

    def routers(self) -> Sequence[APIRouter]:
        router = APIRouter()

        @router.post("/failing/express")
        @express
        async def fast(request: Request) -> JSONResponse:
            context_of(request).meter(METER, 1)
            if request.query_params.get("fail") == "yes":
                raise RuntimeError(SECRET)
            return JSONResponse({"ok": True})

        @router.post("/failing/plain/{item}")
        async def plain(item: str, request: Request) -> JSONResponse:
            context_of(request).meter(METER, 1)
            raise RuntimeError(SECRET)

        return [router]

    def engines(self) -> Sequence[Engine]:
        return ()


def test_unforeseen_exceptions_are_azure_500s_on_both_lanes(tmp_path, monkeypatch):
    monkeypatch.setenv("AIRGAP_EXTRA_SERVICES", f"failing={__name__}:FailingService")
    from airgap.platform.usage.recorder import JournalRecorder

    recorder = JournalRecorder(tmp_path)
    app = create_app(Settings.load(["Eula=accept", f"Mounts:Output={tmp_path}", "Services=failing"]),
                     recorder=recorder)
    assert ("POST", "/failing/express") in express_table(app)  # the gateway calls it itself
    with TestClient(app, raise_server_exceptions=False) as client:
        for path in ("/failing/express?fail=yes", "/failing/plain/7"):
            answer = client.post(path)
            assert answer.status_code == 500, (path, answer.text)
            assert answer.json() == {"error": {
                "code": "InternalServerError",
                "message": "The server failed while handling this request; the error is in the server log."}}
            assert SECRET not in answer.text and answer.headers["apim-request-id"]
        assert client.post("/failing/express").json() == {"ok": True}  # still serving
    assert totals(tmp_path).get(METER) == 1  # only the call that succeeded
