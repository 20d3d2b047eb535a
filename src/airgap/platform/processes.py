"""Engine processes: started, health-checked, restarted with backoff and stopped, once per server.

A service that needs a child process (Apertium for the Translator, a user's ``score.py``
worker) returns a ``ProcessSpec`` for it from ``Service.processes()``. One ``Supervisor``
per server runs them all:

- in ``airgap serve`` it runs in the parent process, in a background thread, before uvicorn
  starts its workers (``server.serve``), so ``Workers=N`` still means one child per spec; it
  writes every process's state to ``<run dir>/processes.json`` (atomically), and the workers
  find that folder in ``AIRGAP_PROCESS_DIR``;
- an app built in-process without that variable (tests calling ``create_app``) runs its own
  supervisor for the life of the app.

Each worker reads the states through ``ProcessTable`` (``runtime.processes``): service code
asks it for a process's ``address(name)`` or ``state(name)``; ``/ready`` is 503 while a
required process is not healthy, ``/status`` lists every process, and ``ProcessGate`` answers
the owning service's API requests with 503 and ``Retry-After`` meanwhile.

A child runs in its own process group (a stop reaches its own children too), gets SIGKILL
if the server dies, even by kill -9 (``PR_SET_PDEATHSIG``), and never sees airgap's secrets
(``ApiKey``, inbound subscription keys) in its environment.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import dataclasses
import http.client
import json
import logging
import math
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from airgap.platform.durable import write_atomic
from airgap.platform.errors import ServiceUnavailable
from airgap.platform.settings import all_specs, normalize_key

log = logging.getLogger("airgap.processes")

# The folder where the server's supervisor writes process states; set by ``airgap serve``
# for its workers (as PROMETHEUS_MULTIPROC_DIR is for metrics).
STATE_DIR_ENV = "AIRGAP_PROCESS_DIR"
STATE_FILE = "processes.json"

STARTING, HEALTHY, UNHEALTHY, RESTARTING, STOPPED = "starting", "healthy", "unhealthy", "restarting", "stopped"

HealthKind = Literal["alive", "tcp", "http"]


@dataclass(frozen=True)
class Backoff:
    """Delay before restarting a process that exited or failed its health checks.

    The n-th consecutive failure waits ``initial * factor**(n-1)``, at most ``maximum``
    seconds; a process that stays healthy ``reset_after`` seconds starts counting again.
    """

    initial: float = 0.5
    maximum: float = 30.0
    factor: float = 2.0
    reset_after: float = 60.0

    def delay(self, failures: int) -> float:
        return min(self.maximum, self.initial * self.factor ** max(0, failures - 1))


@dataclass(frozen=True)
class ProcessSpec:
    """One engine process a service needs.

    ``argv`` and ``env`` values may hold ``{port}`` (with ``port=0``: a free loopback port the
    supervisor picks at every start), ``{socket}`` and ``{run_dir}`` (the server's runtime
    folder, for Unix sockets and scratch files). ``health`` is ``"alive"`` (the process runs),
    ``"tcp"`` (the port or socket accepts), ``"http"`` (``GET health_path`` answers 2xx) or a
    callable given the ``ProcessHandle``. A running process that fails ``unhealthy_after``
    checks in a row, or is not healthy ``startup_timeout`` seconds after its start, is
    stopped and restarted. Stopping is SIGTERM to its process group, then SIGKILL after
    ``stop_timeout``. While a ``required`` process is not healthy the server is not ready.
    """

    name: str
    argv: Sequence[str]
    env: Mapping[str, str] = field(default_factory=dict)
    cwd: str | Path | None = None
    port: int | None = None
    socket: str | None = None
    host: str = "127.0.0.1"
    health: HealthKind | Callable[[ProcessHandle], bool] = "alive"
    health_path: str = "/"
    health_interval: float = 2.0
    health_timeout: float = 2.0
    unhealthy_after: int = 3
    startup_timeout: float = 30.0
    backoff: Backoff = Backoff()
    stop_timeout: float = 5.0
    required: bool = True
    service: str = ""  # the owning service's name, filled in by ``collect``

    def __post_init__(self) -> None:
        object.__setattr__(self, "argv", tuple(str(a) for a in self.argv))
        object.__setattr__(self, "env", {str(k): str(v) for k, v in self.env.items()})
        if not self.name or not all(c.isalnum() or c in "-_." for c in self.name):
            raise ValueError(f"process name {self.name!r}: use letters, digits, '-', '_' or '.'")
        if not self.argv:
            raise ValueError(f"process {self.name}: argv is empty")
        if isinstance(self.health, str):
            if self.health not in ("alive", "tcp", "http"):
                raise ValueError(f"process {self.name}: health must be alive, tcp, http or a callable")
            if self.health == "http" and self.port is None:
                raise ValueError(f"process {self.name}: an http health check needs a port")
            if self.health == "tcp" and self.port is None and self.socket is None:
                raise ValueError(f"process {self.name}: a tcp health check needs a port or a socket")
        if self.health_interval <= 0 or self.startup_timeout <= 0 or self.stop_timeout < 0:
            raise ValueError(f"process {self.name}: intervals and timeouts must be positive")
        if self.unhealthy_after < 1:
            raise ValueError(f"process {self.name}: unhealthy_after must be at least 1")


@dataclass(frozen=True)
class Address:
    """Where a process listens: a loopback port or a Unix socket."""

    host: str = "127.0.0.1"
    port: int | None = None
    socket: str | None = None

    @property
    def url(self) -> str:
        """``http://host:port`` (for a socket-only process: ``unix:<path>``)."""
        if self.port is not None:
            return f"http://{self.host}:{self.port}"
        return f"unix:{self.socket}"


