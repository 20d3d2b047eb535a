"""The Speech section of the settings (``Speech:*``).

Light on purpose (no numpy, no model): every install imports it to know the keys
(``registry.SETTINGS_MODULES``), the speech extra installed or not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from airgap.platform.settings import (
    Section,
    SettingSpec,
    parse_non_negative_int,
    parse_positive_int,
    parse_positive_seconds,
)

# Whisper models whose weights ship in the speech extra's packages (engines/stt_models.py).
MODELS = ("tiny.en", "base")


def _parse_model(raw: str) -> str:
    value = raw.strip().lower()
    if value not in MODELS:
        raise ValueError(f"expected one of {', '.join(MODELS)}, got {raw!r}")
    return value


def _parse_multilingual(raw: str) -> str:
    value = raw.strip().lower()
    if value not in ("base", "none"):
        raise ValueError(f"expected base or none, got {raw!r}")
    return value


# A Custom Speech model id names a folder in Mounts:Models: one path component, never "..".
MODEL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


def _parse_model_id(raw: str) -> str | None:
    value = raw.strip()
    if not value:
        return None
    if not MODEL_ID.fullmatch(value):
        raise ValueError(f"expected a model id (the name of a folder in Mounts:Models: letters, digits, '.', '_', "
                         f"'-'), got {raw!r}")
    return value








@dataclass(frozen=True)
class SpeechSettings:
    model: str = "tiny.en"
    multilingual_model: str = "base"
    threads_per_decode: int = 2
    beam_size: int = 5
    max_streams: int = 8
    hypothesis_interval_ms: int = 1000
    idle_timeout: float = 180.0
    max_stream_seconds: float = 600.0
    max_rest_seconds: float = 60.0
    model_id: str | None = None


SPEECH_SETTINGS: Section[SpeechSettings] = Section(
    specs=(
        SettingSpec("Speech:Model", "model", _parse_model, "tiny.en",
                    "Whisper model for speech to text: tiny.en (English only, fastest) or base (multilingual, "
                    "language identification; slower)."),
        SettingSpec("Speech:MultilingualModel", "multilingual_model", _parse_multilingual, "base",
                    "With Speech:Model=tiny.en: the model for other languages and for language identification "
                    "(base, loaded on the first such request), or none to refuse them."),
        SettingSpec("Speech:ThreadsPerDecode", "threads_per_decode", parse_positive_int, 2,
                    "CPU threads one Whisper decode uses (CTranslate2 intra-op threads); several decodes run at "
                    "once, one per inference thread (Threads)."),
        SettingSpec("Speech:BeamSize", "beam_size", parse_positive_int, 5,
                    "Beam width of the Whisper decoder for final results: 5 is more accurate (on the test set, "
                    "in noise above all); 1 is greedy, about 15% faster. Partial results are always greedy."),
        SettingSpec("Speech:MaxStreams", "max_streams", parse_positive_int, 8,
                    "Websocket recognition streams one server process serves at once; one more is refused "
                    "(closed with code 1013 and the reason) until one ends."),
        SettingSpec("Speech:HypothesisIntervalMs", "hypothesis_interval_ms", parse_non_negative_int, 1000,
                    "Partial results (speech.hypothesis, the SDK's recognizing events): the growing utterance is "
                    "decoded again after this many ms of new audio, when the stream is not behind; 0 turns "
                    "them off."),
        SettingSpec("Speech:IdleTimeoutSeconds", "idle_timeout", parse_positive_seconds, 180,
                    "A websocket stream that sends nothing for this long is closed and its resources freed "
                    "(a client that never sends the end of audio)."),
        SettingSpec("Speech:MaxStreamSeconds", "max_stream_seconds", parse_positive_seconds, 600,
                    "Most seconds of audio one websocket connection may send (Azure: 10 minutes); the turn then "
                    "ends with what was recognized and the connection is closed."),
        SettingSpec("Speech:MaxAudioSeconds", "max_rest_seconds", parse_positive_seconds, 60,
                    "Longest audio the REST short-audio API accepts (Azure: 60 s); longer uploads get 400."),
        SettingSpec("ModelId", "model_id", _parse_model_id, None,
                    "Custom Speech, as Azure's Custom Speech container: the model (a folder in Mounts:Models) "
                    "that serves every speech to text request without an endpoint id (cid=)."),
    ),
    build=SpeechSettings,
)
