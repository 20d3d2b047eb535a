"""Text to speech through a real server: the official Speech SDK (websocket), REST, bad input,
billing, mounted voices and a client that goes away mid-synthesis."""

from __future__ import annotations

import asyncio
import gc
import io
import json
import threading
import time
import uuid
import wave
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
import websockets

from airgap.services.speech import usp
from tests.speech.tts_support import (billed_characters, decode, need_engines, pcm16, rms, start_server,  # noqa: F401
                                      tts_server)
from tests.support.server import ServerProcess

speechsdk = pytest.importorskip("azure.cognitiveservices.speech")
Format = speechsdk.SpeechSynthesisOutputFormat

TEXT = "The weather is nice today. Please send the report by Friday."
WORDS = ["The", "weather", "is", "nice", "today", "Please", "send", "the", "report", "by", "Friday"]


def ssml(body: str, lang: str = "en-US") -> str:
    return (f'<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" '
            f'xmlns:mstts="http://www.w3.org/2001/mstts" xml:lang="{lang}">{body}</speak>')


def synthesizer(server: ServerProcess, fmt=None, scheme: str = "ws"):
    config = speechsdk.SpeechConfig(host=f"{scheme}://127.0.0.1:{server.port}", subscription="any-key")
    if fmt is not None:
        config.set_speech_synthesis_output_format(fmt)
    return speechsdk.SpeechSynthesizer(speech_config=config, audio_config=None)


def settled(synth, call):
    """The result of a ``speak_*_async`` call once the SDK has raised all its events: they run on the
    SDK's own thread and may come after ``get()`` returns; ``synthesis_completed`` comes after them."""
    completed = threading.Event()
    synth.synthesis_completed.connect(lambda e: completed.set())
    synth.synthesis_canceled.connect(lambda e: completed.set())
    try:
        result = call().get()
        assert completed.wait(60), "the SDK never raised synthesis_completed"
    finally:
        synth.synthesis_completed.disconnect_all()
        synth.synthesis_canceled.disconnect_all()
    return result


def done(result) -> None:
    if result.reason == speechsdk.ResultReason.Canceled:
        details = result.cancellation_details
        pytest.fail(f"synthesis canceled: {details.reason} {details.error_details}")
    assert result.reason == speechsdk.ResultReason.SynthesizingAudioCompleted


def wav_of(data: bytes) -> tuple[np.ndarray, int]:
    with wave.open(io.BytesIO(data)) as w:
        assert (w.getnchannels(), w.getsampwidth()) == (1, 2)
        return pcm16(w.readframes(w.getnframes())), w.getframerate()


@pytest.fixture(scope="module")
def synth(tts_server: ServerProcess) -> Iterator:
    s = synthesizer(tts_server)
    yield s
    del s
    gc.collect()


# -- the Speech SDK ------------------------------------------------------------------------------

@pytest.mark.parametrize(("fmt", "rate"), [(Format.Riff16Khz16BitMonoPcm, 16000), (Format.Riff24Khz16BitMonoPcm, 24000)])
@pytest.mark.parametrize("scheme", ["ws", "http"])
def test_sdk_speaks_text_as_wav(tts_server: ServerProcess, fmt, rate: int, scheme: str):
    s = synthesizer(tts_server, fmt, scheme)
    result = s.speak_text_async(TEXT).get()
    done(result)
    samples, got_rate = wav_of(result.audio_data)
    assert got_rate == rate
    seconds = len(samples) / rate
    assert 0.15 * len(WORDS) < seconds < 0.8 * len(WORDS)  # a plausible speaking rate
    assert rms(samples) > 0.02  # not silent
    assert result.audio_duration.total_seconds() == pytest.approx(seconds, abs=0.05)


@pytest.mark.parametrize(("fmt", "rate"), [(Format.Audio24Khz48KBitRateMonoMp3, 24000),
                                           (Format.Audio16Khz128KBitRateMonoMp3, 16000),
                                           (Format.Ogg24Khz16BitMonoOpus, 48000),
                                           (Format.Webm24Khz16BitMonoOpus, 48000)])