@dataclass
class ProcessHandle:
    """A running child, as a custom health check sees it."""

    spec: ProcessSpec
    popen: subprocess.Popen
    address: Address
    started: float  # on the supervisor's clock

    @property
    def pid(self) -> int:
        return self.popen.pid


@dataclass(frozen=True)
class ProcessState:
    """What the supervisor reports about one process (also its form in the state file)."""

    name: str
    service: str = ""
    required: bool = True
    state: str = STARTING
    pid: int | None = None
    restarts: int = 0
    last_exit_code: int | None = None  # negative: killed by that signal
    reason: str | None = None  # why it is not healthy
    next_attempt: float | None = None  # wall-clock time (epoch seconds) of the next start
    host: str = "127.0.0.1"
    port: int | None = None
    socket: str | None = None
    since: float = 0.0  # wall-clock time this state began

    @property
    def healthy(self) -> bool:
        return self.state == HEALTHY

    @property
    def address(self) -> Address | None:
        if self.port is None and self.socket is None:
            return None
        return Address(self.host, self.port, self.socket)

    def describe(self, now: float | None = None) -> str:
        """One sentence for /ready and error messages: which process, what state, why."""
        text = f"engine process {self.name} ({self.service or 'no service'}) is {self.state}"
        if self.reason:
            text += f": {self.reason}"
        if self.state == RESTARTING and self.next_attempt is not None:
            wait = max(0.0, self.next_attempt - (time.time() if now is None else now))
            text += f"; next attempt in {wait:.1f} s"
        return text

    def to_status(self) -> dict[str, Any]:
        """The entry of ``/status``'s ``processes`` list."""
        body: dict[str, Any] = {
            "name": self.name, "service": self.service, "state": self.state, "required": self.required,
            "pid": self.pid, "restarts": self.restarts, "lastExitCode": self.last_exit_code,
        }
        if self.reason:
            body["reason"] = self.reason
        if self.state == RESTARTING and self.next_attempt is not None:
            when = datetime.fromtimestamp(self.next_attempt, timezone.utc)
            body["nextAttempt"] = when.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        if self.address is not None:
            body["address"] = self.address.url
        return body


