"""Driving the official Speech SDK (azure-cognitiveservices-speech) against a test server."""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

speechsdk = pytest.importorskip("azure.cognitiveservices.speech")


def config(server: Any, detailed: bool = False, words: bool = False) -> Any:
    cfg = speechsdk.SpeechConfig(host=f"ws://127.0.0.1:{server.port}")
    if detailed:
        cfg.output_format = speechsdk.OutputFormat.Detailed
    if words:
        cfg.request_word_level_timestamps()
    return cfg


def recognizer(server: Any, wav: Path, language: str | None = "en-US", candidates: list[str] | None = None,
               **options: Any) -> Any:
    audio = speechsdk.audio.AudioConfig(filename=str(wav))
    if candidates:
        auto = speechsdk.languageconfig.AutoDetectSourceLanguageConfig(languages=candidates)
        return speechsdk.SpeechRecognizer(speech_config=config(server, **options), audio_config=audio,
                                          auto_detect_source_language_config=auto)
    return speechsdk.SpeechRecognizer(speech_config=config(server, **options), audio_config=audio, language=language)


def once(server: Any, wav: Path, **options: Any) -> Any:
    r = recognizer(server, wav, **options)
    result = r.recognize_once()
    del r
    gc.collect()  # the SDK keeps its websocket open until the recognizer is gone
    return result


@dataclass
class Session:
    recognized: list[Any] = field(default_factory=list)
    recognizing: list[Any] = field(default_factory=list)
    canceled: list[Any] = field(default_factory=list)
    stopped: threading.Event = field(default_factory=threading.Event)


def continuous(server: Any, wav: Path, timeout: float = 120, **options: Any) -> Session:
    r = recognizer(server, wav, **options)
    session = Session()
    r.recognized.connect(lambda e: session.recognized.append(e.result))
    r.recognizing.connect(lambda e: session.recognizing.append(e.result))
    r.canceled.connect(lambda e: (session.canceled.append(e.cancellation_details), session.stopped.set()))
    r.session_stopped.connect(lambda e: session.stopped.set())
    r.start_continuous_recognition()
    assert session.stopped.wait(timeout), "the SDK's session never stopped"
    r.stop_continuous_recognition()
    del r
    gc.collect()
    return session