def test_sdk_compressed_formats_decode(tts_server: ServerProcess, fmt, rate: int):
    s = synthesizer(tts_server, fmt)
    result = s.speak_text_async(TEXT).get()
    done(result)
    samples, got_rate = decode(result.audio_data)
    assert got_rate == rate
    assert 0.15 * len(WORDS) < len(samples) / rate < 0.8 * len(WORDS)
    assert rms(samples) > 0.02


def test_sdk_ssml_with_a_listed_voice_and_with_two_voices(synth):
    one = synth.speak_ssml_async(ssml('<voice name="en-US-JoeNeural">Good morning to you all.</voice>')).get()
    done(one)
    two = synth.speak_ssml_async(ssml('<voice name="en-US-JoeNeural">Good morning to you all.</voice>'
                                      '<voice name="de-DE-KatjaNeural">Guten Morgen, wie geht es Ihnen?</voice>')).get()
    done(two)
    first, rate = wav_of(one.audio_data)
    both, rate2 = wav_of(two.audio_data)
    assert rate == rate2 == 16000
    assert len(both) > len(first) + rate  # the German sentence adds more than a second
    assert rms(both[len(first):]) > 0.02


def test_sdk_word_boundaries_in_order(synth):
    events = []
    synth.synthesis_word_boundary.connect(lambda e: events.append((e.text, e.audio_offset, e.duration)))
    try:
        result = settled(synth, lambda: synth.speak_text_async(TEXT))
    finally:
        synth.synthesis_word_boundary.disconnect_all()
    done(result)
    assert [text for text, _, _ in events] == WORDS
    offsets = [offset for _, offset, _ in events]
    assert offsets == sorted(offsets) and len(set(offsets)) == len(offsets)
    assert offsets[-1] / 10**7 < result.audio_duration.total_seconds()
    assert all(duration.total_seconds() > 0 for _, _, duration in events)


def test_sdk_lists_voices_with_and_without_a_locale(synth):
    everything = synth.get_voices_async().get()
    assert everything.reason == speechsdk.ResultReason.VoicesListRetrieved
    names = {v.short_name for v in everything.voices}
    assert {"en-US-JoeNeural", "en-US-UsbNeural", "en-US-SltFlite", "de-DE-EspeakFemale"} <= names
    joe = next(v for v in everything.voices if v.short_name == "en-US-JoeNeural")
    assert joe.gender == speechsdk.SynthesisVoiceGender.Male and joe.locale == "en-US"
    german = synth.get_voices_async("de-DE").get()
    assert german.voices and {v.locale for v in german.voices} == {"de-DE"}


def test_sdk_mounted_voice_speaks(synth):
    result = synth.speak_ssml_async(ssml('<voice name="en-US-UsbNeural">A voice from a stick.</voice>')).get()
    done(result)
    assert rms(wav_of(result.audio_data)[0]) > 0.02


@pytest.mark.parametrize(("document", "reason"), [
    (ssml('<voice name="en-US-JoeNeural">Broken'), "not well-formed XML"),
    (ssml('<voice name="xx-YY-NobodyNeural">Hello</voice>'), "no voice here speaks xx-YY"),
])
def test_sdk_bad_input_cancels_with_the_reason(tts_server: ServerProcess, document: str, reason: str):
    s = synthesizer(tts_server)
    result = s.speak_ssml_async(document).get()
    assert result.reason == speechsdk.ResultReason.Canceled
    assert result.cancellation_details.reason == speechsdk.CancellationReason.Error
    assert reason in result.cancellation_details.error_details


