from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import httpx
import numpy as np
import pytest

from airgap.services.speech.recognition import Recognizers
from airgap.services.speech.settings import SpeechSettings
from tests.support.server import ServerProcess


METER = "CognitiveServices.SpeechServices.Container.SpeechToTextSeconds"


def billed_seconds(server: ServerProcess) -> float:
    """Speech to text seconds in the server's usage records (``/records/usage-logs``)."""
    reports = httpx.get(f"{server.url}/records/usage-logs", timeout=30).json()
    reports = reports if isinstance(reports, list) else [reports]
    return sum(m["quantity"] for r in reports if r.get("serviceName") == "speech" for m in r["meters"]
               if m["name"] == METER)


async def direct(_engine: str, fn, *args):
    """``runtime.pool.run`` without the pool: the engine call in this thread (tests of the pipeline)."""
    return fn(*args)


def as_float(samples: np.ndarray) -> np.ndarray:
    return samples.astype(np.float32) / 32768.0


@pytest.fixture(scope="session")
def recognizers() -> Recognizers:
    """The default models in this process: tiny.en, and base for other languages (loaded on use)."""
    loaded = Recognizers(SpeechSettings(), workers=1)
    loaded.load()
    return loaded


@contextmanager
def speech_server_process(tmp_path_factory: pytest.TempPathFactory, name: str,
                          settings: Sequence[str] = ()) -> Iterator[ServerProcess]:
    """A real server hosting the speech service with these settings; its log in ``<tmp>/server.log``."""
    folder = tmp_path_factory.mktemp(name)
    (folder / "output").mkdir()
    with ServerProcess(settings=["Services=speech", *settings], log_path=folder / "server.log",
                       output_dir=folder / "output") as server:
        yield server


@pytest.fixture(scope="session")
def speech_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One real server process hosting the speech service (default settings, more streams for the SDK's
    connections that linger until their recognizer is collected)."""
    with speech_server_process(tmp_path_factory, "speech-server", ["Speech:MaxStreams=64"]) as server:
        yield server


@pytest.fixture(scope="session")
def strict_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server with one stream at a time and a short idle timeout, English only, short REST limit."""
    with speech_server_process(tmp_path_factory, "speech-strict",
                               ["Speech:MaxStreams=1", "Speech:IdleTimeoutSeconds=2", "Speech:MultilingualModel=none",
                                "Speech:MaxAudioSeconds=5", "Speech:MaxStreamSeconds=8"]) as server:
        yield server
