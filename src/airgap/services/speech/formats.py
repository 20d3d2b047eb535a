"""Azure's text-to-speech output formats (``X-Microsoft-OutputFormat``, the SDK's
``SpeechSynthesisOutputFormat``) and their encoders, through PyAV (FFmpeg: libmp3lame, libopus,
G.711, the Ogg and WebM muxers, libswresample).

Encoders are incremental: ``feed`` 16-bit PCM at the format's rate as it is synthesised and send
what comes back, then ``finish``. ``riff-*`` formats begin with a RIFF header: with the data size
when the whole audio is known (REST), or with the streaming placeholder sizes otherwise.
"""

from __future__ import annotations

import io
import re
import struct
from dataclasses import dataclass
from fractions import Fraction

import av
import numpy as np


class UnsupportedFormat(ValueError):
    pass


@dataclass(frozen=True)
class OutputFormat:
    name: str        # as Azure spells it: riff-24khz-16bit-mono-pcm
    container: str   # raw, riff, mp3, ogg, webm
    codec: str       # pcm_s16le, pcm_mulaw, pcm_alaw, mp3, opus
    sample_rate: int
    bitrate: int = 0  # bits per second (compressed formats)

    @property
    def content_type(self) -> str:
        return {"riff": "audio/x-wav", "raw": "audio/x-wav", "mp3": "audio/mpeg", "ogg": "audio/ogg",
                "webm": "audio/webm"}[self.container]

    @property
    def pcm(self) -> bool:
        return self.codec == "pcm_s16le"


def _rate(text: str) -> int:
    value = text.lower().replace("hz", "")
    return int(float(value[:-1]) * 1000) if value.endswith("k") else int(value)


def _formats() -> dict[str, OutputFormat]:
    out: dict[str, OutputFormat] = {}

    def add(name: str, container: str, codec: str, rate: int, bitrate: int = 0) -> None:
        out[name.lower()] = OutputFormat(name, container, codec, rate, bitrate)

    for rate in ("8khz", "16khz", "22050hz", "24khz", "44100hz", "48khz"):
        add(f"raw-{rate}-16bit-mono-pcm", "raw", "pcm_s16le", _rate(rate))
        add(f"riff-{rate}-16bit-mono-pcm", "riff", "pcm_s16le", _rate(rate))
    for law in ("mulaw", "alaw"):
        add(f"raw-8khz-8bit-mono-{law}", "raw", f"pcm_{law}", 8000)
        add(f"riff-8khz-8bit-mono-{law}", "riff", f"pcm_{law}", 8000)
    for name in ("audio-16khz-32kbitrate-mono-mp3", "audio-16khz-64kbitrate-mono-mp3",
                 "audio-16khz-128kbitrate-mono-mp3", "audio-24khz-48kbitrate-mono-mp3",
                 "audio-24khz-96kbitrate-mono-mp3", "audio-24khz-160kbitrate-mono-mp3",
                 "audio-48khz-96kbitrate-mono-mp3", "audio-48khz-192kbitrate-mono-mp3"):
        rate, bitrate = re.match(r"audio-(\d+khz)-(\d+)kbitrate", name).groups()
        add(name, "mp3", "mp3", _rate(rate), int(bitrate) * 1000)
    for rate in ("16khz", "24khz", "48khz"):
        add(f"ogg-{rate}-16bit-mono-opus", "ogg", "opus", _rate(rate), 32000 if rate == "16khz" else 48000)
    # Azure's audio-*-opus formats: served as Ogg/Opus (the container every Opus decoder reads).
    add("audio-16khz-16bit-32kbps-mono-opus", "ogg", "opus", 16000, 32000)
    add("audio-24khz-16bit-24kbps-mono-opus", "ogg", "opus", 24000, 24000)
    add("audio-24khz-16bit-48kbps-mono-opus", "ogg", "opus", 24000, 48000)
    add("webm-16khz-16bit-mono-opus", "webm", "opus", 16000, 32000)
    add("webm-24khz-16bit-mono-opus", "webm", "opus", 24000, 48000)
    add("webm-24khz-16bit-24kbps-mono-opus", "webm", "opus", 24000, 24000)
    return out


FORMATS = _formats()
# Azure names these, but no encoder here makes them (AMR-WB and SILK are not in FFmpeg's build).
UNSUPPORTED = ("amr-wb-16000hz", "raw-16khz-16bit-mono-truesilk", "raw-24khz-16bit-mono-truesilk")
DEFAULT = FORMATS["riff-16khz-16bit-mono-pcm"]


def lookup(name: str | None) -> OutputFormat:
    """The format Azure calls ``name`` (case-insensitive); the REST default (riff 16 kHz) when empty."""
    if not name or not name.strip():
        return DEFAULT
    found = FORMATS.get(name.strip().lower())
    if found is None:
        why = "no encoder for it here" if name.strip().lower() in UNSUPPORTED else "not an Azure output format"
        raise UnsupportedFormat(f"Output format '{name.strip()}' is not supported ({why}); use riff-* or raw-* "
                                "16-bit PCM at 8, 16, 22.05, 24, 44.1 or 48 kHz, 8 kHz mu-law or a-law, "
                                "audio-*-mp3, ogg-*-opus, audio-*-opus or webm-*-opus (Azure's names).")
    return found


