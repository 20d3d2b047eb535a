"""The Studio's Speech panel in a real headless Chromium against a real speech server (issue 18).

Text synthesised in the page and sent back to recognition ("Recognise this speech") comes back as
the text, with a table of its words and their timings; the panel's SDK code, run, prints the same
words. The microphone is Chromium's fake capture device playing a WAV of known speech: the page
records it through Web Audio, encodes 16 kHz mono 16-bit PCM WAV itself, and the words come back.
A denied microphone is said so in the panel. Every URL the page fetched is on the server.
"""

from __future__ import annotations

import io
import json
import time
import wave

import httpx
import numpy as np
import pytest

from tests.speech.clips import SENTENCES, silence, wav, word_errors

VOICE = "en-US-JoeNeural"  # Piper: the bundled voice the recogniser hears best (tests/speech/test_tts_roundtrip.py)
MAX_WER = 0.2


def _open_speech_panel(browser, server) -> None:
    browser.open(server.url + "/studio")
    browser.wait_for("document.body.dataset.studio === 'started'")
    browser.click("#nav button[data-page='speech']")
    assert browser.evaluate("document.getElementById('page-speech').hidden") is False
    browser.wait_for(f"[...document.getElementById('tts-voice').options].some(o => o.value === {json.dumps(VOICE)})")


def _words_table(browser, prefix: str) -> dict:
    """The word table under #<prefix>-readable: its headers, rows as text, and the box around it."""
    return browser.wait_for(f"""(() => {{
        const box = document.getElementById('{prefix}-words');
        if (!box) return null;
        const table = box.querySelector('table');
        return {{
          focusable: box.tabIndex === 0, scrolls: getComputedStyle(box).overflowX === 'auto',
          caption: table.caption && table.caption.textContent,
          headers: [...table.tHead.querySelectorAll('th')].map(th => [th.scope, th.textContent]),
          rows: [...table.tBodies[0].rows].map(r => [...r.cells].map(c => c.textContent)),
          rowHeaders: [...table.tBodies[0].rows].map(r => r.cells[0].tagName + ':' + r.cells[0].scope),
          transcript: document.querySelector('#{prefix}-readable .transcript').textContent,
        }};
    }})()""", timeout=60)


def _check_words(table: dict, answer: dict, text: str) -> None:
    assert table["focusable"] and table["scrolls"] and table["caption"]
    assert table["headers"] == [["col", "Word"], ["col", "Offset (s)"], ["col", "Duration (s)"], ["col", "Confidence"]]
    assert set(table["rowHeaders"]) == {"TH:row"}
    edits, total = word_errors(text, table["transcript"])
    assert edits / total <= MAX_WER, (text, table["transcript"])
    (best,) = answer["NBest"]
    assert table["transcript"] == answer["DisplayText"]
    # One row per word of the answer, its ticks shown as seconds, in the order spoken.
    assert [row[0] for row in table["rows"]] == [w["Word"] for w in best["Words"]] == best["Lexical"].split()
    assert [(float(r[1]), float(r[2])) for r in table["rows"]] == [
        (round(w["Offset"] / 1e7, 2), round(w["Duration"] / 1e7, 2)) for w in best["Words"]]
    offsets = [w["Offset"] for w in best["Words"]]
    assert offsets == sorted(offsets) and len(set(offsets)) == len(offsets), offsets
    edits, total = word_errors(text, " ".join(row[0] for row in table["rows"]))
    assert edits / total <= MAX_WER, table["rows"]


def _fetched_only_from(browser, server) -> None:
    fetched = [u for u in browser.requested if not u.startswith(("blob:", "data:"))]
    assert fetched and all(u.startswith(server.url + "/") for u in fetched), fetched
    assert not [m for m in browser.console if "rror" in m], browser.console