def collect(services: Iterable[Any]) -> list[ProcessSpec]:
    """Every hosted service's ``processes()``, each tagged with its service; names are unique."""
    specs: dict[str, ProcessSpec] = {}
    for service in services:
        for spec in service.processes():
            if not isinstance(spec, ProcessSpec):
                raise TypeError(f"{service.name}.processes() returned {spec!r}, not a ProcessSpec")
            spec = dataclasses.replace(spec, service=service.name)
            other = specs.get(spec.name)
            if other is not None:
                raise ValueError(f"engine process {spec.name} is declared by both {other.service} and {spec.service}")
            specs[spec.name] = spec
    return list(specs.values())


# --- the supervisor ----------------------------------------------------------------------------

_PR_SET_PDEATHSIG = 1


def _pdeathsig_hook() -> Callable[[], None] | None:
    """A ``preexec_fn`` that has the kernel SIGKILL the child when its parent dies (Linux)."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    parent = os.getpid()

    def hook() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the line above took effect
            os.kill(os.getpid(), signal.SIGKILL)

    return hook


def _secret_env_names() -> set[str]:
    return {spec.normalized for spec in all_specs() if spec.secret}


def child_environment(extra: Mapping[str, str]) -> dict[str, str]:
    """The server's environment without airgap's secrets and internal variables, plus ``extra``."""
    secret = _secret_env_names()
    internal = {"AIRGAP_WORKER_SETTINGS", STATE_DIR_ENV, "PROMETHEUS_MULTIPROC_DIR"}
    env = {k: v for k, v in os.environ.items() if k not in internal and normalize_key(k) not in secret}
    env.update(extra)
    return env


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _fill(text: str, values: Mapping[str, str]) -> str:
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def check_health(spec: ProcessSpec, handle: ProcessHandle) -> tuple[bool, str]:
    """(healthy, why not) by the spec's health check."""
    if handle.popen.poll() is not None:
        return False, "not running"
    kind = spec.health
    if callable(kind):
        try:
            return (True, "") if kind(handle) else (False, "its health check said no")
        except Exception as exc:
            return False, f"its health check failed: {type(exc).__name__}: {exc}"
    address = handle.address
    try:
        if kind == "tcp":
            if address.port is not None:
                with socket.create_connection((address.host, address.port), timeout=spec.health_timeout):
                    pass
            else:
                with socket.socket(socket.AF_UNIX) as s:
                    s.settimeout(spec.health_timeout)
                    s.connect(str(address.socket))
        elif kind == "http":
            conn = http.client.HTTPConnection(address.host, address.port, timeout=spec.health_timeout)
            try:
                conn.request("GET", spec.health_path)
                status = conn.getresponse().status
            finally:
                conn.close()
            if not 200 <= status < 300:
                return False, f"GET {spec.health_path} answered {status}"
    except OSError as exc:
        where = f"port {address.port}" if address.port is not None else address.socket
        return False, f"{kind} check of {where} failed: {exc.strerror or exc}"
    return True, ""


def _terminate(popen: subprocess.Popen, timeout: float) -> int:
    """SIGTERM to the process group, SIGKILL after ``timeout``; reaps the child, kills stragglers."""
    group = popen.pid  # the child leads its own group
    if popen.poll() is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGTERM)
        try:
            popen.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(group, signal.SIGKILL)
            popen.wait()
    _kill_group(group)
    return popen.returncode


