"""Custom Speech: a CTranslate2 Whisper folder in ``Mounts:Models`` chosen by endpoint id (the SDK's
``SpeechConfig.endpoint_id`` -> ``cid=``, REST ``cid=``) or by ``ModelId``.

The "custom" model is the bundled tiny.en folder copied under a new id, as a user's converted
fine-tune would be mounted: its results are tiny.en's, so the server log is what shows which model
served (billing is the same audio seconds whichever model it is).
"""

from __future__ import annotations

import asyncio
import gc
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from airgap.services.speech.custom_models import CustomModelError, CustomModels
from airgap.services.speech.engines import stt_models
from airgap.services.speech.recognition import Recognizers, UnsupportedLanguage
from airgap.services.speech.settings import SpeechSettings
from tests.speech.conftest import billed_seconds, direct, speech_server_process
from tests.support.server import ServerProcess

CLIP = Path(__file__).resolve().parents[1] / "data" / "speech_en.wav"  # 16 kHz, Flite
SAID = "understood every word"
MODEL = "acme-callcenter-en"
PATH = "/speech/recognition/conversation/cognitiveservices/v1"
WAV = {"Content-Type": "audio/wav; codecs=audio/pcm; samplerate=16000"}


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Mounts:Models: the packaged tiny.en copied as a custom model, the converter's ``model/`` layout,
    a folder whose weights are garbage, and one that is not a model at all."""
    root = tmp_path_factory.mktemp("models")
    bundled = stt_models.locate("tiny.en").path
    assert bundled is not None
    shutil.copytree(bundled, root / MODEL)
    (root / "nested" / "model").mkdir(parents=True)
    for part in bundled.iterdir():  # the same files again, linked: only the layout is under test
        (root / "nested" / "model" / part.name).symlink_to(part)
    broken = root / "broken"
    broken.mkdir()
    for part in ("config.json", "tokenizer.json", "vocabulary.txt"):
        shutil.copy(bundled / part, broken / part)
    (broken / "model.bin").write_bytes(b"not a CTranslate2 model" * 100)
    (root / "notes").mkdir()
    (root / "notes" / "README.txt").write_text("not a model", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def custom_server(tmp_path_factory: pytest.TempPathFactory, models: Path) -> Iterator[ServerProcess]:
    with speech_server_process(tmp_path_factory, "speech-custom", [f"Mounts:Models={models}"]) as server:
        yield server


def custom_server_models(server: ServerProcess) -> str:
    setting = next(t for t in server.settings if t.startswith("Mounts:Models="))
    return setting.split("=", 1)[1]


def _log(server: ServerProcess) -> str:
    assert server.log_path is not None
    return server.log_path.read_text(errors="replace")


def _served(server: ServerProcess, what: str, model: str) -> int:
    """Turns (websocket) or requests (REST) the server log says this custom model served."""
    return sum(1 for line in _log(server).splitlines()
               if f"Speech to text {what} " in line and f"served by custom model {model} (" in line)


def _rest(server: ServerProcess, **query: str) -> httpx.Response:
    return httpx.post(f"{server.url}{PATH}", params={"language": "en-US", **query}, content=CLIP.read_bytes(),
                      headers=WAV, timeout=120)


@pytest.mark.sdk
def test_sdk_endpoint_id_selects_the_custom_model(custom_server):
    from tests.speech.sdk import speechsdk

    config = speechsdk.SpeechConfig(host=f"ws://127.0.0.1:{custom_server.port}")
    config.endpoint_id = MODEL
    recognizer = speechsdk.SpeechRecognizer(speech_config=config, language="en-US",
                                            audio_config=speechsdk.audio.AudioConfig(filename=str(CLIP)))
    served = _served(custom_server, "turn", MODEL)
    result = recognizer.recognize_once()
    del recognizer
    gc.collect()
    assert result.reason == speechsdk.ResultReason.RecognizedSpeech, result.cancellation_details
    assert SAID in result.text.lower()
    assert _served(custom_server, "turn", MODEL) == served + 1


@pytest.mark.sdk
def test_sdk_unknown_endpoint_id_cancels_with_the_reason(custom_server):
    from tests.speech.sdk import speechsdk

    config = speechsdk.SpeechConfig(host=f"ws://127.0.0.1:{custom_server.port}")
    config.endpoint_id = "no-such-model"
    recognizer = speechsdk.SpeechRecognizer(speech_config=config, language="en-US",
                                            audio_config=speechsdk.audio.AudioConfig(filename=str(CLIP)))
    result = recognizer.recognize_once()
    del recognizer
    gc.collect()
    assert result.reason == speechsdk.ResultReason.Canceled
    details = result.cancellation_details.error_details
    assert "no-such-model" in details and "not found" in details, details
    assert custom_server_models(custom_server) in details, details


def test_rest_cid_selects_the_custom_model_and_bills_audio_seconds(custom_server):
    before, served = billed_seconds(custom_server), _served(custom_server, "request", MODEL)
    response = _rest(custom_server, cid=MODEL)
    assert response.status_code == 200, response.text
    assert SAID in response.json()["DisplayText"].lower()
    assert _served(custom_server, "request", MODEL) == served + 1
    seconds = (CLIP.stat().st_size - 44) / 32_000
    assert billed_seconds(custom_server) - before == pytest.approx(seconds, abs=0.01)


def test_rest_model_folder_layout_with_a_model_subfolder(custom_server):
    response = _rest(custom_server, cid="nested")
    assert response.status_code == 200, response.text
    assert SAID in response.json()["DisplayText"].lower()
    assert _served(custom_server, "request", "nested") == 1
    assert f"Loading custom speech model nested from {Path(custom_server_models(custom_server)) / 'nested' / 'model'}" \
        in _log(custom_server)


@pytest.mark.parametrize(("cid", "words"), [
    ("no-such-model", ["'no-such-model' not found in", "(Mounts:Models)"]),
    ("notes", ["is not a CTranslate2 Whisper model", "no model.bin, config.json, tokenizer.json, vocabulary.txt"]),
    ("broken", ["could not be loaded"]),
    ("..", ["is not valid"]),
])
def test_rest_bad_cid_is_a_400_envelope_with_the_reason(custom_server, cid, words):
    response = _rest(custom_server, cid=cid)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "InvalidArgument"
    assert all(w in error["message"] for w in words), error["message"]
    if cid != "..":
        assert custom_server_models(custom_server) in error["message"], error["message"]


def test_requests_without_cid_keep_the_bundled_model(custom_server):
    served = _log(custom_server).count("served by custom model")
    response = _rest(custom_server)
    assert response.status_code == 200, response.text
    assert SAID in response.json()["DisplayText"].lower()
    assert _log(custom_server).count("served by custom model") == served
    assert "Traceback" not in _log(custom_server)


# -- selection logic, in process (ModelId without a second server) -----------------------------------

def _resolve(custom: CustomModels, model_id: str | None):
    return asyncio.run(custom.resolve(model_id, direct))


def test_model_id_setting_is_the_default_and_cid_still_wins(models):
    custom = CustomModels(models, SpeechSettings(model_id=MODEL), workers=1)
    default = _resolve(custom, None)
    assert default is not None and default.id == MODEL and default.folder == models / MODEL
    assert default.recognizer.ready and not default.recognizer.multilingual  # a .en model: English only
    assert _resolve(custom, "") is default  # loaded once
    nested = _resolve(custom, "nested")
    assert nested is not None and nested.id == "nested" and nested.folder == models / "nested" / "model"
    assert _resolve(CustomModels(models, SpeechSettings(), workers=1), None) is None
    custom.close()


def test_model_id_is_loaded_with_the_server_and_a_broken_one_does_not_stop_it(models, caplog):
    custom = CustomModels(models, SpeechSettings(model_id=MODEL), workers=1)
    custom.load_default()  # what the engine's load() does at start
    assert _resolve(custom, None).recognizer.ready
    custom.close()
    broken = CustomModels(models, SpeechSettings(model_id="broken"), workers=1)
    broken.load_default()
    assert "ModelId=broken cannot serve" in caplog.text
    with pytest.raises(CustomModelError, match="could not be loaded"):
        _resolve(broken, None)


def test_without_mounts_models_a_cid_is_refused():
    with pytest.raises(CustomModelError, match="no Mounts:Models folder is set"):
        _resolve(CustomModels(None, SpeechSettings(), workers=1), MODEL)


def test_an_english_only_custom_model_refuses_other_languages(models):
    custom = CustomModels(models, SpeechSettings(), workers=1)
    model = _resolve(custom, MODEL)
    assert model is not None
    recognizers = Recognizers(SpeechSettings(), workers=1)  # bundled models are not loaded by choose()
    choice = recognizers.choose("en-GB", custom=model.recognizer)
    assert choice.recognizer is model.recognizer and choice.code == "en"
    with pytest.raises(UnsupportedLanguage, match=f"custom model {MODEL} is English only"):
        recognizers.choose("de-DE", custom=model.recognizer)
    with pytest.raises(UnsupportedLanguage, match="identification needs a multilingual model"):
        recognizers.choose(None, ("en-US", "de-DE"), custom=model.recognizer)
    custom.close()


def test_the_folder_says_whether_the_model_is_multilingual(models, tmp_path):
    assert not stt_models.custom(models / MODEL, MODEL).multilingual  # tiny.en: 51864 tokens
    multilingual = tmp_path / "multilingual"
    shutil.copytree(models / MODEL, multilingual, symlinks=True, ignore=shutil.ignore_patterns("model.bin"))
    (multilingual / "model.bin").symlink_to(models / MODEL / "model.bin")
    with (multilingual / "vocabulary.txt").open("a", encoding="utf-8") as vocabulary:
        vocabulary.write("<|extra|>\n")  # a multilingual Whisper's 51865th token
    assert stt_models.custom(multilingual, "multilingual").multilingual
