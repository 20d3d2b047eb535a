"""A real ``airgap authority`` for tests: its CLI for set-up, ``serve`` as a process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.support.server import free_port


def airgap(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "airgap", *args], capture_output=True, text=True,
                          timeout=timeout)


@dataclass
class AuthorityProcess:
    state: Path
    port: int = field(default_factory=free_port)
    max_failures: int = 100
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def public_key(self) -> Path:
        return self.state / "authority.pub"

    def init(self) -> AuthorityProcess:
        done = airgap("authority", "init", "--state", str(self.state))
        assert done.returncode == 0, done.stderr
        return self

    def create_resource(self, services: str = "language", *quotas: str, period_days: int = 30) -> dict:
        args = ["authority", "resource", "create", "--state", str(self.state), "--name", "test",
                "--services", services, "--period-days", str(period_days), "--json"]
        for q in quotas:
            args += ["--quota", q]
        done = airgap(*args)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def start(self) -> AuthorityProcess:
        log = open(self.state / "serve.log", "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "airgap", "authority", "serve", "--state", str(self.state),
             "--port", str(self.port), "--max-failures", str(self.max_failures)],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True, env=dict(os.environ))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (self.state / "serve.log").read_text()
            try:
                if httpx.get(self.url + "/", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise TimeoutError("authority did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(15)
