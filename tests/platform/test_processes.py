"""Supervisor of engine processes (platform/processes.py), driven directly with short intervals.

Backoff and restart timing use an injected clock (``step()`` by hand); the rest waits for
real child processes with generous deadlines.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from airgap.platform.errors import ServiceUnavailable
from airgap.platform.processes import (
    STATE_FILE,
    Backoff,
    ProcessGate,
    ProcessSpec,
    ProcessState,
    ProcessTable,
    StateFile,
    Supervisor,
    collect,
)
from tests.support.echo_service import ENGINE

PY = sys.executable


def wait_for(condition: Callable[[], object], what: str, timeout: float = 60.0) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"not within {timeout} s: {what}")


def alive(pid: int) -> bool:
    """Running (a zombie counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _stepped(spec: ProcessSpec) -> tuple[Supervisor, FakeClock]:
    clock = FakeClock()
    return Supervisor([spec], clock=clock, wall=clock), clock


def _step_until(supervisor: Supervisor, name: str, state: str) -> ProcessState:
    def reached() -> ProcessState | None:
        supervisor.step()
        current = supervisor.snapshot()[name]
        return current if current.state == state else None

    return wait_for(reached, f"{name} {state}")  # type: ignore[return-value]


def test_backoff_grows_by_its_factor_up_to_its_maximum():
    backoff = Backoff(initial=0.5, maximum=4.0, factor=2.0)
    assert [backoff.delay(n) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


def test_a_crashing_process_is_restarted_with_growing_delays(tmp_path):
    spec = ProcessSpec("crash", [PY, "-c", "raise SystemExit(3)"],
                       backoff=Backoff(initial=0.5, maximum=4.0, factor=2.0))
    supervisor, clock = _stepped(spec)
    try:
        supervisor.step()
        assert supervisor.snapshot()["crash"].state == "starting"
        delays = []
        for attempt in range(5):
            state = _step_until(supervisor, "crash", "restarting")
            assert state.last_exit_code == 3
            assert state.restarts == attempt
            assert state.pid is None
            delay = state.next_attempt - clock.now
            delays.append(delay)
            clock.now += delay - 0.01
            supervisor.step()
            assert supervisor.snapshot()["crash"].state == "restarting"  # not before its time
            clock.now += 0.01
            supervisor.step()
            assert supervisor.snapshot()["crash"].state == "starting"
        assert delays == pytest.approx([0.5, 1.0, 2.0, 4.0, 4.0])
    finally:
        supervisor.stop()
    assert supervisor.snapshot()["crash"].state == "stopped"


def test_a_healthy_period_resets_the_backoff(tmp_path):
    crash = tmp_path / "crash"
    crash.touch()
    script = f"import os, time\nif os.path.exists({str(crash)!r}): raise SystemExit(3)\ntime.sleep(120)"
    spec = ProcessSpec("flaky", [PY, "-c", script], health_interval=1.0,
                       backoff=Backoff(initial=0.5, maximum=30.0, factor=2.0, reset_after=60.0))
    supervisor, clock = _stepped(spec)
    try:
        supervisor.step()
        for expected in (0.5, 1.0, 2.0):
            state = _step_until(supervisor, "flaky", "restarting")
            assert state.next_attempt - clock.now == pytest.approx(expected)
            clock.now = state.next_attempt
        crash.unlink()
        state = _step_until(supervisor, "flaky", "healthy")  # "alive": running is healthy
        assert state.restarts == 3
        # Healthy for less than reset_after: a crash now would still wait 4 s.
        clock.now += 30
        supervisor.step()
        clock.now += 31  # healthy for 61 s by the checks: the count of failures starts again
        supervisor.step()
        os.kill(state.pid, signal.SIGKILL)
        state = _step_until(supervisor, "flaky", "restarting")
        assert state.last_exit_code == -signal.SIGKILL
        assert state.next_attempt - clock.now == pytest.approx(0.5)
        assert "exited with code -9" in state.reason
    finally:
        supervisor.stop()


def test_a_process_not_healthy_by_its_startup_timeout_is_restarted():
    spec = ProcessSpec("deaf", [PY, "-c", "import time; time.sleep(120)"], port=0, health="tcp",
                       startup_timeout=5.0, health_interval=0.5, stop_timeout=5)
    supervisor, clock = _stepped(spec)
    try:
        supervisor.step()
        first = supervisor.snapshot()["deaf"]
        assert first.state == "starting" and first.port
        clock.now += 1
        supervisor.step()
        assert supervisor.snapshot()["deaf"].state == "starting"
        assert "tcp check" in supervisor.snapshot()["deaf"].reason
        clock.now += 5
        supervisor.step()
        state = supervisor.snapshot()["deaf"]
        assert state.state == "restarting"
        assert "not healthy 5 s after its start" in state.reason
        assert state.last_exit_code == -signal.SIGTERM
        assert not alive(first.pid)
    finally:
        supervisor.stop()


def test_an_engine_that_cannot_start_is_retried_and_says_why():
    spec = ProcessSpec("missing", ["/nonexistent/engine", "--serve"])
    supervisor, clock = _stepped(spec)
    supervisor.step()
    state = supervisor.snapshot()["missing"]
    assert state.state == "restarting"
    assert "could not start /nonexistent/engine" in state.reason
    clock.now = state.next_attempt
    supervisor.step()
    assert supervisor.snapshot()["missing"].next_attempt - clock.now == pytest.approx(1.0)
    supervisor.stop()


def _echo(name: str = "echo", *extra: str, **fields) -> ProcessSpec:
    options = dict(port=0, health="http", health_path="/health", health_interval=0.05, stop_timeout=5,
                   backoff=Backoff(initial=0.05, maximum=0.5))
    options.update(fields)
    return ProcessSpec(name, [PY, str(ENGINE), "--port", "{port}", *extra], **options)


def test_the_supervisor_thread_restarts_a_killed_engine_on_a_new_pid():
    supervisor = Supervisor([_echo()], tick=0.01).start()
    table = ProcessTable(supervisor.specs, supervisor.snapshot)
    try:
        first = wait_for(lambda: table.state("echo").healthy and table.state("echo"), "healthy")
        assert table.ready and table.address("echo").url == f"http://127.0.0.1:{first.port}"
        os.kill(first.pid, signal.SIGKILL)
        second = wait_for(lambda: (s := table.state("echo")).healthy and s.pid != first.pid and s, "restarted")
        assert second.restarts == 1
        assert second.last_exit_code == -signal.SIGKILL
        assert not alive(first.pid)
    finally:
        supervisor.stop()
    assert table.state("echo").state == "stopped"
    assert not alive(second.pid)


def test_failed_health_checks_get_a_running_process_restarted(tmp_path):
    sick = tmp_path / "sick"
    supervisor = Supervisor([_echo("echo", "--sick-file", str(sick), unhealthy_after=3)], tick=0.01).start()
    try:
        first = wait_for(lambda: (s := supervisor.snapshot()["echo"]).healthy and s, "healthy")
        sick.touch()
        restarted = wait_for(lambda: (s := supervisor.snapshot()["echo"]).restarts >= 1 and s, "restarted")
        assert restarted.last_exit_code == -signal.SIGTERM  # stopped politely: it obeyed SIGTERM
        assert not alive(first.pid)
        wait_for(lambda: supervisor.snapshot()["echo"].state in ("starting", "restarting"), "not healthy while sick")
        sick.unlink()
        wait_for(lambda: supervisor.snapshot()["echo"].healthy, "healthy again")
    finally:
        supervisor.stop()


def test_stop_ends_the_whole_process_group(tmp_path):
    grandchild_file = tmp_path / "grandchild"
    supervisor = Supervisor([_echo("echo", "--grandchild-file", str(grandchild_file))], tick=0.01).start()
    state = wait_for(lambda: (s := supervisor.snapshot()["echo"]).healthy and s, "healthy")
    grandchild = int(wait_for(lambda: grandchild_file.exists() and grandchild_file.read_text(), "grandchild"))
    assert alive(state.pid) and alive(grandchild)
    supervisor.stop()
    assert supervisor.snapshot()["echo"].state == "stopped"
    assert supervisor.snapshot()["echo"].last_exit_code == -signal.SIGTERM
    assert not alive(state.pid)
    wait_for(lambda: not alive(grandchild), "grandchild gone")


def test_a_stop_escalates_to_sigkill_after_the_stop_timeout(tmp_path):
    deaf = tmp_path / "deaf"
    stubborn = (f"import pathlib, signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
                f"pathlib.Path({str(deaf)!r}).touch()\ntime.sleep(120)")
    supervisor = Supervisor([ProcessSpec("stubborn", [PY, "-c", stubborn], stop_timeout=0.5,
                                         health_interval=0.05)], tick=0.01).start()
    state = wait_for(lambda: (s := supervisor.snapshot()["stubborn"]).healthy and s, "healthy")
    wait_for(deaf.exists, "SIGTERM ignored")
    supervisor.stop()
    assert supervisor.snapshot()["stubborn"].last_exit_code == -signal.SIGKILL
    assert not alive(state.pid)


def test_children_die_with_a_server_killed_by_sigkill(tmp_path):
    pid_file = tmp_path / "child"
    parent = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from airgap.platform.processes import ProcessSpec, Supervisor
        s = Supervisor([ProcessSpec("sleeper", ["sleep", "600"])], tick=0.01).start()
        while s.snapshot()["sleeper"].pid is None:
            time.sleep(0.01)
        Path({str(pid_file)!r}).write_text(str(s.snapshot()["sleeper"].pid))
        time.sleep(600)
    """)
    server = subprocess.Popen([PY, "-c", parent])
    try:
        child = int(wait_for(lambda: pid_file.exists() and pid_file.read_text(), "child started"))
        assert alive(child)
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
        wait_for(lambda: not alive(child), "child killed with its parent (PR_SET_PDEATHSIG)")
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_the_child_gets_its_port_and_env_but_not_the_servers_secrets(tmp_path, monkeypatch):
    monkeypatch.setenv("ApiKey", "top-secret")
    monkeypatch.setenv("AUTH__SUBSCRIPTIONKEYS", "inbound-secret")
    monkeypatch.setenv("HARMLESS", "kept")
    out = tmp_path / "env.json"
    dump = f"import json, os, sys; open({str(out)!r}, 'w').write(json.dumps([sys.argv[1:], dict(os.environ)]))"
    spec = ProcessSpec("env", [PY, "-c", dump, "--listen", "127.0.0.1:{port}", "{run_dir}"], port=0,
                       env={"ENGINE_PORT": "{port}"}, backoff=Backoff(initial=60))
    supervisor, _ = _stepped(spec)
    try:
        supervisor.step()
        port = supervisor.snapshot()["env"].port
        args, env = json.loads(wait_for(lambda: out.exists() and out.read_text(), "env written"))
        assert args[:2] == ["--listen", f"127.0.0.1:{port}"]
        assert Path(args[2]).is_dir()
        assert env["ENGINE_PORT"] == str(port)
        assert env["HARMLESS"] == "kept"
        assert "ApiKey" not in env and "AUTH__SUBSCRIPTIONKEYS" not in env
    finally:
        supervisor.stop()


def test_workers_read_the_state_file_of_the_servers_supervisor(tmp_path):
    supervisor = Supervisor([_echo()], state_dir=tmp_path, tick=0.01).start()
    table = ProcessTable(supervisor.specs, StateFile(tmp_path, ttl=0))
    try:
        state = wait_for(lambda: (s := table.state("echo")).healthy and s, "healthy in the file")
        assert state.pid == supervisor.snapshot()["echo"].pid
        assert table.address("echo").port == state.port
    finally:
        supervisor.stop()
    assert table.state("echo").state == "stopped"


def test_a_state_file_whose_supervisor_is_gone_says_so(tmp_path):
    dead = subprocess.Popen(["true"])
    dead.wait()
    spec = ProcessSpec("engine", ["true"])
    (tmp_path / STATE_FILE).write_text(json.dumps({
        "supervisor": dead.pid, "processes": {"engine": {"name": "engine", "state": "healthy", "pid": 1}}}))
    table = ProcessTable([spec], StateFile(tmp_path, ttl=0))
    state = table.state("engine")
    assert state.state == "stopped" and "is gone" in state.reason
    assert not table.ready
    # No file yet: starting, not reported.
    table = ProcessTable([spec], StateFile(tmp_path / "nothing", ttl=0))
    assert table.state("engine").state == "starting"
    assert "not reported" in table.state("engine").reason


class _Service:
    def __init__(self, name: str, *specs: ProcessSpec) -> None:
        self.name = name
        self._specs = specs

    def processes(self):
        return self._specs


def test_collect_tags_each_spec_with_its_service_and_refuses_a_name_twice():
    specs = collect([_Service("translator", ProcessSpec("apertium", ["apertium"])), _Service("language")])
    assert [(s.name, s.service) for s in specs] == [("apertium", "translator")]
    with pytest.raises(ValueError, match="apertium is declared by both translator and clu"):
        collect([_Service("translator", ProcessSpec("apertium", ["a"])),
                 _Service("clu", ProcessSpec("apertium", ["b"]))])


def test_a_spec_is_checked_when_declared():
    with pytest.raises(ValueError, match="needs a port"):
        ProcessSpec("x", ["x"], health="http")
    with pytest.raises(ValueError, match="argv is empty"):
        ProcessSpec("x", [])
    with pytest.raises(ValueError, match="process name"):
        ProcessSpec("a b", ["x"])
    assert ProcessSpec("x", ["x", 1]).argv == ("x", "1")


def test_the_gate_refuses_the_owning_service_only_with_retry_after():
    now = time.time()
    states = {
        "apertium": ProcessState("apertium", service="translator", state="restarting", next_attempt=now + 4.2,
                                 reason="exited with code -9", last_exit_code=-9),
        "optional": ProcessState("optional", service="language", required=False, state="restarting"),
    }
    table = ProcessTable([ProcessSpec("apertium", ["a"], service="translator"),
                          ProcessSpec("optional", ["o"], service="language", required=False)], lambda: states)
    gate = ProcessGate(table)

    class Ctx:
        service = "translator"

    with pytest.raises(ServiceUnavailable) as refused:
        asyncio.run(gate.check(Ctx(), {}))
    assert refused.value.headers["Retry-After"] in ("5", "4")
    assert "apertium" in refused.value.message and "exited with code -9" in refused.value.message
    Ctx.service = "language"  # its process is not required
    asyncio.run(gate.check(Ctx(), {}))
    assert not table.ready
    with pytest.raises(ServiceUnavailable):
        table.address("apertium")
    with pytest.raises(KeyError):
        table.state("nothing")


def test_an_app_built_in_process_runs_its_own_supervisor(tmp_path, monkeypatch):
    from fastapi.testclient import TestClient

    from airgap.app import create_app
    from airgap.platform.settings import Settings

    monkeypatch.setenv("AIRGAP_EXTRA_SERVICES", "echo=tests.support.echo_service:EchoService")
    monkeypatch.delenv("AIRGAP_PROCESS_DIR", raising=False)
    app = create_app(Settings.load(["Eula=accept", f"Mounts:Output={tmp_path}", "Services=echo"]))
    table = app.state.runtime.processes
    assert list(table.specs) == ["echo-engine"] and table.specs["echo-engine"].service == "echo"
    with TestClient(app) as client:
        wait_for(lambda: client.get("/ready").status_code == 200, "ready")
        pid = table.state("echo-engine").pid
        answer = client.post("/echo/v1", content=b"in-process")
        assert answer.status_code == 200 and answer.content == b"in-process"
        assert answer.headers["x-engine-pid"] == str(pid)
        status = client.get("/status").json()
        assert [p["state"] for p in status["processes"]] == ["healthy"]
    # The app's lifespan stopped its engine.
    assert table.state("echo-engine").state == "stopped"
    assert not alive(pid)
