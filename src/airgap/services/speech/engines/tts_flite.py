"""Flite (CMU, BSD-style licence; Debian ``flite``): clear English voices, run as its command per
sentence (about 40 ms with the start of the program). Word and phoneme times are estimated from
espeak-ng's."""

from __future__ import annotations

import io
import shutil
import subprocess
import wave

import numpy as np

from airgap.services.speech.engines.tts_espeak import EspeakClient, estimated_times
from airgap.services.speech.engines.tts_types import Audio, Prosody, SynthesisError

FLITE = "flite"
# The voices Debian's flite builds in: name -> (mean F0 in Hz it speaks at, sample rate).
VOICES = {"slt": (170.0, 16000), "rms": (105.0, 16000), "awb": (110.0, 16000), "kal16": (105.0, 16000)}
TIMEOUT = 60.0


def available() -> bool:
    return shutil.which(FLITE) is not None


class FliteVoice:
    engine = "flite"

    def __init__(self, name: str, espeak: EspeakClient, espeak_voice: str = "en-us") -> None:
        if name not in VOICES:
            raise ValueError(f"flite has no built-in voice {name!r}")
        self.name = name
        self.espeak = espeak
        self.espeak_voice = espeak_voice
        self.sample_rate = VOICES[name][1]

    def synthesize(self, text: str, prosody: Prosody) -> Audio:
        f0 = VOICES[self.name][0] * prosody.pitch
        argv = [FLITE, "-voice", self.name, "--setf", f"duration_stretch={1.0 / max(prosody.rate, 0.1):.3f}",
                "--setf", f"int_f0_target_mean={f0:.1f}", "-o", "/dev/stdout", "-t", text]
        try:
            done = subprocess.run(argv, capture_output=True, timeout=TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SynthesisError(f"flite could not run: {exc}") from exc
        if done.returncode != 0 or not done.stdout.startswith(b"RIFF"):
            raise SynthesisError(f"flite failed ({done.returncode}): {done.stderr[:300]!r}")
        with wave.open(io.BytesIO(done.stdout)) as wav:
            rate = wav.getframerate()
            pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2").astype(np.int16)
        return Audio(pcm, rate, *estimated_times(self.espeak, self.espeak_voice, text, pcm))
