"""Start a real ``airgap serve`` process for tests and wait until it is ready."""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class ServerProcess:
    """A server started with ``python -m airgap serve``; ``url`` is its base URL."""

    settings: Sequence[str] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    log_path: Path | None = None
    wrap: Sequence[str] = ()  # e.g. ("unshare", "-n", ...) to start it in another namespace
    process: subprocess.Popen | None = None
    output_dir: Path | None = None  # Mounts:Output; a fresh tmp folder when None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        extra = []
        if not any(str(t).lower().startswith(("mounts:output=", "mounts__output=")) for t in self.settings):
            # Every test server needs a usage folder; callers that care pass their own.
            if self.output_dir is None:
                self.output_dir = Path(tempfile.mkdtemp(prefix="airgap-output-"))
                # Removed when the test session ends (a test may restart a server on it).
                atexit.register(shutil.rmtree, self.output_dir, True)
            extra = [f"Mounts:Output={self.output_dir}"]
        return [sys.executable, "-m", "airgap", "serve", "Eula=accept", "Host=127.0.0.1",
                f"Port={self.port}", *self.settings, *extra]

    def start(self, wait_ready: bool = True, timeout: float = 120.0) -> ServerProcess:
        env = {**os.environ, **self.env}
        out = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        self.process = subprocess.Popen([*self.wrap, *self.command()], env=env, stdout=out,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        if wait_ready:
            self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}; log: {self.log_text()}")
            try:
                if httpx.get(f"{self.url}/ready", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"server not ready after {timeout}s; log: {self.log_text()}")

    def log_text(self) -> str:
        if self.log_path and self.log_path.exists():
            return self.log_path.read_text(errors="replace")[-4000:]
        return "(no log)"

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15.0) -> int | None:
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            pass
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            return self.process.wait(timeout)

    def kill(self) -> None:
        """kill -9 the whole process group, as a crash would."""
        self.stop(signal.SIGKILL)

    def __enter__(self) -> ServerProcess:
        # ``with ServerProcess(...).start() as s`` must not start a second process
        # (the first one would outlive the block).
        return self if self.process is not None else self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
