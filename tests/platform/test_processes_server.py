"""Engine processes in a real ``airgap serve``: the test echo service (tests/support/echo_service.py).

/ready and the service's API follow the engine's health, a killed engine comes back on a new
pid, a stopped or killed server leaves no engine behind, and ``Workers=2`` still runs one engine.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import httpx

from tests.platform.test_processes import alive, wait_for
from tests.support.server import ServerProcess

ROOT = Path(__file__).resolve().parents[2]
ENGINE = "echo-engine"


def _server(tmp_path: Path, *settings: str, **env: str) -> ServerProcess:
    env = {"AIRGAP_EXTRA_SERVICES": "echo=tests.support.echo_service:EchoService",
           "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p),
           "ECHO_ENGINE_TAG": uuid.uuid4().hex, **env}
    return ServerProcess(settings=["Services=echo", *settings], env=env, log_path=tmp_path / "server.log")


def _engine(server: ServerProcess) -> dict:
    (process,) = httpx.get(server.url + "/status", timeout=10).json()["processes"]
    assert process["name"] == ENGINE and process["service"] == "echo"
    return process


def _engines_tagged(tag: str) -> list[int]:
    """Pids of the running processes whose command line carries ``tag``."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if tag.encode() in (entry / "cmdline").read_bytes() and alive(int(entry.name)):
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


def _echo(server: ServerProcess) -> httpx.Response:
    return httpx.post(server.url + "/echo/v1", content=b"ping", timeout=30)


def test_ready_and_the_api_follow_the_engine_through_a_crash_and_a_restart(tmp_path):
    crash = tmp_path / "crash"
    grandchild_file = tmp_path / "grandchild"
    crash.touch()  # the engine fails at start until this file is gone
    server = _server(tmp_path, ECHO_CRASH_FILE=str(crash), ECHO_GRANDCHILD_FILE=str(grandchild_file))
    server.start(wait_ready=False)
    try:
        # Not ready while the engine crash-loops: /ready says which process and why.
        def crash_looping():
            try:
                return _engine(server)["restarts"] >= 2 and httpx.get(server.url + "/ready", timeout=10)
            except httpx.HTTPError:
                return None

        ready = wait_for(crash_looping, "the engine restarted twice")
        assert ready.status_code == 503
        assert ready.json()["status"] == "notReady"
        assert ready.json()["services"] == {"echo": "waitingForProcess"}
        assert f"Engine process {ENGINE} (echo) is " in ready.json()["reason"]
        assert _engine(server)["lastExitCode"] == 3
        refused = _echo(server)
        assert refused.status_code == 503
        assert refused.json()["error"]["code"] == "ServiceUnavailable"
        assert ENGINE in refused.json()["error"]["message"]
        assert int(refused.headers["Retry-After"]) >= 1
        assert "apim-request-id" in refused.headers

        crash.unlink()
        server.wait_ready(timeout=120)
        ready = httpx.get(server.url + "/ready", timeout=10).json()
        assert ready["processes"] == {ENGINE: "healthy"} and ready["services"] == {"echo": "ready"}
        first = _engine(server)
        assert first["state"] == "healthy" and first["lastExitCode"] == 3 and first["address"].startswith("http://")
        answer = _echo(server)
        assert answer.status_code == 200 and answer.content == b"ping"
        assert answer.headers["x-engine-pid"] == str(first["pid"])

        # kill -9 the engine: /ready 503, /status says restarting (it crash-loops again), ...
        crash.touch()
        os.kill(first["pid"], 9)
        restarting = wait_for(lambda: (p := _engine(server))["state"] == "restarting" and p, "restarting")
        assert restarting["pid"] is None and restarting["nextAttempt"].endswith("Z")
        assert restarting["lastExitCode"] in (-9, 3)  # -9, or 3 once a restart has crashed again
        assert httpx.get(server.url + "/ready", timeout=10).status_code == 503
        assert _echo(server).status_code == 503
        assert f"pid {first['pid']}) exited with code -9" in server.log_text()
        # ... then it is back, on a new pid, and serves again.
        crash.unlink()
        server.wait_ready(timeout=120)
        second = _engine(server)
        assert second["pid"] != first["pid"] and not alive(first["pid"])
        answer = _echo(server)
        assert answer.status_code == 200 and answer.headers["x-engine-pid"] == str(second["pid"])

        # A clean stop of the server stops the engine and what it started.
        grandchild = int(grandchild_file.read_text())
        assert alive(second["pid"]) and alive(grandchild)
    finally:
        server.stop()
    wait_for(lambda: not alive(second["pid"]), "engine stopped with the server")
    wait_for(lambda: not alive(grandchild), "the engine's own child stopped too")
    assert f"Engine process {ENGINE} (pid {second['pid']}) stopped" in server.log_text()
    assert not _engines_tagged(server.env["ECHO_ENGINE_TAG"])


def test_with_two_workers_one_engine_runs_and_dies_with_a_killed_server(tmp_path):
    server = _server(tmp_path, "Workers=2")
    tag = server.env["ECHO_ENGINE_TAG"]
    server.start()
    try:
        engines = _engines_tagged(tag)
        assert len(engines) == 1
        # Every worker reports the same engine, and forwards to it.
        pids = {_engine(server)["pid"] for _ in range(8)}
        assert pids == set(engines)
        assert {_echo(server).headers["x-engine-pid"] for _ in range(8)} == {str(engines[0])}
    finally:
        server.kill()  # kill -9 the whole server: the engine gets SIGKILL from the kernel
    wait_for(lambda: not alive(engines[0]), "engine gone with its killed server")
    assert not _engines_tagged(tag)
