"""The gateway on websockets, in a real ``airgap serve`` with a real websocket client.

The route is the test-only service of tests/support/ws_service.py (``/wstest/v1/echo``). The
gates refuse before the accept (not ready, no inbound key, licence out of quota) with the Azure
envelope on the upgrade; an accepted connection carries ``apim-request-id``; each billed unit is
in the usage journal when the client receives the message that carries its result; a licence that
stops serving closes open connections with 1008 and the reason (on their next message, or by the
periodic sweep when they are silent); a shutdown closes them with 1001 and a reason; /metrics
counts connections and messages per route template.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import orjson
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from airgap.authority.store import Store
from airgap.platform.licensing import token as lic
from airgap.platform.usage import iter_records
from tests.support.server import ServerProcess
from tests.support.ws_service import METER, PATH

ROOT = Path(__file__).resolve().parents[2]
EXTRA = "wstest=tests.support.ws_service:WsTestService"


def _server(tmp_path: Path, *settings: str, **env: str) -> ServerProcess:
    env = {"AIRGAP_EXTRA_SERVICES": EXTRA,
           "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p), **env}
    return ServerProcess(settings=["Services=wstest", *settings], env=env,
                         log_path=tmp_path / f"server-{time.monotonic_ns()}.log")


def _ws(server: ServerProcess) -> str:
    return server.url.replace("http://", "ws://") + PATH


def run(coro):  # noqa: ANN001, ANN201
    return asyncio.run(asyncio.wait_for(coro, 120))


async def _refusal(server: ServerProcess, **headers: str) -> InvalidStatus:
    with pytest.raises(InvalidStatus) as info:
        async with connect(_ws(server), additional_headers=headers):
            pass
    return info.value


def _ready(server: ServerProcess) -> dict:
    try:
        return httpx.get(server.url + "/ready", timeout=5).json()
    except httpx.TransportError:
        return {}  # not listening yet


def _envelope(refused: InvalidStatus) -> dict:
    return orjson.loads(refused.response.body)["error"]


def _records(output: Path, request_id: str) -> list[dict]:
    return [r for r in iter_records(output) if r["requestId"].split("/")[0] == request_id]


def _metric(text: str, name: str, **labels: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        head, _, value = line.rpartition(" ")
        if all(f'{k}="{v}"' in head for k, v in labels.items()):
            total += float(value)
    return total


# -- gates before the accept ------------------------------------------------------------------


def test_not_ready_is_refused_before_accept(tmp_path):
    server = _server(tmp_path, WSTEST_LOAD_FAIL="1")
    server.start(wait_ready=False)
    try:
        deadline = time.monotonic() + 120
        while "error" not in _ready(server):  # until the load has failed
            assert time.monotonic() < deadline and server.process.poll() is None, server.log_text()
            time.sleep(0.1)
        refused = run(_refusal(server))
        assert refused.response.status_code == 503
        assert refused.response.headers["Retry-After"] == "2"
        assert refused.response.headers["apim-request-id"]
        assert _envelope(refused)["code"] == "ServiceUnavailable"
        assert "still loading" in _envelope(refused)["message"]
    finally:
        server.stop()


def test_inbound_key_is_checked_before_accept(tmp_path):
    with _server(tmp_path, "Auth:SubscriptionKeys=first-key,second-key") as server:
        for headers in ({}, {"Ocp-Apim-Subscription-Key": "wrong"}):
            refused = run(_refusal(server, **headers))
            assert refused.response.status_code == 401
            assert _envelope(refused)["code"] == "Unauthorized"
            assert "Ocp-Apim-Subscription-Key" in _envelope(refused)["message"]

        async def accepted() -> str:
            async with connect(_ws(server), additional_headers={"Ocp-Apim-Subscription-Key": "second-key"}) as ws:
                await ws.send("echo hello")
                return await ws.recv()

        assert run(accepted()) == "hello"


# -- an accepted connection: request id, billing, metrics, licence stop -------------------------


@pytest.fixture(scope="module")
def licensed(tmp_path_factory) -> Iterator[ServerProcess]:
    """A disconnected-mode server whose licence allows 3 units of the test meter, then blocks."""
    state = tmp_path_factory.mktemp("ws-licence")
    store = Store.init(state / "authority")
    now = lic.utcnow()
    token = lic.issue(store.signing_key, issuer=store.issuer, subject="ws-test", services=["wstest"],
                      quotas=[lic.Quota(METER, 3, "block")], not_before=now - timedelta(hours=1),
                      expires=now + timedelta(days=1))
    license_dir = state / "license"
    license_dir.mkdir()
    lic.write_licence(license_dir, lic.verify(token, [store.signing_key.public_key()]))
    server = _server(state, f"Mounts:License={license_dir}", f"Licensing:TrustedKeys={store.public_key_path}")
    with server:
        yield server


def test_billing_metrics_and_licence_stop(licensed):
    server, output = licensed, licensed.output_dir
    metrics_before = httpx.get(server.url + "/metrics").text

    async def scenario() -> dict:
        seen: dict = {}
        async with connect(_ws(server)) as ws, connect(_ws(server)) as talker, connect(_ws(server)) as silent:
            request_id = ws.response.headers["apim-request-id"]
            seen["request_id"] = request_id
            assert talker.response.headers["apim-request-id"] not in (request_id, "")
            # Each unit is durable before the message that carries its result is sent.
            for number in (1, 2):
                await ws.send("bill 1")
                assert await ws.recv() == "billed 1"
                records = _records(output, request_id)
                assert [r["requestId"] for r in records] == [f"{request_id}/{n}" for n in range(1, number + 1)]
                assert records[-1]["serviceName"] == "wstest"
                assert records[-1]["meters"] == [{"name": METER, "quantity": 1}]
            # The third unit uses the quota up; the fourth is refused by the gate inside ctx.bill,
            # so its result is withheld and the handler closes with the reason.
            await ws.send("bill-twice 1")
            with pytest.raises(ConnectionClosed) as closed:
                await ws.recv()
            seen["bill_refused"] = (closed.value.rcvd.code, closed.value.rcvd.reason)
            seen["records_after_refusal"] = len(_records(output, request_id))
            # An open connection's next message meets the licence gate again: closed with the reason.
            await talker.send("echo still there?")
            with pytest.raises(ConnectionClosed) as closed:
                await talker.recv()
            seen["talker"] = (closed.value.rcvd.code, closed.value.rcvd.reason)
            # One that says nothing is closed by the periodic sweep.
            with pytest.raises(ConnectionClosed) as closed:
                await silent.recv()
            seen["silent"] = (closed.value.rcvd.code, closed.value.rcvd.reason)
        # A new connection is refused before the accept, with the envelope.
        seen["refused"] = await _refusal(server)
        return seen

    seen = run(scenario())
    assert seen["bill_refused"][0] == 1008 and seen["bill_refused"][1].startswith("OutOfQuota: ")
    assert seen["records_after_refusal"] == 3
    for name in ("talker", "silent"):
        code, reason = seen[name]
        assert code == 1008 and reason.startswith("OutOfQuota: Container isn't in a valid state"), seen[name]
        assert len(reason.encode()) <= 123
    refused = seen["refused"]
    assert refused.response.status_code == 403
    assert _envelope(refused)["code"] == "OutOfQuota" and "allows 3 of meter" in _envelope(refused)["message"]

    metrics = httpx.get(server.url + "/metrics").text

    def delta(name: str, **labels: str) -> float:
        return _metric(metrics, name, **labels) - _metric(metrics_before, name, **labels)

    assert delta("airgap_websocket_messages_total", route=PATH, direction="received") == 4
    assert delta("airgap_websocket_messages_total", route=PATH, direction="sent") == 2
    assert delta("airgap_websockets_total", route=PATH, outcome="accepted") == 3
    assert delta("airgap_websockets_total", outcome="refused") == 1
    assert delta("airgap_websocket_seconds_count", route=PATH) == 3
    assert _metric(metrics, "airgap_websockets_open") == 0
    assert delta("airgap_requests_total", method="GET", route="/metrics", status="200") == 1


# -- shutdown -------------------------------------------------------------------------------------


def test_shutdown_closes_open_connections_with_a_reason(tmp_path):
    server = _server(tmp_path).start()
    try:
        async def scenario() -> tuple[int, str]:
            async with connect(_ws(server)) as ws:
                await ws.send("echo up")
                assert await ws.recv() == "up"
                os.killpg(server.process.pid, signal.SIGTERM)
                with pytest.raises(ConnectionClosed) as closed:
                    await ws.recv()
                return closed.value.rcvd.code, closed.value.rcvd.reason

        assert run(scenario()) == (1001, "server shutting down")
        # uvicorn ends by re-raising the signal it caught, after a clean shutdown.
        assert server.process.wait(30) in (0, -signal.SIGTERM), server.log_text()
        assert "Application shutdown complete" in server.log_text()
    finally:
        server.stop()
