"""Audio in: WAV (RIFF) headers, PCM in any of the layouts the Speech SDK sends, Ogg/Opus.

Everything becomes what the recognizer wants: mono float32 samples at 16 kHz. Two ways in:

- ``decode_file(data, content_type)``: a whole upload (REST short audio): a WAV file, or
  Ogg/Opus (decoded by PyAV's FFmpeg);
- ``StreamDecoder``: the websocket stream, fed frame by frame: the first frame carries the
  RIFF header (the SDK keeps the file's own sample rate, bit depth and channel count), the
  others raw PCM, split anywhere (a frame may end in the middle of a sample).

Broken audio raises ``AudioError`` with a sentence a person can act on, never a hang or a 500.
Plain Python (numpy, PyAV): no HTTP here.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

import numpy as np

SAMPLE_RATE = 16_000
TICKS_PER_SECOND = 10_000_000  # Azure's offsets and durations: 100-ns ticks

# WAVE format tags (mmreg.h)
_PCM, _FLOAT, _ALAW, _MULAW, _EXTENSIBLE = 0x0001, 0x0003, 0x0006, 0x0007, 0xFFFE
# Streaming writers (the SDK among them) put 0 or a huge placeholder where the sizes go.
_UNKNOWN_SIZE = 0x7FFF_0000
_MAX_HEADER = 65_536  # a WAV header longer than this (LIST/INFO chunks included) is not one


class AudioError(ValueError):
    """The audio cannot be used; the message says why."""


class AudioTooLong(AudioError):
    """More audio than the caller accepts (found before it is all decoded)."""

    def __init__(self, seconds: float, limit: float) -> None:
        super().__init__(f"The audio lasts {seconds:.1f} s or more; at most {limit:g} s are accepted.")
        self.seconds = seconds
        self.limit = limit


class TruncatedHeader(AudioError):
    """The bytes end inside the WAV header (a stream may still bring the rest)."""


@dataclass(frozen=True)
class AudioFormat:
    sample_rate: int
    bits: int
    channels: int
    encoding: str = "pcm"  # pcm (integer), float, alaw, mulaw

    @property
    def frame_bytes(self) -> int:
        return self.bits // 8 * self.channels

    def describe(self) -> str:
        return f"{self.sample_rate} Hz, {self.bits}-bit {self.encoding}, {self.channels} channel(s)"


PCM_16K = AudioFormat(SAMPLE_RATE, 16, 1)


@dataclass(frozen=True)
class WavHeader:
    format: AudioFormat
    data_offset: int        # where the samples start in the bytes given
    data_size: int | None   # bytes of samples the header announces; None: unknown (streaming)


def is_wav(data: bytes) -> bool:
    return len(data) >= 4 and data[:4] in (b"RIFF", b"RIFX", b"RF64")


def parse_wav_header(data: bytes) -> WavHeader:
    """The format and where the samples start; raises ``AudioError`` for anything unusable.

    A header alone (the SDK's first websocket frame: 44 bytes, sizes 0) is valid.
    """
    if len(data) < 12:
        raise TruncatedHeader(f"The audio ends inside its WAV header ({len(data)} bytes; a WAV header has at least 44).")
    if data[:4] == b"RIFX":
        raise AudioError("The audio is a big-endian WAV (RIFX) file; send little-endian RIFF WAV with PCM samples.")
    if data[:4] not in (b"RIFF", b"RF64") or data[8:12] != b"WAVE":
        raise AudioError("The audio is not a WAV file (no RIFF/WAVE header); send WAV with PCM samples, "
                         "or Ogg/Opus with Content-Type audio/ogg; codecs=opus.")
    position = 12
    fmt: AudioFormat | None = None
    while True:
        if position + 8 > len(data):
            if fmt is None:
                raise TruncatedHeader("The audio ends inside its WAV header: no 'fmt ' chunk describes the samples.")
            raise TruncatedHeader("The audio ends inside its WAV header: no 'data' chunk follows the 'fmt ' chunk.")
        chunk_id = data[position:position + 4]
        (size,) = struct.unpack_from("<I", data, position + 4)
        body = position + 8
        if chunk_id == b"fmt ":
            if body + 16 > len(data):
                raise TruncatedHeader("The audio ends inside its WAV header (the 'fmt ' chunk is cut short).")
            fmt = _parse_fmt(data[body:body + max(16, min(size, 40))])
        elif chunk_id == b"data":
            if fmt is None:
                raise AudioError("The WAV header has its 'data' chunk before its 'fmt ' chunk; the format is unknown.")
            return WavHeader(fmt, body, None if size == 0 or size >= _UNKNOWN_SIZE else size)
        if size >= _UNKNOWN_SIZE:
            raise AudioError(f"The WAV header is broken: chunk {chunk_id!r} claims {size} bytes.")
        position = body + size + (size & 1)  # chunks are word-aligned


def _parse_fmt(chunk: bytes) -> AudioFormat:
    tag, channels, rate, _byte_rate, block_align, bits = struct.unpack_from("<HHIIHH", chunk)
    if tag == _EXTENSIBLE and len(chunk) >= 26:
        (tag,) = struct.unpack_from("<H", chunk, 24)  # the first two bytes of the sub-format GUID
    encoding = {_PCM: "pcm", _FLOAT: "float", _ALAW: "alaw", _MULAW: "mulaw"}.get(tag)
    if encoding is None:
        raise AudioError(f"The WAV file's samples are encoded with format tag 0x{tag:04x}, which this server does "
                         "not decode; send PCM (8, 16, 24 or 32-bit), 32-bit float, A-law or mu-law.")
    if not 1 <= channels <= 8:
        raise AudioError(f"The WAV header says {channels} channels; 1 to 8 are accepted.")
    if not 4_000 <= rate <= 192_000:
        raise AudioError(f"The WAV header says {rate} samples per second; 4,000 to 192,000 are accepted.")
    allowed = {"pcm": (8, 16, 24, 32), "float": (32,), "alaw": (8,), "mulaw": (8,)}[encoding]
    if bits not in allowed:
        raise AudioError(f"The WAV header says {bits}-bit {encoding} samples; this server reads "
                         f"{', '.join(map(str, allowed))}-bit {encoding}.")
    audio_format = AudioFormat(rate, bits, channels, encoding)
    if block_align and block_align != audio_format.frame_bytes:
        raise AudioError(f"The WAV header is inconsistent: {channels} channel(s) of {bits}-bit samples take "
                         f"{audio_format.frame_bytes} bytes per frame, the header says {block_align}.")
    return audio_format


def _alaw_table() -> np.ndarray:
    table = np.empty(256, dtype=np.float32)
    for code in range(256):
        a = code ^ 0x55
        exponent = (a >> 4) & 7
        mantissa = a & 0x0F
        sample = (mantissa << 4) + 8 if exponent == 0 else ((mantissa << 4) + 0x108) << (exponent - 1)
        table[code] = (sample if a & 0x80 else -sample) / 32768.0
    return table


def _mulaw_table() -> np.ndarray:
    table = np.empty(256, dtype=np.float32)
    for code in range(256):
        u = ~code & 0xFF
        sample = (((u & 0x0F) << 3) + 0x84) << ((u >> 4) & 7)
        sample -= 0x84
        table[code] = (-sample if u & 0x80 else sample) / 32768.0
    return table


_TABLES: dict[str, np.ndarray] = {}


def _to_float(raw: bytes, fmt: AudioFormat) -> np.ndarray:
    """Whole frames of ``fmt`` → mono float32 in [-1, 1] at the source rate."""
    if fmt.encoding == "pcm":
        if fmt.bits == 8:
            samples = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
        elif fmt.bits == 16:
            samples = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
        elif fmt.bits == 24:
            b = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
            value = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
            value = np.where(value & 0x800000, value - 0x1000000, value)
            samples = value.astype(np.float32) / 8_388_608.0
        else:
            samples = np.frombuffer(raw, dtype="<i4").astype(np.float32) / 2_147_483_648.0
    elif fmt.encoding == "float":
        samples = np.nan_to_num(np.frombuffer(raw, dtype="<f4"), nan=0.0, posinf=1.0, neginf=-1.0)
        samples = np.clip(samples, -1.0, 1.0)
    else:
        table = _TABLES.get(fmt.encoding)
        if table is None:
            table = _TABLES[fmt.encoding] = _alaw_table() if fmt.encoding == "alaw" else _mulaw_table()
        samples = table[np.frombuffer(raw, dtype=np.uint8)]
    if fmt.channels > 1:
        samples = samples.reshape(-1, fmt.channels).mean(axis=1)
    return np.ascontiguousarray(samples, dtype=np.float32)


class _Resampler:
    """Streaming resampling to 16 kHz with FFmpeg's libswresample (PyAV), state kept across chunks."""

    def __init__(self, rate: int) -> None:
        import av

        self.rate = rate
        self._av = av
        self._resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)

    def _collect(self, frames: list) -> np.ndarray:
        parts = [frame.to_ndarray().reshape(-1) for frame in frames]
        return np.concatenate(parts).astype(np.float32, copy=False) if parts else np.zeros(0, np.float32)

    def feed(self, samples: np.ndarray) -> np.ndarray:
        if samples.size == 0:
            return np.zeros(0, np.float32)
        frame = self._av.AudioFrame.from_ndarray(samples[None, :], format="flt", layout="mono")
        frame.sample_rate = self.rate
        return self._collect(self._resampler.resample(frame))

    def flush(self) -> np.ndarray:
        return self._collect(self._resampler.resample(None))