def test_synthesised_speech_recognised_back_with_word_timings(speech_server, browser, tmp_path):
    """(a) Type, synthesise, "Recognise this speech": the text comes back with its words timed;
    a word's button plays its stretch; the panel's SDK code (word-level timestamps) prints the words."""
    from tests.support.studio import run_sdk_code

    text = SENTENCES[4]
    _open_speech_panel(browser, speech_server)
    assert browser.evaluate("document.getElementById('rt-run').disabled") is True  # nothing synthesised yet
    browser.evaluate(f"document.getElementById('tts-voice').value = {json.dumps(VOICE)}")
    browser.type_into("#tts-text", text)
    browser.click("#tts-run")
    browser.wait_for("!document.getElementById('rt-run').disabled && !document.getElementById('tts-audio').hidden",
                     timeout=60)
    browser.click("#rt-run")
    table = _words_table(browser, "rt")
    answer = json.loads(browser.evaluate("document.getElementById('rt-json').textContent"))
    _check_words(table, answer, text)

    sent = browser.evaluate("document.getElementById('rt-request').textContent")
    assert sent.startswith("POST /speech/recognition/conversation/cognitiveservices/v1?language=en-US"
                           "&format=detailed&wordLevelTimestamps=true\nContent-Type: audio/wav\n"), sent
    assert "<speech.wav, " in sent and "bytes of audio/wav>" in sent

    # A word's button seeks the synthesised speech's player to that word's offset.
    third = float(table["rows"][2][1])
    browser.click("#rt-words tbody tr:nth-child(3) button")
    at = browser.evaluate("document.getElementById('tts-audio').currentTime")
    assert third - 0.05 <= at <= third + 1.0, (third, at)

    # The panel's Python: the Speech SDK asks for word-level timestamps and prints each word's timing.
    code = browser.evaluate("document.getElementById('rt-code').textContent")
    assert "config.request_word_level_timestamps()" in code
    assert 'AudioConfig(filename="speech.wav")' in code
    ssml = f'<speak version="1.0" xml:lang="en-US"><voice name="{VOICE}">{text}</voice></speak>'
    (tmp_path / "speech.wav").write_bytes(httpx.post(
        speech_server.url + "/cognitiveservices/v1", content=ssml, timeout=60,
        headers={"Content-Type": "application/ssml+xml", "X-Microsoft-OutputFormat": "riff-24khz-16bit-mono-pcm"}).content)
    printed = run_sdk_code(code, tmp_path).splitlines()
    timed = [line.split() for line in printed[1:]]
    assert timed and all(len(parts) == 3 for parts in timed), printed
    edits, total = word_errors(text, " ".join(parts[0] for parts in timed))
    assert edits / total <= MAX_WER, printed
    assert [float(p[1]) for p in timed] == sorted(float(p[1]) for p in timed)
    _fetched_only_from(browser, speech_server)


def _browser(tmp_path, *extra_args: str):
    """A headless Chromium of its own, with more switches (the fake microphone)."""
    from tests.support import cdp

    if cdp.chromium() is None:
        pytest.skip("headless Chromium is not installed (apt-get install chromium)")
    return cdp.Browser(tmp_path / "profile", extra_args=extra_args)


def test_denied_microphone_is_said_plainly(speech_server, tmp_path):
    """A microphone there but refused to the page: the panel says so, and how to allow it."""
    browser = _browser(tmp_path, "--use-fake-device-for-media-stream")
    try:
        _open_speech_panel(browser, speech_server)
        browser.send("Browser.setPermission", permission={"name": "microphone"}, setting="denied",
                     origin=speech_server.url)
        browser.click("#stt-record")
        said = browser.wait_for("(e => e && e.textContent)(document.querySelector('#stt-readable [role=alert]'))")
        assert "refused the microphone" in said and "permission" in said, said
        assert browser.evaluate("document.getElementById('stt-record').textContent") == "Record"
    finally:
        browser.close()


