"""Speech audio made at test time with espeak-ng and Flite (Debian packages, deploy/debian-packages-test.txt).

Nothing here is recorded: each clip is synthesized from its text, so the expected transcript is
known exactly. The quality set varies the synthesizer (espeak-ng's formant voices, robotic; Flite's
diphone and clustergen voices, closer to a person), accent, speed and background noise.
Shared by tests/speech and bench/speech_stt.py.
"""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

ESPEAK = shutil.which("espeak-ng")
FLITE = shutil.which("flite")

# Ordinary English sentences, written for these tests; no digits, so no number formatting to normalize.
SENTENCES = [
    "The weather is nice today.",
    "Please send the report by Friday.",
    "Thank you very much for your help.",
    "The meeting has been moved to the large room.",
    "She opened the window to let the fresh air in.",
    "We need more paper for the printer.",
    "The train leaves the station in the morning.",
    "Could you turn the music down a little?",
    "My brother lives in a small house near the river.",
    "The children played in the garden all afternoon.",
    "Remember to lock the door when you leave.",
    "The coffee in this shop is very good.",
    "He forgot his keys on the kitchen table.",
    "The library closes early on Sundays.",
    "Our team finished the project ahead of schedule.",
    "The doctor asked her to come back next week.",
    "A cold wind blew across the empty field.",
    "I would like to book a table for dinner.",
    "The new bridge will open in the spring.",
    "They walked along the beach at sunset.",
    "The price of fuel has gone up again.",
    "Please check your email before the call.",
    "The cat slept on the warm blanket.",
    "We should leave before the traffic gets worse.",
    "The museum has a new exhibition about ancient ships.",
    "He plays the guitar in a local band.",
    "The store is out of fresh bread.",
    "Turn left at the end of the street.",
    "The students were quiet during the exam.",
    "Water the plants twice a week in summer.",
    "The pilot announced that we would land soon.",
    "She writes a letter to her grandmother every month.",
    "The software update fixed the problem with the screen.",
    "Keep the receipt in case you need to return it.",
    "The farmer grows potatoes and carrots.",
    "Our flight was delayed because of the storm.",
    "The kitchen smells of fresh bread and coffee.",
    "He answered every question with a smile.",
    "The road to the village is very narrow.",
    "Please speak slowly so that everyone can follow.",
]

GERMAN = "Guten Morgen, wie geht es Ihnen heute? Das Wetter ist sehr schön."

# (voice, words per minute): espeak-ng voices by name, Flite's as flite:<voice> (speed 160 = its own pace)
VOICES = [("en-us", 160), ("flite:slt", 160), ("en-gb", 175), ("flite:rms", 150), ("en-gb-x-rp", 150),
          ("flite:awb", 175), ("en-us+f3", 185), ("flite:kal16", 160), ("en-029", 165), ("en-gb-scotland", 170),
          ("flite:slt", 190), ("en-gb+f2", 140)]


def need_espeak() -> None:
    if ESPEAK is None:
        pytest.skip("espeak-ng is not installed (make install-test installs deploy/debian-packages-test.txt)")


def speak(text: str, voice: str = "en-us", speed: int = 160, rate: int = 16_000) -> np.ndarray:
    """``text`` spoken by espeak-ng (or Flite, ``flite:<voice>``), as int16 samples at ``rate`` Hz."""
    if voice.startswith("flite:"):
        return _flite(text, voice.removeprefix("flite:"), speed, rate)
    need_espeak()
    wav = subprocess.run([ESPEAK, "-v", voice, "-s", str(speed), "--stdout", text], check=True,
                         capture_output=True, timeout=60).stdout
    samples, source_rate = _read_wav(wav)
    return resample(samples, source_rate, rate)


def _flite(text: str, voice: str, speed: int, rate: int) -> np.ndarray:
    if FLITE is None:
        pytest.skip("flite is not installed (make install-test installs deploy/debian-packages-test.txt)")
    with tempfile.TemporaryDirectory(prefix="airgap-flite-") as folder:
        out = Path(folder) / "speech.wav"
        subprocess.run([FLITE, "-voice", voice, "--setf", f"duration_stretch={160 / speed:.2f}", "-t", text,
                        "-o", str(out)], check=True, capture_output=True, timeout=60)
        samples, source_rate = _read_wav(out.read_bytes())
    return resample(samples, source_rate, rate)