def test_sdk_too_long_ssml_and_an_unsupported_format_cancel_with_the_reason(tts_server: ServerProcess):
    s = synthesizer(tts_server)
    long = s.speak_ssml_async(ssml('<voice name="en-US-JoeNeural">' + "Very long text. " * 5000 + "</voice>")).get()
    assert long.reason == speechsdk.ResultReason.Canceled
    assert "longer than 64 KB" in long.cancellation_details.error_details
    amr = synthesizer(tts_server, Format.AmrWb16000Hz).speak_text_async(TEXT).get()  # no encoder here
    assert amr.reason == speechsdk.ResultReason.Canceled
    assert "amr-wb-16000hz" in amr.cancellation_details.error_details
    assert not amr.audio_data


# -- REST ------------------------------------------------------------------------------------------

def post(server: ServerProcess, body: str, fmt: str | None = None, content_type: str = "application/ssml+xml"):
    headers = {"Content-Type": content_type, "Ocp-Apim-Subscription-Key": "any"}
    if fmt:
        headers["X-Microsoft-OutputFormat"] = fmt
    return httpx.post(f"{server.url}/cognitiveservices/v1", content=body.encode("utf-8"), headers=headers, timeout=60)


@pytest.mark.parametrize(("fmt", "content_type", "rate"), [
    ("riff-24khz-16bit-mono-pcm", "audio/x-wav", 24000),
    ("riff-8khz-8bit-mono-mulaw", "audio/x-wav", 8000),
    ("audio-16khz-32kbitrate-mono-mp3", "audio/mpeg", 16000),
    ("ogg-16khz-16bit-mono-opus", "audio/ogg", 48000),
    ("webm-16khz-16bit-mono-opus", "audio/webm", 48000),
    ("riff-48khz-16bit-mono-pcm", "audio/x-wav", 48000),
])
def test_rest_synthesis_in_several_formats(tts_server: ServerProcess, fmt: str, content_type: str, rate: int):
    response = post(tts_server, ssml(f'<voice name="en-US-JennyNeural">{TEXT}</voice>'), fmt)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == content_type
    samples, got_rate = decode(response.content)
    assert got_rate == rate
    assert 0.15 * len(WORDS) < len(samples) / rate < 0.8 * len(WORDS)
    assert rms(samples) > 0.02


def test_rest_raw_pcm_and_default_format(tts_server: ServerProcess):
    raw = post(tts_server, ssml(f"<voice name='en-US-GuyNeural'>{TEXT}</voice>"), "raw-22050hz-16bit-mono-pcm")
    assert raw.status_code == 200 and not raw.content.startswith(b"RIFF")
    assert rms(pcm16(raw.content)) > 0.02
    default = post(tts_server, ssml(f"<voice name='en-US-GuyNeural'>{TEXT}</voice>"))
    assert default.status_code == 200
    samples, rate = wav_of(default.content)
    assert rate == 16000 and len(samples) / rate == pytest.approx(len(pcm16(raw.content)) / 22050, rel=0.2)  # VITS varies a little


def test_rest_voices_list(tts_server: ServerProcess):
    response = httpx.get(f"{tts_server.url}/cognitiveservices/voices/list", timeout=30)
    assert response.status_code == 200
    voices = response.json()
    joe = next(v for v in voices if v["ShortName"] == "en-US-JoeNeural")
    assert set(joe) >= {"Name", "DisplayName", "LocalName", "ShortName", "Gender", "Locale", "LocaleName",
                        "SampleRateHertz", "VoiceType", "Status"}
    assert joe["SampleRateHertz"] == "22050" and joe["VoiceType"] == "Neural"


