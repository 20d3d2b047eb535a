"""The Speech service: speech to text over the Speech SDK's websocket and REST for short audio."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter

from airgap.platform.processes import ProcessSpec
from airgap.platform.runtime import Runtime
from airgap.services.base import Engine, Meter, Service
from airgap.services.speech import api_stt, api_stt_rest, api_tts, api_tts_rest
from airgap.services.speech.custom_models import CustomModels
from airgap.services.speech.meters import NEURAL_TEXT_TO_SPEECH_CHARACTERS, SPEECH_TO_TEXT_SECONDS
from airgap.services.speech.recognition import Recognizers
from airgap.services.speech.settings import SPEECH_SETTINGS
from airgap.services.speech.tts import ESPEAK_PROCESS, TextToSpeech
from airgap.services.speech.tts_settings import TTS_SETTINGS


class StreamSlots:
    """Websocket streams served at once by this process (``Speech:MaxStreams``); the event loop's only."""

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


class SpeechToTextEngine:
    """The engine the platform loads and asks about: the default model and the VAD (and the
    ``ModelId`` custom model, when set)."""

    name = "speech-to-text"

    def __init__(self, recognizers: Recognizers, custom: CustomModels) -> None:
        self.recognizers = recognizers
        self.custom = custom

    @property
    def model_version(self) -> str:
        return self.recognizers.primary.model_version

    def load(self) -> None:
        self.recognizers.load()
        self.custom.load_default()

    @property
    def ready(self) -> bool:
        return self.recognizers.primary.ready

    def close(self) -> None:
        self.recognizers.primary.close()
        if self.recognizers.multilingual is not None:
            self.recognizers.multilingual.close()
        self.custom.close()


class SpeechService(Service):
    name = "speech"
    api_type = "speechservices"
    title = "Speech (speech to text: Speech SDK websocket, REST for short audio)"
    routes = ("/speech/", "/cognitiveservices")
    settings = (SPEECH_SETTINGS, TTS_SETTINGS)
    meters = (
        Meter(SPEECH_TO_TEXT_SECONDS, "second",
              "Speech to text: seconds of audio recognized (websocket streams and REST short audio)."),
        Meter(NEURAL_TEXT_TO_SPEECH_CHARACTERS, "character",
              "Text to speech: characters of SSML synthesised, as Azure bills them (websocket and REST)."),
    )

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(runtime)
        self.options = runtime.settings.section(SPEECH_SETTINGS)
        self.recognizers = Recognizers(self.options, workers=runtime.settings.threads)
        self.custom_models = CustomModels(runtime.settings.models_dir, self.options, runtime.settings.threads)
        self.engine = SpeechToTextEngine(self.recognizers, self.custom_models)
        self.streams = StreamSlots(self.options.max_streams)
        self.tts = TextToSpeech(runtime.settings.section(TTS_SETTINGS),
                                lambda: runtime.processes.address(ESPEAK_PROCESS).url)

    def routers(self) -> Sequence[APIRouter]:
        return [api_stt_rest.build_router(self), api_stt.build_router(self), api_tts_rest.build_router(self),
                api_tts.build_router(self)]

    def engines(self) -> Sequence[Engine]:
        return [self.engine, self.tts]

    def processes(self) -> Sequence[ProcessSpec]:
        return self.tts.processes()
