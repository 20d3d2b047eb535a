"""The text-to-speech section of the settings (``TextToSpeech:*``).

Light on purpose (no numpy, no model): every install imports it to know the keys
(``registry.SETTINGS_MODULES``), the speech extra installed or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from airgap.platform.settings import Section, SettingSpec, parse_path, parse_positive_int






@dataclass(frozen=True)
class TtsSettings:
    voices_folder: Path | None = None
    max_streams: int = 16
    threads_per_voice: int = 1


TTS_SETTINGS: Section[TtsSettings] = Section(
    specs=(
        SettingSpec("TextToSpeech:VoicesFolder", "voices_folder", parse_path, None,
                    "A folder of Piper voices (each a .onnx file with its .onnx.json beside it, e.g. from a USB "
                    "stick) listed and served besides the bundled ones, named {locale}-{Speaker}Neural; read at "
                    "start."),
        SettingSpec("TextToSpeech:MaxStreams", "max_streams", parse_positive_int, 16,
                    "Websocket synthesis connections one server process serves at once; one more is refused with "
                    "429 until one ends."),
        SettingSpec("TextToSpeech:ThreadsPerVoice", "threads_per_voice", parse_positive_int, 1,
                    "CPU threads one Piper (neural) synthesis uses; several run at once, one per inference thread "
                    "(Threads)."),
    ),
    build=TtsSettings,
)