@pytest.mark.parametrize(("body", "fmt", "content_type", "status", "inner"), [
    (ssml("<voice name='en-US-JoeNeural'>x"), None, "application/ssml+xml", 400, "InvalidSsml"),
    (ssml("<voice name='xx-YY-NobodyNeural'>Hello</voice>"), None, "application/ssml+xml", 400, "UnsupportedVoice"),
    (ssml("<voice name='en-US-JoeNeural'>Hi</voice>"), "amr-wb-16000hz", "application/ssml+xml", 400,
     "UnsupportedOutputFormat"),
    (ssml("<voice name='en-US-JoeNeural'>Hi</voice>"), "mp3", "application/ssml+xml", 400, "UnsupportedOutputFormat"),
    (ssml("<voice name='en-US-JoeNeural'>" + "Very long text. " * 5000 + "</voice>"), None, "application/ssml+xml",
     400, "TextTooLong"),
    ("Hello", None, "text/plain", 415, None),
])
def test_rest_bad_input_is_an_azure_error(tts_server: ServerProcess, body: str, fmt: str | None, content_type: str,
                                          status: int, inner: str | None):
    response = post(tts_server, body, fmt, content_type)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["message"]
    if inner:
        assert error["innererror"]["code"] == inner


def test_rest_and_websocket_bill_characters(tmp_path: Path):
    need_engines()
    server = start_server(tmp_path)
    try:
        body = '<voice name="en-US-JoeNeural">Hello <break time="100ms"/>world.</voice>'
        billed = len('Hello <break time="100ms"/>world.')
        assert post(server, ssml(body)).status_code == 200
        assert post(server, ssml("<voice name='en-US-JoeNeural'>x")).status_code == 400  # errors are not billed
        assert billed_characters(server) == billed
        s = synthesizer(server)
        done(s.speak_ssml_async(ssml(body)).get())
        del s
        gc.collect()
        assert billed_characters(server) == 2 * billed  # the websocket turn: through ctx.bill
    finally:
        server.stop()


# -- the websocket without the SDK -----------------------------------------------------------------------

async def _synthesize_and_hang_up(url: str, text: str) -> int:
    request_id = uuid.uuid4().hex
    context = {"synthesis": {"audio": {"outputFormat": "raw-24khz-16bit-mono-pcm",
                                       "metadataOptions": {"wordBoundaryEnabled": True}}}}
    async with websockets.connect(url, subprotocols=["USP"], max_size=None) as ws:
        await ws.send(usp.text_frame("speech.config", request_id, {"context": {}}))
        await ws.send(usp.text_frame("synthesis.context", request_id, context))
        await ws.send(usp.text_frame("ssml", request_id, ssml(f"<voice name='en-US-JoeNeural'>{text}</voice>"),
                                     content_type="application/ssml+xml"))
        frames = 0
        async for frame in ws:
            if isinstance(frame, bytes):
                message = usp.parse_binary(frame)
                assert message.request_id == request_id and message.kind == "audio"
                frames += 1
                return frames  # hang up after the first audio
            message = usp.parse_text(frame)
            assert message.request_id == request_id
    return frames


async def _full_turn(url: str, text: str) -> list[tuple[str, bool]]:
    request_id = uuid.uuid4().hex
    context = {"synthesis": {"audio": {"outputFormat": "raw-16khz-16bit-mono-pcm",
                                       "metadataOptions": {"wordBoundaryEnabled": True, "sessionEndEnabled": True,
                                                           "sentenceBoundaryEnabled": True}}}}
    seen = []
    async with websockets.connect(url, subprotocols=["USP"], max_size=None) as ws:
        await ws.send(usp.text_frame("speech.config", request_id, {"context": {}}))
        await ws.send(usp.text_frame("synthesis.context", request_id, context))
        await ws.send(usp.text_frame("ssml", request_id, ssml(f"<voice name='en-US-JoeNeural'>{text}</voice>"),
                                     content_type="application/ssml+xml"))
        async for frame in ws:
            message = usp.parse_binary(frame) if isinstance(frame, bytes) else usp.parse_text(frame)
            seen.append((message.path if message.kind != "audio.metadata" else
                         "metadata:" + json.loads(message.body)["Metadata"][0]["Type"],
                         message.request_id == request_id))
            if message.kind == "turn.end":
                break
    return seen


