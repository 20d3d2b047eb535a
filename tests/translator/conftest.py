"""Fixtures of the Translator tests: Apertium's engine process alone, and real servers.

Apertium comes from Debian (``deploy/debian-packages.txt``); where it is not installed the
tests that need it are skipped with the packages to install.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from airgap.services.translator.engines import apertium_server
from tests.support.server import ServerProcess, free_port

NEEDED_MODES = ("eng-spa", "spa-eng", "fr-es", "es-fr", "es-pt")


def apertium_missing() -> str | None:
    if not shutil.which("lt-proc"):
        return "Apertium is not installed (apt-get install apertium apertium-eng-spa apertium-fr-es apertium-es-pt)"
    modes = apertium_server.pair_modes()
    missing = [m for m in NEEDED_MODES if m not in modes]
    if missing:
        return f"Apertium modes {', '.join(missing)} are not installed (deploy/debian-packages.txt lists the packages)"
    return None


requires_apertium = pytest.mark.skipif(apertium_missing() is not None, reason=apertium_missing() or "")


class EngineProcess:
    """``apertium_server.py`` started directly, as the supervisor starts it."""

    def __init__(self, *args: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-I", str(Path(apertium_server.__file__)), "--port", str(self.port), *args],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        self.stop()
        raise TimeoutError("the Apertium engine process did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="session")
def engine_process() -> Iterator[EngineProcess]:
    reason = apertium_missing()
    if reason:
        pytest.skip(reason)
    process = EngineProcess()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture(scope="session")
def translator_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One real server hosting the translator, shared by the session's Translator tests."""
    reason = apertium_missing()
    if reason:
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("translator-server")
    server = ServerProcess(settings=["Services=translator"], log_path=folder / "server.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()
