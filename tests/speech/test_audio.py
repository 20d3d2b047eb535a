"""Audio in (services/speech/audio.py): WAV headers of every kind the SDK and REST clients send,
any sample rate to 16 kHz, streams split anywhere, and a clear error for broken audio."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from airgap.services.speech.audio import (
    AudioError,
    AudioFormat,
    StreamDecoder,
    TruncatedHeader,
    decode_file,
    parse_wav_header,
)
from tests.speech.clips import ogg_opus, wav


def tone(seconds: float = 1.0, rate: int = 16_000, hz: float = 440.0) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (np.sin(2 * np.pi * hz * t) * 12_000).astype(np.int16)


def _correlates(decoded: np.ndarray, reference: np.ndarray) -> float:
    n = min(len(decoded), len(reference)) - 400
    a, b = decoded[200:n], reference[200:n].astype(np.float32) / 32768
    return float(np.corrcoef(a, b)[0, 1])


@pytest.mark.parametrize("rate", [8_000, 16_000, 22_050, 44_100, 48_000])
def test_any_sample_rate_becomes_one_second_at_16_khz(rate):
    samples = decode_file(wav(tone(1.0, rate), rate))
    assert abs(len(samples) - 16_000) <= 16
    assert samples.dtype == np.float32
    assert _correlates(samples, tone(1.0, 16_000)) > 0.99


@pytest.mark.parametrize(("bits", "channels"), [(8, 1), (16, 2), (24, 1), (24, 2), (8, 2)])
def test_8_16_24_bit_mono_and_stereo(bits, channels):
    samples = decode_file(wav(tone(), 16_000, channels=channels, bits=bits))
    assert len(samples) == 16_000
    assert _correlates(samples, tone()) > 0.99


def _fmt_wav(tag: int, bits: int, payload: bytes, extensible_tag: int | None = None) -> bytes:
    if extensible_tag is None:
        fmt = struct.pack("<HHIIHH", tag, 1, 8000, 8000 * bits // 8, bits // 8, bits)
    else:
        guid_rest = b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
        fmt = struct.pack("<HHIIHHHHI", 0xFFFE, 1, 8000, 8000 * bits // 8, bits // 8, bits, 22, bits, 4)
        fmt += struct.pack("<H", extensible_tag) + guid_rest
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(payload)) + payload
    return b"RIFF" + struct.pack("<I", len(body)) + body


def test_float_mu_law_a_law_and_extensible_headers():
    silence_mu, silence_a = bytes([0xFF]) * 800, bytes([0xD5]) * 800
    for data in (_fmt_wav(7, 8, silence_mu), _fmt_wav(6, 8, silence_a), _fmt_wav(3, 32, b"\x00" * 3200),
                 _fmt_wav(0, 16, b"\x00" * 1600, extensible_tag=1)):
        samples = decode_file(data)
        assert abs(len(samples) - 1600) <= 4  # 0.1 s at 8 kHz -> 16 kHz
        assert float(np.abs(samples).max()) < 0.01
    loud = decode_file(_fmt_wav(7, 8, bytes([0x80, 0x00]) * 400))  # mu-law full scale
    assert float(np.abs(loud).max()) > 0.9


def test_the_sdk_header_with_zero_sizes_then_pcm_split_inside_samples():
    header = wav(np.zeros(0, np.int16), 22_050)[:44]
    header = header[:4] + b"\x00\x00\x00\x00" + header[8:40] + b"\x00\x00\x00\x00"  # as the SDK sends it
    pcm = tone(1.0, 22_050).tobytes()
    decoder = StreamDecoder()
    out = [decoder.feed(header[:20]), decoder.feed(header[20:])]  # a header may even arrive in pieces
    for start in range(0, len(pcm), 4411):  # odd sizes: frames end in the middle of a sample
        out.append(decoder.feed(pcm[start:start + 4411]))
    out.append(decoder.flush())
    samples = np.concatenate(out)
    assert decoder.format == AudioFormat(22_050, 16, 1)
    assert abs(len(samples) - 16_000) <= 16
    assert _correlates(samples, tone(1.0, 16_000)) > 0.99


def test_raw_pcm_without_a_header_uses_the_announced_format():
    decoder = StreamDecoder(AudioFormat(16_000, 16, 1))
    samples = np.concatenate([decoder.feed(tone().tobytes()), decoder.flush()])
    assert len(samples) == 16_000


@pytest.mark.parametrize(("data", "message"), [
    (b"", "no audio"),
    (b"hello, this is not audio at all", "not a WAV file"),
    (b"RIFF\x24\x00\x00\x00WAVEfmt ", "ends inside its WAV header"),
    (b"RIFF\x24\x00\x00\x00WAVEdata\x00\x00\x00\x00", "data. chunk before its .fmt"),
    (b"RIFX" + b"\x00" * 40, "big-endian"),
])
def test_broken_uploads_are_clear_errors(data, message):
    with pytest.raises(AudioError, match=message):
        decode_file(data)


def test_a_truncated_wav_and_odd_formats_are_refused_with_the_reason():
    whole = wav(tone(), 16_000)
    with pytest.raises(AudioError, match="truncated"):
        decode_file(whole[: len(whole) // 2])
    twelve_bit = bytearray(whole)
    twelve_bit[34:36] = struct.pack("<H", 12)
    with pytest.raises(AudioError, match="12-bit"):
        decode_file(bytes(twelve_bit))
    with pytest.raises(AudioError, match="format tag 0x0055"):  # MP3 inside WAV
        decode_file(_fmt_wav(0x55, 16, b"\x00" * 100))
    no_channels = bytearray(whole)
    no_channels[22:24] = b"\x00\x00"
    with pytest.raises(AudioError, match="0 channels"):
        parse_wav_header(bytes(no_channels))


def test_a_stream_that_ends_inside_its_header_is_an_error_not_a_hang():
    decoder = StreamDecoder()
    assert len(decoder.feed(b"RIFF\x00\x00\x00\x00WAVEfm")) == 0
    with pytest.raises(TruncatedHeader):
        decoder.flush()


def test_ogg_opus_is_decoded_with_ffmpeg():
    samples = decode_file(ogg_opus(tone()), "audio/ogg; codecs=opus")
    assert abs(len(samples) - 16_000) < 1_000  # Opus adds its pre-skip and padding
    with pytest.raises(AudioError, match="could not be decoded"):
        decode_file(b"OggS" + b"\x00" * 60, "audio/ogg")


def test_audio_too_long_is_refused_before_it_is_decoded():
    from airgap.services.speech.audio import AudioTooLong

    long = wav(tone(3.0), 16_000)
    with pytest.raises(AudioTooLong, match="3.0 s"):
        decode_file(long, max_seconds=2)
    with pytest.raises(AudioTooLong):
        decode_file(ogg_opus(tone(3.0)), "audio/ogg", max_seconds=2)
    assert len(decode_file(long, max_seconds=3)) == 48_000


def test_mutated_wav_files_decode_or_fail_with_an_audio_error():
    """Any bytes: samples or AudioError, never another exception (a 500) or a hang."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    base = wav(tone(0.2), 16_000)

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.tuples(st.integers(0, 80), st.integers(0, 255)), max_size=6), st.integers(0, len(base)),
           st.sampled_from(["audio/wav", "audio/ogg", "audio/pcm", None]))
    def check(edits, cut, content_type):
        data = bytearray(base[:max(cut, 1)])
        for position, value in edits:
            if position < len(data):
                data[position] = value
        try:
            samples = decode_file(bytes(data), content_type, max_seconds=5)
        except AudioError:
            return
        assert samples.dtype == np.float32 and len(samples) <= 5 * 16_000 + 16_000

    check()


def test_random_bytes_through_the_stream_decoder():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.binary(max_size=600), max_size=5))
    def check(frames):
        decoder = StreamDecoder()
        try:
            for frame in frames:
                decoder.feed(frame)
            decoder.flush()
        except AudioError:
            pass

    check()