def _kill_group(group: int) -> None:
    """Whatever the child left in its group (grandchildren) dies with it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, signal.SIGKILL)


@dataclass
class _Managed:
    spec: ProcessSpec
    state: str = STARTING
    popen: subprocess.Popen | None = None
    handle: ProcessHandle | None = None
    address: Address | None = None
    started: int = 0  # starts so far; restarts = started - 1
    failures: int = 0  # consecutive failures, for the backoff
    last_exit: int | None = None
    reason: str | None = "not started yet"
    next_attempt: float = 0.0  # supervisor clock
    next_attempt_wall: float | None = None
    started_at: float = 0.0
    healthy_since: float = 0.0
    failed_checks: int = 0
    next_check: float = 0.0
    since: float = field(default_factory=time.time)


class Supervisor:
    """Runs every spec as a child process, keeps it healthy, and stops them all on ``stop()``.

    ``start()`` runs the loop in a daemon thread (``tick`` seconds between rounds); tests may
    instead call ``step()`` themselves with an injected ``clock``. The state of every
    process is published to ``snapshot()`` and, with ``state_dir``, to its state file.
    """

    def __init__(
        self,
        specs: Sequence[ProcessSpec],
        *,
        state_dir: Path | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        tick: float = 0.05,
    ) -> None:
        self.specs = list(specs)
        self.state_dir = Path(state_dir) if state_dir is not None else None
        self.clock = clock
        self.wall = wall
        self.tick = tick
        self._managed = [_Managed(spec) for spec in self.specs]
        self._states: dict[str, ProcessState] = {}
        self._published = b""
        self._run_dir: Path | None = self.state_dir
        self._own_run_dir = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._preexec = _pdeathsig_hook()
        self._publish()

    # -- life cycle

    def start(self) -> Supervisor:
        if self._thread is None and self.specs:
            self._thread = threading.Thread(target=self._run, name="process-supervisor", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop every child (SIGTERM, wait, SIGKILL, reap). Safe to call twice or from a signal handler."""
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            # The thread stops the children itself: they die with the thread that started them.
            thread.join(max((s.stop_timeout for s in self.specs), default=0) + 10)
        else:
            self._stop_all()

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                self.step()
                self._stop.wait(self.tick)
        finally:
            self._stop_all()

    def _stop_all(self) -> None:
        with self._lock:
            # SIGTERM to every group at once, so that they wind down side by side.
            started = self.clock()
            for m in self._managed:
                if m.popen is not None and m.popen.poll() is None:
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.killpg(m.popen.pid, signal.SIGTERM)
            for m in self._managed:
                if m.popen is not None:
                    pid = m.popen.pid
                    code = _terminate(m.popen, max(0.0, started + m.spec.stop_timeout - self.clock()))
                    log.info("Engine process %s (pid %d) stopped with exit code %s", m.spec.name, pid, code)
                    m.last_exit = code
                m.popen = m.handle = None
                self._enter(m, STOPPED, "the server is stopping")
            self._publish()
            if self._own_run_dir and self._run_dir is not None:
                shutil.rmtree(self._run_dir, ignore_errors=True)

    # -- one round

    def step(self) -> None:
        """Start, check, restart what is due; publish what changed."""
        with self._lock:
            if self._stop.is_set():
                return
            for m in self._managed:
                try:
                    self._step(m, self.clock())
                except Exception:  # a bug for one process must not stop the supervision of others
                    log.exception("Supervising engine process %s failed", m.spec.name)
            self._publish()

    def _step(self, m: _Managed, now: float) -> None:
        spec = m.spec
        if m.popen is None:
            if m.state != STOPPED and now >= m.next_attempt:
                self._start(m, now)
            return
        code = m.popen.poll()
        if code is not None:
            self._exited(m, now, f"exited with code {code}")
            return
        if now < m.next_check:
            return
        assert m.handle is not None
        healthy, why = check_health(spec, m.handle)
        if m.state == STARTING:
            m.next_check = now + min(spec.health_interval, 0.1)  # ready as soon as it is
        else:
            m.next_check = now + spec.health_interval
        if healthy:
            m.failed_checks = 0
            if m.state != HEALTHY:
                log.info("Engine process %s (pid %d) is healthy", spec.name, m.popen.pid)
                m.healthy_since = now
                self._enter(m, HEALTHY, None)
            elif m.failures and now - m.healthy_since >= spec.backoff.reset_after:
                m.failures = 0  # healthy long enough: the next crash restarts quickly again
            return
        if m.state == STARTING:
            m.reason = why
            if now - m.started_at >= spec.startup_timeout:
                self._kill_and_restart(m, now, f"not healthy {spec.startup_timeout:g} s after its start ({why})")
            return
        m.failed_checks += 1
        if m.failed_checks >= spec.unhealthy_after:
            self._kill_and_restart(m, now, f"failed {m.failed_checks} health checks in a row ({why})")
        else:
            if m.state != UNHEALTHY:
                log.warning("Engine process %s (pid %d) is unhealthy: %s", spec.name, m.popen.pid, why)
            self._enter(m, UNHEALTHY, why)

    def _start(self, m: _Managed, now: float) -> None:
        spec = m.spec
        run_dir = self._ensure_run_dir()
        port = free_port(spec.host) if spec.port == 0 else spec.port
        values = {"port": "" if port is None else str(port), "run_dir": str(run_dir)}
        sock = _fill(spec.socket, values) if spec.socket else None
        values["socket"] = sock or ""
        argv = [_fill(a, values) for a in spec.argv]
        env = child_environment({k: _fill(v, values) for k, v in spec.env.items()})
        m.address = Address(spec.host, port, sock)
        m.started += 1
        m.started_at = now
        m.failed_checks = 0
        m.next_check = now
        m.next_attempt_wall = None
        if sock:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(sock)  # left by a killed predecessor; the engine could not bind
        try:
            m.popen = subprocess.Popen(argv, env=env, cwd=spec.cwd, stdin=subprocess.DEVNULL,
                                       process_group=0, preexec_fn=self._preexec, close_fds=True)
        except (OSError, subprocess.SubprocessError) as exc:
            m.popen = None
            log.error("Engine process %s could not start (%s): %s", spec.name, argv[0], exc)
            self._schedule_restart(m, now, f"could not start {argv[0]}: {exc}")
            return
        m.handle = ProcessHandle(spec, m.popen, m.address, now)
        what = "Started" if m.started == 1 else f"Restarted (restart {m.started - 1})"
        log.info("%s engine process %s (service %s), pid %d: %s", what, spec.name, spec.service or "-",
                 m.popen.pid, " ".join(argv))
        self._enter(m, STARTING, None)

    def _exited(self, m: _Managed, now: float, reason: str) -> None:
        assert m.popen is not None
        pid = m.popen.pid
        m.last_exit = m.popen.returncode
        _kill_group(pid)
        m.popen = m.handle = None
        log.warning("Engine process %s (pid %d) exited with code %s", m.spec.name, pid, m.last_exit)
        self._schedule_restart(m, now, reason)

    def _kill_and_restart(self, m: _Managed, now: float, reason: str) -> None:
        assert m.popen is not None
        pid = m.popen.pid
        log.warning("Engine process %s (pid %d) %s; stopping it", m.spec.name, pid, reason)
        m.last_exit = _terminate(m.popen, m.spec.stop_timeout)
        log.warning("Engine process %s (pid %d) exited with code %s", m.spec.name, pid, m.last_exit)
        m.popen = m.handle = None
        self._schedule_restart(m, self.clock(), reason)

    def _schedule_restart(self, m: _Managed, now: float, reason: str) -> None:
        m.failures += 1
        delay = m.spec.backoff.delay(m.failures)
        m.next_attempt = now + delay
        m.next_attempt_wall = self.wall() + delay
        log.info("Engine process %s: restart in %.1f s (failure %d in a row)", m.spec.name, delay, m.failures)
        self._enter(m, RESTARTING, reason)

    def _enter(self, m: _Managed, state: str, reason: str | None) -> None:
        if state != m.state:
            m.since = self.wall()
        m.state = state
        m.reason = reason

    def _ensure_run_dir(self) -> Path:
        if self._run_dir is None:
            self._run_dir = Path(tempfile.mkdtemp(prefix="airgap-run-"))
            self._own_run_dir = True
        return self._run_dir

    # -- reporting

    def _publish(self) -> None:
        states = {m.spec.name: self._state_of(m) for m in self._managed}
        self._states = states
        if self.state_dir is None:
            return
        data = json.dumps({"supervisor": os.getpid(),
                           "processes": {name: dataclasses.asdict(s) for name, s in states.items()}},
                          sort_keys=True).encode()
        if data != self._published:
            try:
                write_atomic(self.state_dir / STATE_FILE, data)
                self._published = data
            except OSError:
                log.exception("Writing the engine process states to %s failed", self.state_dir)

    def _state_of(self, m: _Managed) -> ProcessState:
        address = m.address or Address(m.spec.host, None, None)
        return ProcessState(
            name=m.spec.name, service=m.spec.service, required=m.spec.required, state=m.state,
            pid=m.popen.pid if m.popen is not None else None, restarts=max(0, m.started - 1),
            last_exit_code=m.last_exit, reason=m.reason,
            next_attempt=m.next_attempt_wall if m.state == RESTARTING else None,
            host=address.host, port=address.port, socket=address.socket, since=m.since,
        )

    def snapshot(self) -> dict[str, ProcessState]:
        return self._states


