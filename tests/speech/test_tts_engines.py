"""Text to speech engines without HTTP: the espeak-ng process, Piper, Flite, text splitting, output
formats, the voice catalogue and mounted voices."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from airgap.services.speech import formats, voices
from airgap.services.speech.engines.tts_espeak import EspeakClient, EspeakVoice
from airgap.services.speech.engines.tts_flite import FliteVoice
from airgap.services.speech.engines.tts_piper import PiperFiles, PiperVoice
from airgap.services.speech.engines.tts_text import clauses, sentences
from airgap.services.speech.engines.tts_types import Prosody, SynthesisError, WordTime, transfer_words
from airgap.services.speech.tts import TextToSpeech, bundled_piper_models
from airgap.services.speech.tts_settings import TtsSettings
from tests.speech.tts_support import copy_voice, decode, espeak, espeak_url, rms  # noqa: F401 - fixtures

TEXT = "Hello world, this is a test of the voice."


# -- text ------------------------------------------------------------------------------------------

def test_sentences_keep_offsets_and_abbreviations():
    text = "Dr. Smith paid 3.5 dollars.  Hello, world! How are you? See example.com today"
    found = sentences(text)
    assert [s for _, s in found] == ["Dr. Smith paid 3.5 dollars.", "Hello, world!", "How are you?",
                                     "See example.com today"]
    assert all(text[start:start + len(s)] == s for start, s in found)


def test_long_sentences_are_cut_at_clauses():
    text = ", ".join(["this is one part of a very long sentence"] * 30) + "."
    found = sentences(text)
    assert len(found) > 1 and all(len(s) <= 400 for _, s in found)
    assert all(text[start:start + len(s)] == s for start, s in found)


def test_clauses_keep_their_punctuation():
    assert clauses("Hello, world; how are you?") == [("Hello", ","), ("world", ";"), ("how are you", "?")]
    assert clauses("no end") == [("no end", "")]


# -- espeak-ng process ------------------------------------------------------------------------------

def test_espeak_process_gives_ipa_phonemes(espeak: EspeakClient):
    assert espeak.phonemes("en-us", ["Hello world", "this is a test"]) == ["həlˈoʊ wˈɜːld", "ðɪs ɪz ɐ tˈɛst"]
    # Piper configs name voices by language (fr-fr), which espeak-ng selects by properties.
    assert espeak.phonemes("fr-fr", ["Bonjour"])[0].startswith("bɔ̃ʒ")


def test_espeak_words_count_code_points(espeak: EspeakClient):
    text = "Grüße aus Köln, schön!"
    pcm, rate, words = espeak.speak("de", text)
    assert rate == 22050 and len(pcm) > rate // 2
    assert [text[s:s + n] for s, n, _ in words] == ["Grüße", "aus", "Köln", "schön"]
    assert [sample for _, _, sample in words] == sorted(sample for _, _, sample in words)


def test_espeak_process_lists_its_voices(espeak: EspeakClient):
    found = {v["identifier"]: v for v in espeak.voices()}
    assert len(found) > 100
    assert "en-us" in found["gmw/en-US"]["languages"] and "fr-fr" in found["roa/fr"]["languages"]


def test_espeak_unknown_voice_is_an_error(espeak: EspeakClient):
    with pytest.raises(SynthesisError, match="no voice"):
        espeak.speak("xx-zz", "hello")


def test_espeak_voice_prosody(espeak: EspeakClient):
    voice = EspeakVoice(espeak, "roa/fr+f3")
    normal = voice.synthesize("Bonjour à tous, comment allez-vous?", Prosody())
    slow = voice.synthesize("Bonjour à tous, comment allez-vous?", Prosody(rate=0.5))
    assert slow.seconds > normal.seconds * 1.5
    assert rms(normal.pcm / 32768) > 0.01


# -- Piper and Flite -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def piper(espeak: EspeakClient) -> PiperVoice:
    voice = PiperVoice(PiperFiles.read(bundled_piper_models()[0]), espeak)
    voice.load()
    return voice


def test_piper_speaks_a_sentence(piper: PiperVoice):
    audio = piper.synthesize(TEXT, Prosody())
    assert audio.sample_rate == 22050
    assert 1.5 < audio.seconds < 5  # nine words
    assert rms(audio.pcm / 32768) > 0.02
    spoken = [TEXT[w.start:w.start + w.length] for w in audio.words]
    assert spoken == ["Hello", "world", "this", "is", "a", "test", "of", "the", "voice"]
    starts = [w.sample for w in audio.words]
    assert starts == sorted(starts) and starts[-1] < len(audio.pcm)


def test_piper_rate_and_phonemes(piper: PiperVoice):
    normal = piper.synthesize(TEXT, Prosody())
    fast = piper.synthesize(TEXT, Prosody(rate=2.0))
    assert fast.seconds < normal.seconds * 0.7
    assert "," in piper.phonemes("Hello, world.")  # clause punctuation reaches the model
    given = piper.synthesize("tomato", Prosody(), phonemes="təmˈɑːtoʊ")
    assert given.seconds > 0.2 and [(w.start, w.length) for w in given.words] == [(0, 6)]


def test_piper_files_and_broken_voices(tmp_path: Path):
    files = PiperFiles.read(bundled_piper_models()[0])
    assert (files.locale, files.dataset, files.sample_rate, files.espeak_voice) == ("en-US", "joe", 22050, "en-us")
    lonely = tmp_path / "a.onnx"
    lonely.write_bytes(b"not a model")
    with pytest.raises(SynthesisError, match="no a.onnx.json"):
        PiperFiles.read(lonely)
    (tmp_path / "a.onnx.json").write_text("{}")
    with pytest.raises(SynthesisError, match="not a Piper voice config"):
        PiperFiles.read(lonely)


def test_flite_voice(espeak: EspeakClient):
    audio = FliteVoice("slt", espeak).synthesize(TEXT, Prosody())
    assert audio.sample_rate == 16000 and 1.5 < audio.seconds < 5 and rms(audio.pcm / 32768) > 0.02
    assert len(audio.words) == 9


def test_transfer_words_scales_to_the_speech():
    reference = np.zeros(1000, dtype=np.int16)
    reference[100:900] = 10000
    target = np.zeros(2000, dtype=np.int16)
    target[200:1800] = 10000
    words = transfer_words([(0, 5, 100), (6, 5, 500)], reference, target)
    assert words == [WordTime(0, 5, 200, 800), WordTime(6, 5, 1000, 800)]


# -- formats ------------------------------------------------------------------------------------------

def tone(rate: int, seconds: float = 1.0) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return (np.sin(2 * np.pi * 440 * t) * 8000).astype(np.int16)


@pytest.mark.parametrize("name", sorted(f.name for f in formats.FORMATS.values()))
def test_every_format_encodes_streaming(name: str):
    fmt = formats.lookup(name)
    pcm = tone(fmt.sample_rate)
    encoder = formats.Encoder(fmt)
    data = b"".join(encoder.feed(pcm[i:i + 2000]) for i in range(0, len(pcm), 2000)) + encoder.finish()
    if fmt.container == "raw":
        assert len(data) == len(pcm) * (2 if fmt.pcm else 1)
        return
    samples, rate = decode(data)
    assert abs(len(samples) / rate - 1.0) < 0.1, name
    assert rms(samples) > 0.05


def test_format_names_and_unsupported_ones():
    assert formats.lookup(None).name == "riff-16khz-16bit-mono-pcm"
    assert formats.lookup("RIFF-24KHZ-16BIT-MONO-PCM").sample_rate == 24000
    assert formats.lookup("raw-22050hz-16bit-mono-pcm").sample_rate == 22050
    assert formats.lookup("audio-48khz-192kbitrate-mono-mp3").bitrate == 192000
    for bad in ("amr-wb-16000hz", "raw-16khz-16bit-mono-truesilk", "wav"):
        with pytest.raises(formats.UnsupportedFormat, match="not supported"):
            formats.lookup(bad)


def test_whole_riff_has_its_sizes():
    data = formats.encode(formats.lookup("riff-8khz-8bit-mono-mulaw"), tone(8000))
    assert data[:4] == b"RIFF" and int.from_bytes(data[40:44], "little") == 8000
    samples, rate = decode(data)
    assert rate == 8000 and len(samples) == 8000


def test_resample_keeps_the_duration():
    assert len(formats.resample(tone(22050), 22050, 16000)) == pytest.approx(16000, abs=32)
    assert len(formats.resample(tone(16000), 16000, 48000)) == pytest.approx(48000, abs=64)


# -- catalogue ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def catalogue(espeak_url: str, tmp_path_factory: pytest.TempPathFactory) -> voices.Catalogue:
    folder = tmp_path_factory.mktemp("voices")
    copy_voice(folder, "usb")
    (folder / "broken.onnx").write_bytes(b"x")  # no config: skipped with a warning
    tts = TextToSpeech(TtsSettings(voices_folder=folder), lambda: espeak_url)
    tts.load()
    assert tts.ready
    return tts.catalogue


def test_catalogue_lists_azure_fields(catalogue: voices.Catalogue):
    listing = catalogue.listing()
    joe = next(v for v in listing if v["ShortName"] == "en-US-JoeNeural")
    assert joe == {"Name": "Microsoft Server Speech Text to Speech Voice (en-US, JoeNeural)", "DisplayName": "Joe",
                   "LocalName": "Joe", "ShortName": "en-US-JoeNeural", "Gender": "Male", "Locale": "en-US",
                   "LocaleName": "English (United States)", "SampleRateHertz": "22050", "VoiceType": "Neural",
                   "Status": "GA"}
    assert all(isinstance(v["SampleRateHertz"], str) for v in listing)
    locales = {v["Locale"] for v in listing}
    assert {"en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "es-MX", "pt-BR", "zh-CN", "ja-JP"} <= locales
    assert len(locales) > 80


def test_mounted_voice_is_listed_and_speaks(catalogue: voices.Catalogue):
    usb = catalogue.resolve("en-US-UsbNeural")
    assert usb.engine == voices.PIPER and usb.voice_type == "Neural"
    audio = usb.get().synthesize("A voice from a stick.", Prosody())
    assert audio.seconds > 0.5 and rms(audio.pcm / 32768) > 0.02


@pytest.mark.parametrize(("name", "expected"), [
    ("en-US-JoeNeural", "en-US-JoeNeural"),
    ("en-us-joeneural", "en-US-JoeNeural"),
    ("Microsoft Server Speech Text to Speech Voice (en-US, JoeNeural)", "en-US-JoeNeural"),
    ("en-US-GuyNeural", "en-US-JoeNeural"),          # male: the neural voice
    ("en-US-JennyNeural", "en-US-SltFlite"),          # female: the best female voice
    ("en-US-AvaMultilingualNeural", "en-US-SltFlite"),
    ("en-US-SomebodyNeural", "en-US-JoeNeural"),      # unknown gender: the best voice of the locale
    ("en-AU-NatashaNeural", "en-US-SltFlite"),        # no en-AU voice: the language's main region
    ("en-GB-RyanNeural", "en-GB-AwbFlite"),
    ("de-DE-KatjaNeural", "de-DE-EspeakFemale"),
    ("de-DE-ConradNeural", "de-DE-EspeakMale"),
    ("fr-CA-SylvieNeural", "fr-FR-EspeakFemale"),
    ("zh-CN-XiaoxiaoNeural", "zh-CN-EspeakFemale"),
])
def test_azure_names_map_by_locale_and_gender(catalogue: voices.Catalogue, name: str, expected: str):
    assert catalogue.resolve(name).short_name == expected


def test_default_voice_and_unknown_voices(catalogue: voices.Catalogue):
    assert catalogue.resolve(None, "en-US").short_name == "en-US-JoeNeural"
    assert catalogue.resolve(None, "de-de").locale == "de-DE"
    with pytest.raises(voices.UnknownVoice, match="no voice here speaks xx-YY"):
        catalogue.resolve("xx-YY-FooNeural")
    with pytest.raises(voices.UnknownVoice, match="not a listed voice"):
        catalogue.resolve("Bob")


def test_espeak_voices_of_other_languages_speak(catalogue: voices.Catalogue):
    for name in ("es-MX-DaliaNeural", "pt-BR-FranciscaNeural", "fr-FR-HenriNeural"):
        audio = catalogue.resolve(name).get().synthesize("Uno dos tres, bonjour.", Prosody())
        assert audio.seconds > 0.5 and rms(audio.pcm / 32768) > 0.01, name


def test_multilingual_names_follow_the_script_of_the_text(catalogue: voices.Catalogue):
    ava = catalogue.resolve("en-US-AvaMultilingualNeural")
    assert catalogue.for_text(ava, "en-US-AvaMultilingualNeural", "你好，世界").short_name == "zh-CN-EspeakFemale"
    assert catalogue.for_text(ava, "en-US-AvaMultilingualNeural", "こんにちは世界").locale == "ja-JP"
    assert catalogue.for_text(ava, "en-US-AvaMultilingualNeural", "Привет, мир").locale == "ru-RU"
    assert catalogue.for_text(ava, "en-US-AvaMultilingualNeural", "Hello there") is ava
    jenny = catalogue.resolve("en-US-JennyNeural")  # not multilingual: speaks what it is given
    assert catalogue.for_text(jenny, "en-US-JennyNeural", "你好") is jenny
