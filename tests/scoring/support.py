"""Score servers as subprocesses (``airgap score`` and Microsoft's ``azmlinfsrv``) and raw HTTP to them."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = Path(__file__).resolve().parent / "scripts"
AIRGAP = Path(sys.executable).with_name("airgap")
AZMLINFSRV_VENV = ROOT / ".venv-azmlinfsrv"
AZMLINFSRV = AZMLINFSRV_VENV / "bin" / "azmlinfsrv"
AZMLINFSRV_MISSING = (f"{AZMLINFSRV} is missing: `make install-test` builds .venv-azmlinfsrv from "
                      "requirements-azmlinfsrv.lock (Microsoft's azureml-inference-server-http 1.5.1)")

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
START_SECONDS = 60  # a bound on start-up, not a timing assertion


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]  # names in lower case, in the order sent
    body: bytes

    def header(self, name: str) -> str | None:
        for k, v in self.headers:
            if k == name.lower():
                return v
        return None

    def json(self):
        import json

        return json.loads(self.body)


@dataclass
class ScoreServer:
    kind: str  # "airgap" or "azmlinfsrv"
    script: str | None
    port: int
    cwd: Path
    env: dict[str, str]
    args: list[str] = field(default_factory=list)
    proc: subprocess.Popen | None = None
    log_path: Path | None = None

    def command(self) -> list[str]:
        program = [str(AIRGAP), "score"] if self.kind == "airgap" else [str(AZMLINFSRV)]
        cmd = [*program, "--port", str(self.port)]
        if self.script:
            cmd += ["--entry_script", self.script]
        if self.kind == "airgap":
            cmd += ["--host", "127.0.0.1"]
        return cmd + self.args

    def start(self, log_dir: Path, wait: bool = True) -> ScoreServer:
        self.log_path = log_dir / f"{self.kind}-{self.port}.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AZUREML_", "AML_", "AIRGAP_", "MOUNTS"))}
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        env.update({"AML_APP_ROOT": str(self.cwd), "PYTHONUNBUFFERED": "1"}, **self.env)
        log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.command(), cwd=self.cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        log.close()
        if wait:
            self.wait_healthy()
        return self

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind} exited with {self.proc.returncode}:\n{self.log()}")
            try:
                if self.request("GET", "/", timeout=5).status == 200:
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"{self.kind} did not start:\n{self.log()}")

    def until(self, attempt):
        """``attempt()`` until it returns something true (connection errors are retried); bounded."""
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind} exited with {self.proc.returncode}:\n{self.log()}")
            try:
                result = attempt()
            except OSError:
                result = None
            if result:
                return result
            time.sleep(0.05)
        raise RuntimeError(f"gave up waiting on {self.kind}:\n{self.log()}")

    def wait_exit(self, seconds: float = START_SECONDS) -> int:
        return self.proc.wait(seconds)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path and self.log_path.exists() else ""

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(5)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None,
                timeout: float = 30) -> Reply:
        return request(self.port, method, path, body, headers, timeout)


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None,
            timeout: float = 30) -> Reply:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        if body is not None and not any(k.lower() == "content-length" for k in (headers or {})):
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        resp = conn.getresponse()
        data = resp.read()
        return Reply(resp.status, [(k.lower(), v) for k, v in resp.getheaders()], data)
    finally:
        conn.close()


def raw_request(port: int, data: bytes, timeout: float = 30) -> bytes:
    """Bytes in, the response's bytes out (for requests http.client will not send)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        while True:
            try:
                chunk = s.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
            if b"\r\n\r\n" in b"".join(chunks):
                head, _, rest = b"".join(chunks).partition(b"\r\n\r\n")
                match = re.search(rb"content-length: *(\d+)", head, re.I)
                if match and len(rest) >= int(match.group(1)):
                    break
        return b"".join(chunks)