class StreamDecoder:
    """Bytes of one stream in, 16 kHz mono float32 out, chunk by chunk.

    ``header=True``: the first bytes are a RIFF header (the SDK's first audio frame);
    ``fallback`` is the format when they are not (raw PCM, as ``speech.config`` describes it).
    """

    def __init__(self, fallback: AudioFormat = PCM_16K, header: bool = True) -> None:
        self.format: AudioFormat | None = None if header else fallback
        self.fallback = fallback
        self._pending = b""
        self._resampler: _Resampler | None = None
        self.source_frames = 0  # frames of the source format read so far

    def feed(self, data: bytes) -> np.ndarray:
        if self.format is None:
            self._pending += data
            if len(self._pending) < 4:
                return np.zeros(0, np.float32)
            if not is_wav(self._pending):
                self.format = self.fallback  # raw PCM from the start
            else:
                try:
                    header = parse_wav_header(self._pending)
                except TruncatedHeader:
                    if len(self._pending) < _MAX_HEADER:  # a header split across frames: wait for the rest
                        return np.zeros(0, np.float32)
                    raise
                self.format = header.format
                self._pending = self._pending[header.data_offset:]
            data, self._pending = self._pending, b""
        data = self._pending + data
        usable = len(data) - len(data) % self.format.frame_bytes
        self._pending = data[usable:]
        if not usable:
            return np.zeros(0, np.float32)
        self.source_frames += usable // self.format.frame_bytes
        return self._resample(_to_float(data[:usable], self.format))

    def _resample(self, samples: np.ndarray) -> np.ndarray:
        assert self.format is not None
        if self.format.sample_rate == SAMPLE_RATE:
            return samples
        if self._resampler is None:
            self._resampler = _Resampler(self.format.sample_rate)
        return self._resampler.feed(samples)

    def flush(self) -> np.ndarray:
        """The resampler's tail, at the end of the stream."""
        if self.format is None and self._pending:
            parse_wav_header(self._pending)  # raises: the stream ended inside its header
            raise TruncatedHeader("The audio ends inside its WAV header.")
        if self._resampler is None:
            return np.zeros(0, np.float32)
        return self._resampler.flush()

    @property
    def seconds(self) -> float:
        """Audio read so far, in seconds of the source."""
        return self.source_frames / self.format.sample_rate if self.format else 0.0