def riff_header(fmt: OutputFormat, data_bytes: int | None) -> bytes:
    """A 44-byte WAV header (WAVE_FORMAT_PCM, ALAW = 6, MULAW = 7); ``None``: size unknown (streaming)."""
    tag, bits = {"pcm_s16le": (1, 16), "pcm_alaw": (6, 8), "pcm_mulaw": (7, 8)}[fmt.codec]
    block = bits // 8
    size = 0xFFFFFFFF - 36 if data_bytes is None else data_bytes
    return (b"RIFF" + struct.pack("<I", min(size + 36, 0xFFFFFFFF)) + b"WAVEfmt "
            + struct.pack("<IHHIIHH", 16, tag, 1, fmt.sample_rate, fmt.sample_rate * block, block, bits)
            + b"data" + struct.pack("<I", size))


def resample(pcm: np.ndarray, source_rate: int, target_rate: int) -> np.ndarray:
    """16-bit mono PCM at another rate (libswresample), the whole piece at once (nothing held back)."""
    if source_rate == target_rate or not len(pcm):
        return pcm
    resampler = av.AudioResampler(format="s16", layout="mono", rate=target_rate)
    frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(pcm, dtype=np.int16).reshape(1, -1), format="s16",
                                       layout="mono")
    frame.sample_rate = source_rate
    frame.pts = None
    out = [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
    out += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    return np.concatenate(out).astype(np.int16) if out else np.zeros(0, dtype=np.int16)


class _Sink(io.RawIOBase):
    """Where a muxer writes: bytes collected until taken."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        self.parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


class Encoder:
    """PCM in (int16 at ``fmt.sample_rate``), the format's bytes out, as they are ready."""

    def __init__(self, fmt: OutputFormat, total_samples: int | None = None) -> None:
        self.fmt = fmt
        self._header_sent = False
        self._total = total_samples
        self._pts = 0
        self._codec: av.CodecContext | None = None
        self._container = None
        self._stream = None
        self._sink: _Sink | None = None
        if fmt.codec in ("pcm_mulaw", "pcm_alaw"):
            self._codec = _codec(fmt)
        elif fmt.container == "mp3":
            self._codec = _codec(fmt)
        elif fmt.container in ("ogg", "webm"):
            self._sink = _Sink()
            self._container = av.open(self._sink, mode="w", format=fmt.container)
            self._stream = self._container.add_stream("libopus", rate=fmt.sample_rate)
            self._stream.bit_rate = fmt.bitrate
            self._stream.layout = "mono"

    def feed(self, pcm: np.ndarray) -> bytes:
        out = b""
        if self.fmt.container == "riff" and not self._header_sent:
            self._header_sent = True
            data_bytes = None if self._total is None else self._total * (2 if self.fmt.pcm else 1)
            out = riff_header(self.fmt, data_bytes)
        if not len(pcm):
            return out
        pcm = np.ascontiguousarray(pcm, dtype=np.int16)
        if self.fmt.pcm:
            return out + pcm.astype("<i2").tobytes()
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = self.fmt.sample_rate
        frame.pts = self._pts
        frame.time_base = Fraction(1, self.fmt.sample_rate)
        self._pts += len(pcm)
        if self._codec is not None:
            return out + b"".join(bytes(p) for p in self._codec.encode(frame))
        assert self._container is not None and self._stream is not None and self._sink is not None
        for packet in self._stream.encode(frame):
            self._container.mux(packet)
        return out + self._sink.take()

    def finish(self) -> bytes:
        out = self.feed(np.zeros(0, dtype=np.int16)) if not self._header_sent else b""
        if self._codec is not None:
            return out + b"".join(bytes(p) for p in self._codec.encode(None))
        if self._container is not None and self._stream is not None and self._sink is not None:
            for packet in self._stream.encode(None):
                self._container.mux(packet)
            self._container.close()
            return out + self._sink.take()
        return out

    def close(self) -> None:
        """Free the codec without finishing (the client went away)."""
        if self._container is not None:
            try:
                self._container.close()
            except Exception:  # noqa: BLE001 - a half-written stream is discarded anyway
                pass
            self._container = None


def _codec(fmt: OutputFormat) -> av.CodecContext:
    name = "libmp3lame" if fmt.codec == "mp3" else fmt.codec
    codec = av.CodecContext.create(name, "w")
    codec.sample_rate = fmt.sample_rate
    codec.layout = "mono"
    codec.format = "s16p" if fmt.codec == "mp3" else "s16"
    if fmt.bitrate:
        codec.bit_rate = fmt.bitrate
    codec.time_base = Fraction(1, fmt.sample_rate)
    return codec


def encode(fmt: OutputFormat, pcm: np.ndarray) -> bytes:
    """A whole audio in one go (REST)."""
    encoder = Encoder(fmt, total_samples=len(pcm))
    return encoder.feed(pcm) + encoder.finish()