class StateFile:
    """A worker's view of the supervisor's state file, re-read at most every ``ttl`` seconds."""

    def __init__(self, folder: Path, ttl: float = 0.2) -> None:
        self.path = Path(folder) / STATE_FILE
        self.ttl = ttl
        self._read_at = -math.inf
        self._states: dict[str, ProcessState] = {}
        self._problem: str | None = None
        self.gone = False  # the supervisor process no longer exists

    def __call__(self) -> dict[str, ProcessState]:
        now = time.monotonic()
        if now - self._read_at >= self.ttl:
            self._states, self._problem = self._read()
            self.gone = self._problem is not None and "is gone" in self._problem
            self._read_at = now
        return self._states

    @property
    def problem(self) -> str | None:
        """Why no state is known (no report yet, supervisor gone), or None."""
        self()
        return self._problem

    def _read(self) -> tuple[dict[str, ProcessState], str | None]:
        try:
            data = json.loads(self.path.read_bytes())
        except FileNotFoundError:
            return {}, "the process supervisor has not reported yet"
        except (OSError, ValueError) as exc:
            return {}, f"the process state file {self.path} is unreadable: {exc}"
        supervisor = int(data.get("supervisor", 0))
        try:
            os.kill(supervisor, 0)
        except ProcessLookupError:
            return {}, f"the process supervisor (pid {supervisor}) is gone"
        except PermissionError:
            pass
        fields = {f.name for f in dataclasses.fields(ProcessState)}
        states = {name: ProcessState(**{k: v for k, v in raw.items() if k in fields})
                  for name, raw in data.get("processes", {}).items()}
        return states, None


