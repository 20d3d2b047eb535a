"""Helpers for tests that build and run the airgap images with a real Docker engine."""

from __future__ import annotations

import json
import subprocess
import tomllib
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCKER_DIR = ROOT / "deploy" / "docker"
CLIENT = ROOT / "tests" / "e2e" / "container_client.py"
PREFIX = "localhost/airgap"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def docker(*args: str, timeout: float = 120, check: bool = True, **kw) -> subprocess.CompletedProcess:
    result = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout, **kw)
    if check and result.returncode != 0:
        raise AssertionError(f"docker {' '.join(args)} exited {result.returncode}: {result.stderr[-3000:]}")
    return result


def unique(prefix: str = "airgap-test") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def client_in(container: str, *args: str, timeout: float = 240) -> dict:
    """Run container_client.py inside a container's network namespace (works with --network none)."""
    result = docker("exec", "-i", container, "python3", "-", *args, input=CLIENT.read_text(),
                    timeout=timeout, check=False)
    assert result.returncode == 0, f"client {args} in {container}: {result.stdout}{result.stderr}"
    return json.loads(result.stdout)


class Container:
    """One ``docker run -d``; ``remove()`` deletes it."""

    def __init__(self, image: str, *run_args: str, settings: tuple[str, ...] = ()):
        self.name = unique()
        docker("run", "-d", "--name", self.name, *run_args, image, *settings)

    def client(self, *args: str, timeout: float = 240) -> dict:
        try:
            return client_in(self.name, *args, timeout=timeout)
        except AssertionError as exc:
            raise AssertionError(f"{exc}\nlog:\n{self.logs()}") from None

    def inspect(self, template: str) -> str:
        return docker("inspect", "-f", template, self.name).stdout.strip()

    def logs(self) -> str:
        result = docker("logs", "--tail", "60", self.name, check=False)
        return result.stdout + result.stderr

    def remove(self) -> None:
        docker("rm", "-f", self.name, check=False)