def decode_wav(data: bytes, max_seconds: float | None = None) -> np.ndarray:
    """A whole WAV file → 16 kHz mono float32."""
    header = parse_wav_header(data)
    end = len(data)
    if header.data_size is not None:
        end = header.data_offset + header.data_size
        if end > len(data):
            raise AudioError(f"The WAV file is truncated: its header announces {header.data_size} bytes of samples, "
                             f"the upload has {len(data) - header.data_offset}.")
    body = data[header.data_offset:end]
    seconds = len(body) / header.format.frame_bytes / header.format.sample_rate
    if max_seconds is not None and seconds > max_seconds:
        raise AudioTooLong(seconds, max_seconds)  # known from the header: nothing is decoded
    decoder = StreamDecoder(header.format, header=False)
    samples = decoder.feed(body)
    return np.concatenate([samples, decoder.flush()])


def decode_file(data: bytes, content_type: str | None = None, max_seconds: float | None = None) -> np.ndarray:
    """An upload (WAV, or Ogg/Opus and what else FFmpeg reads) → 16 kHz mono float32.

    ``max_seconds``: longer audio raises ``AudioTooLong`` as soon as that is known (from a WAV
    header; while decoding compressed audio), so a small upload cannot become gigabytes of samples.
    """
    if not data:
        raise AudioError("The request has no audio: send WAV (PCM) or Ogg/Opus bytes in the body.")
    if is_wav(data):
        return decode_wav(data, max_seconds)
    kind = (content_type or "").split(";")[0].strip().lower()
    if data[:4] == b"OggS" or kind in ("audio/ogg", "audio/webm", "audio/mpeg", "audio/mp3", "audio/flac"):
        return _decode_with_ffmpeg(data, max_seconds)
    if kind in ("audio/pcm", "audio/l16", "audio/raw"):
        if max_seconds is not None and len(data) / 2 / SAMPLE_RATE > max_seconds:
            raise AudioTooLong(len(data) / 2 / SAMPLE_RATE, max_seconds)
        decoder = StreamDecoder(PCM_16K, header=False)
        return np.concatenate([decoder.feed(data), decoder.flush()])
    raise AudioError("The audio is not a WAV file (no RIFF/WAVE header); send WAV with PCM samples, "
                     "or Ogg/Opus with Content-Type audio/ogg; codecs=opus.")