class ProcessTable:
    """``runtime.processes``: the declared engine processes and their state, as one worker sees it."""

    def __init__(self, specs: Sequence[ProcessSpec] = (),
                 source: Callable[[], Mapping[str, ProcessState]] | None = None) -> None:
        self.specs = {spec.name: spec for spec in specs}
        self._source = source or dict

    def __bool__(self) -> bool:
        return bool(self.specs)

    def states(self) -> list[ProcessState]:
        """One state per declared process, in declaration order."""
        known = self._source()
        return [known.get(name) or self._unknown(spec) for name, spec in self.specs.items()]

    def state(self, name: str) -> ProcessState:
        spec = self.specs.get(name)
        if spec is None:
            raise KeyError(f"no engine process named {name}; declared: {', '.join(self.specs) or 'none'}")
        return self._source().get(name) or self._unknown(spec)

    def address(self, name: str) -> Address:
        """Where the process listens; 503 ServiceUnavailable while it has none (not started yet)."""
        state = self.state(name)
        if state.address is None or state.pid is None:
            raise ServiceUnavailable(f"The {state.describe()}; retry when GET /ready returns 200.",
                                     headers={"Retry-After": str(self.retry_after([state]))})
        return state.address

    def blocking(self, service: str | None = None) -> list[ProcessState]:
        """Required processes (of one service, or all) that are not healthy."""
        return [s for s in self.states() if s.required and not s.healthy and (service is None or s.service == service)]

    @property
    def ready(self) -> bool:
        return not self.specs or not self.blocking()

    @staticmethod
    def retry_after(states: Iterable[ProcessState]) -> int:
        """Seconds until the earliest restart attempt (at least 1; 2 when none is scheduled)."""
        now = time.time()
        waits = [s.next_attempt - now for s in states if s.state == RESTARTING and s.next_attempt is not None]
        return max(1, math.ceil(min(waits))) if waits else 2

    def _unknown(self, spec: ProcessSpec) -> ProcessState:
        problem = getattr(self._source, "problem", None) or "the process supervisor has not reported it yet"
        state = STOPPED if getattr(self._source, "gone", False) else STARTING
        return ProcessState(name=spec.name, service=spec.service, required=spec.required, state=state,
                            reason=problem, host=spec.host)


