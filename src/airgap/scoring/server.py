"""Processes of ``airgap score``: a supervisor and ``--worker_count`` uvicorn workers on one port.

As under azmlinfsrv (a gunicorn arbiter and its workers), the parent binds the port(s) and starts
the workers; each worker loads the script and runs ``init()`` once. A worker that dies is replaced
(the replacement runs ``init()`` again); a worker that exits with code 3 (its script or ``init()``
failed) stops the server, which then exits with code 3. The workers are uvicorn's own supervisor's
(``uvicorn.supervisors.Multiprocess``: spawned, each pinged every half second, killed and
replaced if it does not answer within ``WORKER_TIMEOUT`` seconds), even for one worker, so that a
worker can always be replaced.

Each worker rebuilds its configuration from ``AIRGAP_SCORE_CONFIG`` (``config.ScoreConfig``) and
the platform settings from ``AIRGAP_SCORE_SETTINGS`` (``Key=Value`` tokens), then calls
``app.build_app``.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import shutil
import sys
import tempfile
import time
from socket import socket
from typing import Any

from uvicorn.supervisors.multiprocess import Multiprocess, Process

from airgap import __version__
from airgap.platform.settings import Settings
from airgap.scoring import logs
from airgap.scoring.config import CONFIG_ENV, ScoreConfig

SETTINGS_ENV = "AIRGAP_SCORE_SETTINGS"
STARTUP_FAILURE = 3

log = logging.getLogger("airgap.scoring")


def worker_app() -> Any:
    """uvicorn factory, in each worker process."""
    from airgap.scoring import compat
    from airgap.scoring.app import build_app
    from airgap.scoring.user_script import add_paths

    config = ScoreConfig.from_json(os.environ[CONFIG_ENV])
    settings = Settings.load(json.loads(os.environ.get(SETTINGS_ENV, "[]")))
    logs.configure(config.log_level, config.app_root)
    logs.redirect_print()
    compat.install()
    add_paths(config.app_root, config.source_dir)
    return build_app(config, settings)


class WatchedProcess(Process):
    """uvicorn's worker process, with a health ping that notices the worker's death at once.

    uvicorn pings each worker over a pipe and waits up to ``timeout_worker_healthcheck`` for the
    answer (here ``WORKER_TIMEOUT``, 300 s by default, so that a long ``run()`` holding the GIL is
    not taken for a hung worker). A worker that exits between uvicorn's liveness check and the ping
    never answers, and the parent's own copy of the pipe keeps it from reading the end of it: the
    wait would last the whole timeout, with no replacement worker meanwhile. Here the wait also
    ends as soon as the worker process is gone.
    """

    def _healthcheck(self, timeout: float) -> bool | None:
        try:
            self.parent_conn.send(b"ping")
            deadline = time.monotonic() + timeout
            while True:
                remaining = deadline - time.monotonic()
                if self.parent_conn.poll(max(0.0, min(0.5, remaining))):
                    started: bool = self.parent_conn.recv()
                    return started
                if not self.process.is_alive() or remaining <= 0:
                    return None
        except (OSError, EOFError, pickle.UnpicklingError):
            return None


class Supervisor(Multiprocess):
    """uvicorn's supervisor with ``WatchedProcess`` workers; a worker exiting with 3 stops it."""

    def init_processes(self) -> None:
        for _ in range(self.processes_num):
            process = WatchedProcess(self.config, self.sockets)
            process.start()
            self.processes.append(process)

    def keep_subprocess_alive(self) -> None:
        if self.should_exit.is_set():
            return
        for idx, process in enumerate(self.processes):
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()
            process.join()
            if process.exitcode == STARTUP_FAILURE:
                log.error("Worker [%s] exited with code 3; stopping the server.", process.pid)
                self.should_exit.set()
                return
            if self.should_exit.is_set():
                return
            log.info("Worker [%s] ended (exit code %s); starting another.", process.pid, process.exitcode)
            replacement = WatchedProcess(self.config, self.sockets)
            replacement.start()
            self.processes[idx] = replacement


def banner(config: ScoreConfig, settings: Settings) -> None:
    print()
    print(f"Azure ML Inferencing HTTP server, airgap {__version__} (compatible with azmlinfsrv 1.5.1)")
    print()
    print()
    print("Server Settings")
    print("---------------")
    for name, value in config.settings_lines():
        print(f"{name}: {value}")
    print(f"Usage records: {settings.output_dir / 'usage' if config.usage_records else 'off (no Mounts:Output folder)'}")
    print()
    print()
    print("Server Routes")
    print("---------------")
    print(f"Liveness Probe: GET   127.0.0.1:{config.health_port or config.port}/")
    print(f"Score:          POST  127.0.0.1:{config.port}/score")
    print()
    sys.stdout.flush()


def serve(config: ScoreConfig, settings: Settings) -> int:
    """Run until stopped; the exit code: 0, or 3 when a worker's script or init() failed."""
    import uvicorn

    logs.configure(config.log_level)
    banner(config, settings)
    os.environ[CONFIG_ENV] = config.to_json()
    os.environ[SETTINGS_ENV] = json.dumps(settings.to_tokens())
    if config.worker_count > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Every worker writes its samples here, so /metrics adds all workers up (platform/metrics.py).
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="airgap-score-metrics-")
        cleanup = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    else:
        cleanup = None

    def uvicorn_config(port: int) -> uvicorn.Config:
        return uvicorn.Config(
            "airgap.scoring.server:worker_app", factory=True, host=config.host, port=port,
            workers=config.worker_count, log_config=None, access_log=False, server_header=False,
            lifespan="on", timeout_graceful_shutdown=8, timeout_worker_healthcheck=config.worker_timeout_s,
            http="airgap.platform.http_head:BoundedHttpToolsProtocol",  # 431 past 32 KiB of request head
        )

    main = uvicorn_config(config.port)
    sockets: list[socket] = [main.bind_socket()]
    if config.health_port and config.health_port != config.port:
        sockets.append(uvicorn_config(config.health_port).bind_socket())
    log.info("Starting %d worker(s) on %s:%s", config.worker_count, config.host,
             ",".join(str(s.getsockname()[1]) for s in sockets))
    supervisor = Supervisor(main, sockets=sockets)
    try:
        supervisor.run()
    finally:
        for sock in sockets:
            sock.close()
        if cleanup:
            shutil.rmtree(cleanup, ignore_errors=True)
    if any(p.exitcode == STARTUP_FAILURE for p in supervisor.processes):
        log.error("A worker exited with code 3: the scoring script could not be loaded or its init() failed "
                  "(the error is above). Worker failed to boot; the server stops with code 3.")
        return STARTUP_FAILURE
    return 0
