"""The text-to-speech section of the settings (``TextToSpeech:*``).

Light on purpose (no numpy, no model): every install imports it to know the keys
(``registry.SETTINGS_MODULES``), the speech extra installed or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from airgap.platform.settings import Section, SettingSpec


def _parse_folder(raw: str) -> Path | None:
    value = raw.strip()
    return Path(value) if value else None


def _parse_count(raw: str) -> int:
    try:
        value = int(raw.strip())
    except ValueError:
        raise ValueError(f"expected a whole number, got {raw!r}") from None
    if value < 1:
        raise ValueError(f"expected a number of at least 1, got {raw!r}")
    return value


@dataclass(frozen=True)
class TtsSettings:
    voices_folder: Path | None = None
    max_streams: int = 16
    threads_per_voice: int = 1


TTS_SETTINGS: Section[TtsSettings] = Section(
    specs=(
        SettingSpec("TextToSpeech:VoicesFolder", "voices_folder", _parse_folder, None,
                    "A folder of Piper voices (each a .onnx file with its .onnx.json beside it, e.g. from a USB "
                    "stick) listed and served besides the bundled ones, named {locale}-{Speaker}Neural; read at "
                    "start."),
        SettingSpec("TextToSpeech:MaxStreams", "max_streams", _parse_count, 16,
                    "Websocket synthesis connections one server process serves at once; one more is refused with "
                    "429 until one ends."),
        SettingSpec("TextToSpeech:ThreadsPerVoice", "threads_per_voice", _parse_count, 1,
                    "CPU threads one Piper (neural) synthesis uses; several run at once, one per inference thread "
                    "(Threads)."),
    ),
    build=TtsSettings,
)