class ProcessGate:
    """Gateway gate: a service's API requests get 503 + Retry-After while its required process is down."""

    def __init__(self, table: ProcessTable) -> None:
        self.table = table

    async def check(self, ctx: Any, scope: Any) -> None:
        service = getattr(ctx, "service", None)
        if service is None:
            return
        down = self.table.blocking(service)
        if down:
            reasons = "; ".join(s.describe() for s in down)
            raise ServiceUnavailable(
                f"The {service} service is not available: {reasons}. Retry when GET /ready returns 200.",
                headers={"Retry-After": str(self.table.retry_after(down))},
            )


def attach(runtime: Any) -> Supervisor | None:
    """Fill ``runtime.processes`` from the hosted services; called by ``create_app``.

    Under ``airgap serve`` the server's supervisor already runs (its folder is in
    ``AIRGAP_PROCESS_DIR``): the table reads its state file. Otherwise this app runs its own
    supervisor, returned here for the app's lifespan to start and stop; None when there is
    nothing to run.
    """
    specs = collect(runtime.services)
    if not specs:
        return None
    folder = os.environ.get(STATE_DIR_ENV)
    if folder:
        runtime.processes = ProcessTable(specs, StateFile(Path(folder)))
        return None
    supervisor = Supervisor(specs)
    runtime.processes = ProcessTable(specs, supervisor.snapshot)
    return supervisor


def serve_supervisor(services: Iterable[Any]) -> Supervisor | None:
    """``airgap serve``: start the one supervisor of this server, before uvicorn's workers.

    Its state folder goes to the workers in ``AIRGAP_PROCESS_DIR`` and is removed at exit.
    """
    specs = collect(services)
    if not specs:
        os.environ.pop(STATE_DIR_ENV, None)  # one inherited from elsewhere is not ours
        return None
    folder = Path(tempfile.mkdtemp(prefix="airgap-processes-"))
    os.environ[STATE_DIR_ENV] = str(folder)
    supervisor = Supervisor(specs, state_dir=folder)

    def clean_up() -> None:
        supervisor.stop()
        shutil.rmtree(folder, ignore_errors=True)

    atexit.register(clean_up)
    _stop_before_dying(clean_up)
    log.info("Supervising %d engine process(es) for this server: %s", len(specs), ", ".join(s.name for s in specs))
    return supervisor.start()


def _stop_before_dying(clean_up: Callable[[], None]) -> None:
    """SIGTERM/SIGINT stop the children first, then act as before.

    uvicorn (one worker) shuts down on the signal, puts back the handler it found (this one)
    and raises the signal again, which would otherwise kill the process before ``atexit``.
    """
    previous: dict[int, Any] = {}

    def handler(signum: int, frame: Any) -> None:
        clean_up()
        signal.signal(signum, previous[signum])
        signal.raise_signal(signum)

    with contextlib.suppress(ValueError):  # not the main thread: atexit and PDEATHSIG still apply
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous[sig] = signal.signal(sig, handler)