def _read_wav(data: bytes) -> tuple[np.ndarray, int]:
    """espeak-ng's WAV (its --stdout header has placeholder sizes): 16-bit mono samples and rate."""
    rate = struct.unpack_from("<I", data, 24)[0]
    position = 12
    while data[position:position + 4] != b"data":
        position += 8 + struct.unpack_from("<I", data, position + 4)[0]
    return np.frombuffer(data[position + 8:], dtype="<i2")[: (len(data) - position - 8) // 2], rate


def resample(samples: np.ndarray, source: int, target: int) -> np.ndarray:
    if source == target:
        return samples.astype(np.int16)
    import av

    resampler = av.AudioResampler(format="s16", layout="mono", rate=target)
    frame = av.AudioFrame.from_ndarray(samples.astype(np.int16)[None, :], format="s16", layout="mono")
    frame.sample_rate = source
    out = [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
    out += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    return np.concatenate(out).astype(np.int16)


def silence(seconds: float, rate: int = 16_000) -> np.ndarray:
    return np.zeros(int(seconds * rate), dtype=np.int16)


def with_noise(samples: np.ndarray, snr_db: float = 15.0, seed: int = 7) -> np.ndarray:
    """White noise at ``snr_db`` below the speech's power."""
    signal = samples.astype(np.float64)
    power = np.mean(signal[np.abs(signal) > 100] ** 2) if np.any(np.abs(signal) > 100) else 1.0
    noise = np.random.default_rng(seed).normal(0.0, np.sqrt(power / 10 ** (snr_db / 10)), len(signal))
    return np.clip(signal + noise, -32768, 32767).astype(np.int16)


def wav(samples: np.ndarray, rate: int = 16_000, channels: int = 1, bits: int = 16) -> bytes:
    """A WAV file of int16 ``samples`` (mono), written as ``channels`` channels of ``bits``-bit PCM."""
    data = samples.astype(np.int16)
    if bits == 8:
        raw = ((data.astype(np.int32) >> 8) + 128).astype(np.uint8)
    elif bits == 24:
        wide = data.astype(np.int32) << 8
        raw = np.stack([(wide & 0xFF), (wide >> 8) & 0xFF, (wide >> 16) & 0xFF], axis=1).astype(np.uint8)
    else:
        raw = data
    if channels > 1:
        raw = np.repeat(raw[:, None] if raw.ndim == 1 else raw[:, None, :], channels, axis=1)
    payload = np.ascontiguousarray(raw).tobytes()
    block = bits // 8 * channels
    header = b"RIFF" + struct.pack("<I", 36 + len(payload)) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * block, block, bits)
    return header + b"data" + struct.pack("<I", len(payload)) + payload


def utterances(texts: list[str], voice: str = "en-us", speed: int = 160, gap: float = 1.2,
               rate: int = 16_000) -> np.ndarray:
    """Several sentences, each followed by ``gap`` seconds of silence (and some before the first)."""
    parts = [silence(0.5, rate)]
    for text in texts:
        parts += [speak(text, voice, speed, rate), silence(gap, rate)]
    return np.concatenate(parts)


def ogg_opus(samples: np.ndarray, rate: int = 16_000) -> bytes:
    """Ogg/Opus of int16 mono samples (PyAV's libopus), as a browser or phone app would send."""
    import av

    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="ogg") as container:
        stream = container.add_stream("libopus", rate=48_000, layout="mono")
        frame = av.AudioFrame.from_ndarray(samples.astype(np.int16)[None, :], format="s16", layout="mono")
        frame.sample_rate = rate
        frame.pts = None
        resampler = av.AudioResampler(format="s16", layout="mono", rate=48_000)
        for piece in resampler.resample(frame) + resampler.resample(None):
            for packet in stream.encode(piece):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()


_ROUND = 120  # clips before a sentence comes back in the same voice


@dataclass(frozen=True)
class Clip:
    text: str
    voice: str
    speed: int
    noisy: bool
    samples: np.ndarray  # int16 at 16 kHz


def quality_set(count: int, noisy_every: int = 0, offset: int = 0) -> list[Clip]:
    """``count`` clips cycling through the sentences and voices; every ``noisy_every``-th with noise.

    Sentences and voices repeat together every 120 clips (lcm of 40 and 12); each later round is
    spoken 20 words/min faster, so a 10-minute set (200 clips) holds no clip twice and the first
    120 clips stay what they were when the floors were measured."""
    clips = []
    for i in range(count):
        text = SENTENCES[(i + offset) % len(SENTENCES)]
        voice, speed = VOICES[(i + offset) % len(VOICES)]
        speed += 20 * ((i + offset) // _ROUND)
        samples = np.concatenate([silence(0.3), speak(text, voice, speed), silence(0.3)])
        noisy = bool(noisy_every) and i % noisy_every == noisy_every - 1
        clips.append(Clip(text, voice, speed, noisy, with_noise(samples, seed=i) if noisy else samples))
    return clips


def words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower().replace("’", "'"))


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """(word edits, reference words): the numerator and denominator of WER."""
    ref, hyp = words(reference), words(hypothesis)
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h))
        previous = current
    return previous[-1], len(ref)