def test_wav_encoding_and_resampling_in_the_page(speech_server, browser):
    """The page's own encoder: a 1 kHz tone at 48 kHz, resampled to 16 kHz and written as WAV, is a
    16 kHz mono 16-bit PCM file of the same length whose tone is still 1 kHz."""
    _open_speech_panel(browser, speech_server)
    data = bytes(browser.evaluate("""import('./studio/assets/speech.js').then(async m => {
        const tone = Float32Array.from({length: 48000}, (_, i) => 0.5 * Math.sin(2 * Math.PI * 1000 * i / 48000));
        return Array.from(new Uint8Array(m.wavFile(await m.resample(tone, 48000, 16000), 16000)));
    })"""))
    with wave.open(io.BytesIO(data)) as clip:
        assert (clip.getframerate(), clip.getnchannels(), clip.getsampwidth(), clip.getcomptype()) == (16000, 1, 2, "NONE")
        samples = np.frombuffer(clip.readframes(clip.getnframes()), "<i2").astype(np.float64)
    assert len(samples) == 16000
    spectrum = np.abs(np.fft.rfft(samples[1000:-1000] * np.hanning(14000)))
    assert abs(np.argmax(spectrum) * 16000 / 14000 - 1000) < 5
    assert 0.4 < np.max(np.abs(samples[1000:-1000])) / 32767 < 0.6


def _speech_wav(server, text: str) -> np.ndarray:
    """``text`` spoken by the server's own TTS, 16 kHz int16."""
    ssml = f'<speak version="1.0" xml:lang="en-US"><voice name="{VOICE}">{text}</voice></speak>'
    r = httpx.post(server.url + "/cognitiveservices/v1", content=ssml, timeout=60,
                   headers={"Content-Type": "application/ssml+xml", "X-Microsoft-OutputFormat": "riff-16khz-16bit-mono-pcm"})
    r.raise_for_status()
    with wave.open(io.BytesIO(r.content)) as clip:
        return np.frombuffer(clip.readframes(clip.getnframes()), "<i2")


def test_microphone_recording_is_recognised(speech_server, tmp_path):
    """(b) Record from Chromium's fake microphone (a WAV of known speech) for a few seconds, Stop:
    the page's 16 kHz WAV is recognised as that speech, its words timed."""
    text = SENTENCES[2]
    speech = _speech_wav(speech_server, text)
    # Chromium's fake capture plays the file in a loop from its start when the microphone opens: long
    # silence after the speech, and a recording shorter than one loop, hear the sentence once.
    lead, tail = 0.5, 4.0
    (tmp_path / "mic.wav").write_bytes(wav(np.concatenate([silence(lead), speech, silence(tail)])))
    record_for = lead + len(speech) / 16000 + 1.5
    browser = _browser(tmp_path, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                       f"--use-file-for-fake-audio-capture={tmp_path / 'mic.wav'}")
    try:
        _open_speech_panel(browser, speech_server)
        browser.click("#stt-record")
        browser.wait_for("document.getElementById('stt-record').textContent === 'Stop'", timeout=20)
        started = time.monotonic()
        time.sleep(record_for)
        browser.click("#stt-record")
        recorded = time.monotonic() - started
        table = _words_table(browser, "stt")
        answer = json.loads(browser.evaluate("document.getElementById('stt-json').textContent"))
        _check_words(table, answer, text)
        # The WAV the page sent: 16 kHz mono 16-bit (32,000 bytes a second), as long as the recording.
        sent = browser.evaluate("document.getElementById('stt-request').textContent")
        assert "wordLevelTimestamps=true" in sent and "Content-Type: audio/wav" in sent
        size = int(sent.split("<recording.wav, ")[1].split(" bytes")[0])
        assert abs((size - 44) / 32000 - recorded) < 0.8, (size, recorded)
        # The words lie inside the recording (the capture may start a little before the page listens,
        # so the lead silence heard is shorter than the file's).
        words = answer["NBest"][0]["Words"]
        assert 0 <= words[0]["Offset"] / 1e7 < lead + 1.0, words[0]
        assert (words[-1]["Offset"] + words[-1]["Duration"]) / 1e7 <= (size - 44) / 32000, words[-1]
        assert browser.evaluate("document.getElementById('stt-record').textContent") == "Record"
        _fetched_only_from(browser, speech_server)
    finally:
        browser.close()