def test_every_frame_echoes_the_request_id(tts_server: ServerProcess):
    seen = asyncio.run(_full_turn(f"ws://127.0.0.1:{tts_server.port}/cognitiveservices/websocket/v1", TEXT))
    assert all(ok for _, ok in seen)
    paths = [p for p, _ in seen]
    assert paths[0] == "turn.start" and paths[-1] == "turn.end" and paths[-2] == "metadata:SessionEnd"
    assert "audio" in paths and paths.count("metadata:WordBoundary") == len(WORDS)
    assert paths.count("metadata:SentenceBoundary") == 2


def test_a_client_that_hangs_up_frees_its_stream(tmp_path: Path):
    need_engines()
    server = start_server(tmp_path, "TextToSpeech:MaxStreams=1")
    url = f"ws://127.0.0.1:{server.port}/cognitiveservices/websocket/v1"
    long_text = " ".join(f"This is sentence number {i} of a long text that nobody will hear." for i in range(200))
    try:
        assert asyncio.run(_synthesize_and_hang_up(url, long_text)) == 1
        # The only stream slot comes back: the next synthesis is served (not refused with 429).
        deadline = time.monotonic() + 60
        while True:
            try:
                seen = asyncio.run(_full_turn(url, "Short."))
                break
            except websockets.exceptions.InvalidStatus:
                assert time.monotonic() < deadline, "the stream slot was never freed"
                time.sleep(0.2)
        assert seen[-1] == ("turn.end", True)
        assert "Synthesis stopped: the client went away" in server.log_text()
        # The rest of the long text was not synthesised: far fewer sentences ran than it has.
        metrics = httpx.get(f"{server.url}/metrics", timeout=30).text
        runs = sum(float(line.split()[-1]) for line in metrics.splitlines()
                   if line.startswith("airgap_inference_seconds_count") and "tts-piper" in line)
        assert 0 < runs < 50
    finally:
        server.stop()


def test_sdk_bookmarks_entities_phonemes_and_empty_text(synth):
    marks = []
    synth.bookmark_reached.connect(lambda e: marks.append((e.text, e.audio_offset)))
    try:
        result = settled(synth, lambda: synth.speak_ssml_async(ssml(
            '<voice name="en-US-JoeNeural">Tom &amp; Jerry <bookmark mark="m1"/> say '
            '<phoneme alphabet="ipa" ph="təmˈɑːtoʊ">tomato</phoneme>.</voice>')))
    finally:
        synth.bookmark_reached.disconnect_all()
    done(result)
    assert len(marks) == 1 and marks[0][0] == "m1"
    assert 0 < marks[0][1] / 10**7 < result.audio_duration.total_seconds()
    empty = synth.speak_text_async("").get()
    done(empty)
    assert len(empty.audio_data) <= 44


def test_sdk_default_voice_speaks_chinese_text(synth):
    result = synth.speak_text_async("你好，世界。今天天气很好。").get()  # en-US-AvaMultilingualNeural by default
    done(result)
    assert result.audio_duration.total_seconds() > 1.0


def test_round_trip_through_the_server(tts_server: ServerProcess):
    """REST synthesis (riff 16 kHz) handed to REST speech to text on the same server."""
    from tests.speech.clips import word_errors

    audio = post(tts_server, ssml(f"<voice name='en-US-GuyNeural'>{TEXT}</voice>"), "riff-16khz-16bit-mono-pcm")
    assert audio.status_code == 200
    recognized = httpx.post(f"{tts_server.url}/speech/recognition/conversation/cognitiveservices/v1",
                            params={"language": "en-US"}, content=audio.content,
                            headers={"Content-Type": "audio/wav; codecs=audio/pcm; samplerate=16000"}, timeout=60)
    assert recognized.status_code == 200, recognized.text
    edits, total = word_errors(TEXT, recognized.json()["DisplayText"])
    assert edits / total <= 0.1, recognized.json()
