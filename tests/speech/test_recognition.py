"""The recognition pipeline without HTTP (services/speech/recognition.py and engines/): VAD cuts
utterances, Whisper decodes them, times are 100-ns ticks from the start of the stream."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from airgap.services.speech.engines import stt_models
from airgap.services.speech.engines.stt_whisper import WhisperRecognizer
from airgap.services.speech.recognition import Recognizers, StreamRecognition, UnsupportedLanguage, recognize_clip
from airgap.services.speech.settings import SpeechSettings
from tests.speech.clips import GERMAN, SENTENCES, silence, speak, utterances, word_errors
from tests.speech.conftest import as_float, direct

TICKS = 10_000_000


def _run(coroutine):
    return asyncio.run(coroutine)


def _phrases(events):
    return [e for e in events if e.kind == "phrase"]


def test_one_sentence(recognizers):
    clip = np.concatenate([silence(0.7), speak(SENTENCES[3]), silence(0.5)])
    events, stream = _run(recognize_clip(as_float(clip), recognizers.choose("en-US"), direct, recognizers,
                                         single=True))
    (phrase,) = _phrases(events)
    u = phrase.utterance
    edits, total = word_errors(SENTENCES[3], u.display)
    assert edits / total <= 0.3, u.display
    assert u.display[0].isupper() and u.lexical == u.lexical.lower()
    assert 0.5 * TICKS <= u.offset <= 1.0 * TICKS  # the speech starts after 0.7 s of silence
    assert u.offset + u.duration <= len(clip) / 16_000 * TICKS
    assert 0 < u.confidence <= 1
    assert [w.offset for w in u.words] == sorted(w.offset for w in u.words)
    assert all(0 <= w.confidence <= 1 for w in u.words)
    assert phrase.locale == "en-US" and stream.speech_heard


def test_three_utterances_are_three_phrases_in_order_at_their_times(recognizers):
    texts = SENTENCES[1:4]
    starts, parts, position = [], [silence(0.5)], 0.5
    for text in texts:
        spoken = speak(text)
        starts.append(position)
        parts += [spoken, silence(1.2)]
        position += len(spoken) / 16_000 + 1.2
    events, _ = _run(recognize_clip(as_float(np.concatenate(parts)), recognizers.choose("en-US"), direct,
                                    recognizers, single=False))
    phrases = _phrases(events)
    assert len(phrases) == 3, [p.utterance.display for p in phrases]
    for phrase, start, text in zip(phrases, starts, texts, strict=True):
        assert abs(phrase.offset / TICKS - start) < 0.4, (phrase.offset, start)
        edits, total = word_errors(text, phrase.utterance.display)
        assert edits / total <= 0.5, phrase.utterance.display
    assert phrases[0].offset + phrases[0].duration < phrases[1].offset


def test_silence_gives_no_phrase_and_no_speech(recognizers):
    events, stream = _run(recognize_clip(np.zeros(3 * 16_000, np.float32), recognizers.choose("en-US"), direct,
                                         recognizers, single=False))
    assert events == [] and not stream.speech_heard


def test_recognize_once_stops_after_the_first_phrase_and_times_out_on_initial_silence(recognizers):
    two = as_float(utterances(SENTENCES[4:6]))
    events, _ = _run(recognize_clip(two, recognizers.choose("en-US"), direct, recognizers, single=True))
    assert len(_phrases(events)) == 1

    async def stream_it(audio, **options):
        stream = StreamRecognition(recognizers.choose("en-US"), direct, recognizers, single=True, **options)
        out = []
        for start in range(0, len(audio), 1600):
            out += await stream.feed(audio[start:start + 1600])
            if stream.done:
                break
        return out + await stream.finish()

    late = as_float(np.concatenate([silence(6.0), speak(SENTENCES[0])]))
    events = _run(stream_it(late, initial_silence_ms=5000))
    assert [e.kind for e in events] == ["silence"]
    assert events[0].duration == 5 * TICKS


def test_partial_hypotheses_grow_while_audio_streams_in(recognizers):
    """Streamed at its pace (the recognizer keeps up), a long utterance gets hypotheses before its phrase."""
    speech = as_float(np.concatenate([silence(0.3), speak(" ".join(SENTENCES[6:8]), speed=150), silence(1.0)]))

    async def stream_it():
        stream = StreamRecognition(recognizers.choose("en-US"), direct, recognizers, hypothesis_ms=700)
        out = []
        for start in range(0, len(speech), 1600):
            out += await stream.feed(speech[start:start + 1600], caught_up=True)
        return out + await stream.finish()

    events = _run(stream_it())
    kinds = [e.kind for e in events]
    assert kinds[0] == "started" and "phrase" in kinds
    hypotheses = [e for e in events if e.kind == "hypothesis"]
    assert len(hypotheses) >= 2, kinds
    assert kinds.index("hypothesis") < kinds.index("phrase")
    phrase = next(e for e in events if e.kind == "phrase")
    assert all(h.offset == hypotheses[0].offset for h in hypotheses)
    assert [h.duration for h in hypotheses] == sorted(h.duration for h in hypotheses)
    assert abs(hypotheses[0].offset - phrase.offset) < 0.1 * TICKS
    assert all(h.text == h.text.lower() for h in hypotheses)


def test_german_is_identified_among_candidates_with_the_multilingual_model(recognizers):
    clip = as_float(np.concatenate([silence(0.3), speak(GERMAN, voice="de"), silence(0.5)]))
    choice = recognizers.choose(None, ("en-US", "de-DE"))
    assert choice.recognizer.model_name == "base"
    events, _ = _run(recognize_clip(clip, choice, direct, recognizers, single=False))
    phrases = _phrases(events)
    assert phrases and all(p.locale == "de-DE" for p in phrases)
    text = " ".join(p.utterance.display for p in phrases).lower()
    assert "guten morgen" in text and "heute" in text
    assert phrases[0].utterance.language_confidence > 0.5


def test_languages_a_server_cannot_serve(recognizers):
    english_only = Recognizers(SpeechSettings(multilingual_model="none"), workers=1)
    with pytest.raises(UnsupportedLanguage, match="English only"):
        english_only.choose("de-DE")
    with pytest.raises(UnsupportedLanguage, match="multilingual model"):
        english_only.choose(None, ("en-US", "fr-FR"))
    with pytest.raises(UnsupportedLanguage, match="xx-XX"):
        recognizers.choose("xx-XX")
    assert recognizers.choose("en-GB").recognizer is recognizers.primary
    assert recognizers.choose("fr-FR").code == "fr"


def test_models_load_from_their_packages_without_the_hub(monkeypatch):
    """Offline by construction: faster-whisper gets a folder or file contents, never a model name."""
    import faster_whisper.transcribe
    import huggingface_hub
    import tokenizers

    def no_network(*args, **kwargs):
        raise AssertionError(f"tried to download a model: {args} {kwargs}")

    monkeypatch.setattr(faster_whisper.transcribe, "download_model", no_network)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", no_network)
    monkeypatch.setattr(tokenizers.Tokenizer, "from_pretrained", no_network)
    for name in ("tiny.en", "base"):
        recognizer = WhisperRecognizer(name, threads=1)
        recognizer.load()
        assert recognizer.ready and recognizer.multilingual == (name == "base")
        assert stt_models.locate(name).name == name
        recognizer.close()