def _decode_with_ffmpeg(data: bytes, max_seconds: float | None = None) -> np.ndarray:
    import av

    limit = None if max_seconds is None else int(max_seconds * SAMPLE_RATE)
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if not container.streams.audio:
                raise AudioError("The upload has no audio stream.")
            resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
            parts: list[np.ndarray] = []
            decoded = 0
            for frame in container.decode(audio=0):
                frame.pts = None
                for out in resampler.resample(frame):
                    parts.append(out.to_ndarray().reshape(-1))
                    decoded += len(parts[-1])
                if limit is not None and decoded > limit:
                    raise AudioTooLong(decoded / SAMPLE_RATE, max_seconds or 0)
            parts.extend(f.to_ndarray().reshape(-1) for f in resampler.resample(None))
    except AudioError:
        raise
    except (av.error.FFmpegError, ValueError, OSError) as exc:
        raise AudioError(f"The audio could not be decoded ({exc}); send WAV (PCM) or Ogg/Opus.") from None
    if not parts:
        return np.zeros(0, np.float32)
    return np.concatenate(parts).astype(np.float32, copy=False)


def wav_bytes(samples: np.ndarray, rate: int = SAMPLE_RATE) -> bytes:
    """16-bit mono PCM WAV of float samples (tests, bench)."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()
    header = b"RIFF" + struct.pack("<I", 36 + len(pcm)) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
    return header + b"data" + struct.pack("<I", len(pcm)) + pcm


def ticks(seconds: float) -> int:
    return int(round(seconds * TICKS_PER_SECOND))
