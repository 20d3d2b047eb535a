"""Every bundled capability works with no network at all.

The server runs in a fresh network namespace whose only interface is loopback
(``unshare -n``), so a model download or any call home would fail. The client runs in
that same namespace (``nsenter --net``). The test is a table: one ``Row`` per bundled
capability; a new service adds its rows to ``ROWS``.
"""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.anomaly.series_data import example
from tests.support.server import ServerProcess

pytestmark = pytest.mark.offline

ROOT = Path(__file__).resolve().parents[2]
DETECTION_METER = "CognitiveServices.Language.Container.LanguageDetectionTextRecords"
READ_METER = "CognitiveServices.ComputerVision.Container.ReadPages"
DOCUMENT_READ_METER = "CognitiveServices.FormRecognizer.Container.ReadPages"
TRANSLATED_METER = "CognitiveServices.TextTranslation.Container.TranslatedCharacters"
OCR_TEXT = "Offline invoice 4471 paid in full"
SPEECH_METER = "CognitiveServices.SpeechServices.Container.SpeechToTextSeconds"
SPEECH_EN = (ROOT / "tests" / "data" / "speech_en.wav").read_bytes()  # 16 kHz, Flite
SPEECH_DE = (ROOT / "tests" / "data" / "speech_de.wav").read_bytes()  # 8 kHz, espeak-ng
CLU_PROJECT = json.loads((ROOT / "examples" / "conversations" / "HomeAutomation.json").read_text())
CLU_AUTHORING = "/language/authoring/analyze-conversations/projects/HomeAutomation"
CLU_API = "?api-version=2023-04-01"
TTS_METER = "CognitiveServices.SpeechServices.Container.NeuralTextToSpeechCharacters"
ANOMALY_METER = "CognitiveServices.AnomalyDetector.Container.Transactions"
TTS_TEXT = "Nothing here needs the network."
TTS_SSML = ('<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">'
            f'<voice name="en-US-JoeNeural">{TTS_TEXT}</voice></speak>').encode()


@dataclass(frozen=True)
class Row:
    service: str   # the bundled service it exercises, or "platform"
    name: str      # unique; the test id
    method: str
    path: str
    body: Any      # JSON, or bytes (sent as ``content_type``)
    check: Callable[[dict], None]  # gets {"status", "content_type", "json", "text", "bytes", "accepted"}
    poll: bool = False  # a long-running operation: check the final poll of its Operation-Location
    content_type: str = "application/octet-stream"


def _ok_json(result: dict) -> Any:
    assert result["status"] == 200, result["text"]
    assert result["content_type"].startswith("application/json"), result["content_type"]
    return result["json"]


def _detected(expected: str) -> Callable[[dict], None]:
    def check(result: dict) -> None:
        body = _ok_json(result)
        documents = body["results"]["documents"] if "kind" in body else body["documents"]
        assert [d["detectedLanguage"]["iso6391Name"] for d in documents] == [expected]
        assert body.get("errors", body.get("results", {}).get("errors")) == []
    return check


def _entities(expected: set[tuple[str, str]], redacted: str | None = None) -> Callable[[dict], None]:
    def check(result: dict) -> None:
        body = _ok_json(result)
        documents = body["results"]["documents"] if "kind" in body else body["documents"]
        assert {(e["text"], e["category"]) for e in documents[0]["entities"]} == expected
        if redacted is not None:
            assert documents[0]["redactedText"] == redacted
    return check


def _png(text: str) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (900, 120), 255)
    ImageDraw.Draw(image).text((30, 40), text, fill=0, font=ImageFont.load_default(size=36))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _read_text(expected: str) -> Callable[[dict], None]:
    def check(result: dict) -> None:
        body = _ok_json(result)
        lines = [line["text"] for block in body["readResult"]["blocks"] for line in block["lines"]]
        assert " ".join(lines).split() == expected.split(), lines
    return check


def _read_operation(expected: str) -> Callable[[dict], None]:
    """Read 3.2: 202, then ``analyzeResult.readResults[].lines``."""
    def check(result: dict) -> None:
        assert result["accepted"] == 202
        body = _ok_json(result)
        assert body["status"] == "succeeded", body
        lines = [line["text"] for page in body["analyzeResult"]["readResults"] for line in page["lines"]]
        assert " ".join(lines).split() == expected.split(), lines
    return check


def _document_content(expected: str) -> Callable[[dict], None]:
    """Form Recognizer / Document Intelligence: 202, then ``analyzeResult.content``."""
    def check(result: dict) -> None:
        assert result["accepted"] == 202
        body = _ok_json(result)
        assert body["status"] == "succeeded", body
        assert body["analyzeResult"]["content"].split() == expected.split()
    return check


def _translated(expected: list[str]) -> Callable[[dict], None]:
    def check(result: dict) -> None:
        body = _ok_json(result)
        items = body["value"] if isinstance(body, dict) else body
        assert [t["text"] for item in items for t in item["translations"]] == expected
    return check


def _transliterated(expected: str) -> Callable[[dict], None]:
    def check(result: dict) -> None:
        assert _ok_json(result) == [{"text": expected, "script": "Latn"}]
    return check


def _speech_rest(expected: str) -> Callable[[dict], None]:
    """Speech to text, REST for short audio (the German row loads the multilingual model on first use)."""
    def check(result: dict) -> None:
        body = _ok_json(result)
        assert body["RecognitionStatus"] == "Success", body
        assert expected in body["DisplayText"].lower(), body
    return check


def _speech_usp(expected: str) -> Callable[[dict], None]:
    """Speech to text over the SDK's websocket protocol (tests/support/netns_client.py speaks USP)."""
    def check(result: dict) -> None:
        assert result["status"] == 101, result["text"]
        frames = result["json"]["frames"]
        assert [f["path"] for f in frames][0] == "turn.start" and frames[-1]["path"] == "turn.end", frames
        phrases = [f["body"] for f in frames if f["path"] == "speech.phrase"]
        assert phrases[0]["RecognitionStatus"] == "Success" and expected in phrases[0]["DisplayText"].lower()
    return check


def _synthesised(result: dict) -> None:
    """Text to speech, REST: the Piper voice (its phonemes from the espeak-ng engine process) as WAV."""
    assert result["status"] == 200, result["text"]
    assert result["content_type"] == "audio/x-wav" and result["text"].startswith("RIFF")
    # 16 kHz 16-bit mono: a sentence of six words is more than half a second of audio
    assert result["bytes"] > 16_000, result["bytes"]


def _succeeded(result: dict) -> None:
    """A CLU authoring operation (import, train, deploy): 202, then a final poll that succeeded."""
    assert result["accepted"] == 202, result["text"]
    assert _ok_json(result)["status"] == "succeeded", result["json"]


def _clu_prediction(intent: str, entities: set[tuple[str, str]]) -> Callable[[dict], None]:
    def check(result: dict) -> None:
        prediction = _ok_json(result)["result"]["prediction"]
        assert prediction["topIntent"] == intent, prediction
        assert {(e["category"], e["text"]) for e in prediction["entities"]} >= entities, prediction
    return check


def _anomalies(period: int, anomalies: list[int]) -> Callable[[dict], None]:
    def check(result: dict) -> None:
        body = _ok_json(result)
        assert body["period"] == period, body
        assert [i for i, flagged in enumerate(body["isAnomaly"]) if flagged] == anomalies, body
    return check


def _ready(result: dict) -> None:
    assert _ok_json(result)["status"] == "ready"


def _openapi(result: dict) -> None:
    from openapi_spec_validator import validate

    doc = _ok_json(result)
    validate(doc)  # with every bundled service mounted, the document is still valid OpenAPI
    assert "/text/analytics/v3.1/languages" in doc["paths"]


def _status(result: dict) -> None:
    assert _ok_json(result)["apiStatus"] == "Valid"


def _usage(result: dict) -> None:
    body = _ok_json(result)
    reports = body if isinstance(body, list) else [body]
    language = next(r for r in reports if r["serviceName"] == "language")
    meters = {m["name"]: m["quantity"] for m in language["meters"]}
    assert meters[DETECTION_METER] == 3  # the three detection rows above, one text record each
    vision = next(r for r in reports if r["serviceName"] == "vision")
    assert {m["name"]: m["quantity"] for m in vision["meters"]}[READ_METER] == 2  # two vision rows, a page each
    speech = next(r for r in reports if r["serviceName"] == "speech")
    # the two REST rows bill their clips' seconds (3.375 + 3.173); the websocket row adds its own
    assert {m["name"]: m["quantity"] for m in speech["meters"]}[SPEECH_METER] >= 6.5
    assert {m["name"]: m["quantity"] for m in speech["meters"]}[TTS_METER] >= len(TTS_TEXT)
    document = next(r for r in reports if r["serviceName"] == "document")
    assert {m["name"]: m["quantity"] for m in document["meters"]}[DOCUMENT_READ_METER] == 1
    translator = next(r for r in reports if r["serviceName"] == "translator")
    # 17 + 17 characters translated, 6 transliterated
    assert {m["name"]: m["quantity"] for m in translator["meters"]}[TRANSLATED_METER] == 40
    anomaly = next(r for r in reports if r["serviceName"] == "anomaly")
    assert {m["name"]: m["quantity"] for m in anomaly["meters"]}[ANOMALY_METER] == 1  # 48 points: one thousand started


ROWS: list[Row] = [
    Row("language", "detect-v3.0", "POST", "/text/analytics/v3.0/languages",
        {"documents": [{"id": "1", "text": "Bonjour tout le monde, comment allez-vous ?"}]}, _detected("fr")),
    Row("language", "detect-v3.1", "POST", "/text/analytics/v3.1/languages",
        {"documents": [{"id": "1", "text": "Guten Morgen, wie geht es Ihnen heute?"}]}, _detected("de")),
    Row("language", "detect-2023-04-01", "POST", "/language/:analyze-text?api-version=2023-04-01",
        {"kind": "LanguageDetection",
         "analysisInput": {"documents": [{"id": "1", "text": "Buenos días, ¿cómo está usted hoy?"}]}},
        _detected("es")),
    # PII's e-mail recognizer uses tldextract, which would fetch the Public Suffix List online.
    Row("language", "entities-2023-04-01", "POST", "/language/:analyze-text?api-version=2023-04-01",
        {"kind": "EntityRecognition",
         "analysisInput": {"documents": [{"id": "1", "text": "Ada Lovelace lived in London; ada@example.com"}]}},
        _entities({("Ada Lovelace", "Person"), ("London", "Location"), ("ada@example.com", "Email")})),
    Row("language", "pii-v3.1", "POST", "/text/analytics/v3.1/entities/recognition/pii",
        {"documents": [{"id": "1", "text": "Mail ada@example.com, SSN 536-90-4399."}]},
        _entities({("ada@example.com", "Email"), ("536-90-4399", "USSocialSecurityNumber")},
                  "Mail ***************, SSN ***********.")),
    Row("vision", "read-imageanalysis-2023-10-01", "POST",
        "/computervision/imageanalysis:analyze?api-version=2023-10-01&features=read", _png(OCR_TEXT),
        _read_text(OCR_TEXT)),
    Row("vision", "read-3.2", "POST", "/vision/v3.2/read/analyze", _png(OCR_TEXT), _read_operation(OCR_TEXT),
        poll=True),
    Row("document", "prebuilt-read-2024-11-30", "POST",
        "/documentintelligence/documentModels/prebuilt-read:analyze?api-version=2024-11-30", _png(OCR_TEXT),
        _document_content(OCR_TEXT), poll=True),
    # Translator: Apertium in its own supervised process, transliteration data inside the wheels.
    Row("translator", "translate-3.0", "POST", "/translate?api-version=3.0&from=en&to=es",
        [{"text": "The house is red."}], _translated(["La casa es roja."])),
    Row("translator", "translate-2026-06-06-pivot", "POST", "/translate?api-version=2026-06-06",
        {"inputs": [{"text": "Le chat est noir.", "language": "fr", "targets": [{"language": "en"}]}]},
        _translated(["The cat is black."])),
    Row("translator", "transliterate-3.0", "POST",
        "/transliterate?api-version=3.0&language=ru&fromScript=Cyrl&toScript=Latn", [{"text": "Привет"}],
        _transliterated("Privet")),
    Row("speech", "stt-rest-en", "POST", "/speech/recognition/conversation/cognitiveservices/v1?language=en-US",
        SPEECH_EN, _speech_rest("understood every word")),
    Row("speech", "stt-rest-de-multilingual", "POST",
        "/speech/recognition/conversation/cognitiveservices/v1?language=de-DE", SPEECH_DE, _speech_rest("guten morgen")),
    Row("speech", "stt-usp-websocket", "USP", "/speech/recognition/interactive/cognitiveservices/v1?language=en-US",
        SPEECH_EN, _speech_usp("understood every word")),
    Row("speech", "tts-rest-neural", "POST", "/cognitiveservices/v1", TTS_SSML, _synthesised,
        content_type="application/ssml+xml"),
    # CLU: a project trained in the server's worker process from its export, then predicted.
    Row("conversations", "clu-import", "POST", f"{CLU_AUTHORING}/:import{CLU_API}", CLU_PROJECT, _succeeded,
        poll=True),
    Row("conversations", "clu-train", "POST", f"{CLU_AUTHORING}/:train{CLU_API}",
        {"modelLabel": "v1", "trainingMode": "standard"}, _succeeded, poll=True),
    Row("conversations", "clu-deploy", "PUT", f"{CLU_AUTHORING}/deployments/production{CLU_API}",
        {"trainedModelLabel": "v1"}, _succeeded, poll=True),
    Row("conversations", "clu-predict-2023-04-01", "POST", f"/language/:analyze-conversations{CLU_API}",
        {"kind": "Conversation",
         "analysisInput": {"conversationItem": {"id": "1", "participantId": "1", "text": "switch off the tv"}},
         "parameters": {"projectName": "HomeAutomation", "deploymentName": "production"}},
        _clu_prediction("TurnOff", {("Device", "tv")})),
    # Anomaly Detector: the spec's whole-series example (48 monthly points, a spike at index 25).
    Row("anomaly", "anomaly-entire-v1.1", "POST", "/anomalydetector/v1.1/timeseries/entire/detect",
        example("EntireDetect")[0], _anomalies(12, [25])),
    Row("platform", "ready", "GET", "/ready", None, _ready),
    Row("platform", "status", "GET", "/status", None, _status),
    Row("platform", "openapi", "GET", "/swagger/v1/swagger.json", None, _openapi),
    # Last: it counts what the rows above were billed.
    Row("platform", "usage-logs", "GET", "/records/usage-logs", None, _usage),
]


def _wire(body: Any, content_type: str) -> Any:
    if isinstance(body, bytes):
        return {"base64": base64.b64encode(body).decode(), "content_type": content_type}
    return body


def _namespaces_unavailable() -> str | None:
    if not shutil.which("unshare") or not shutil.which("nsenter"):
        return "unshare/nsenter (util-linux) are not installed"
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, text=True, timeout=30)
    if probe.returncode != 0:
        return f"cannot create a network namespace here (uid {os.geteuid()}): {probe.stderr.strip()}"
    return None


@pytest.fixture(scope="module")
def offline(tmp_path_factory) -> dict:
    reason = _namespaces_unavailable()
    if reason:
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("offline")
    # The new namespace's loopback starts down; bring it up, then become the server.
    server = ServerProcess(
        wrap=("unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "sh"),
        output_dir=folder / "output",
        log_path=folder / "server.log",
    )
    server.output_dir.mkdir()
    server.start(wait_ready=False)
    try:
        netns = f"/proc/{server.process.pid}/ns/net"
        # Right after the fork the process is still `unshare` in our namespace; wait until it
        # has made its own, or the checks below would look at the host's interfaces.
        deadline = time.monotonic() + 30
        while os.readlink(netns) == os.readlink("/proc/self/ns/net") and time.monotonic() < deadline:
            time.sleep(0.05)
        inside = ["nsenter", f"--net={netns}"]
        links = subprocess.run([*inside, "ip", "-o", "link"], capture_output=True, text=True, timeout=30)
        job = {"base_url": server.url, "ready_timeout": 300,
               "requests": [{"name": r.name, "method": r.method, "path": r.path, "body": _wire(r.body, r.content_type),
                             "poll": r.poll} for r in ROWS]}
        client = subprocess.run([*inside, sys.executable, "-m", "tests.support.netns_client"], cwd=ROOT,
                                input=json.dumps(job), capture_output=True, text=True, timeout=600)
        assert client.returncode == 0, client.stderr
        outcome = json.loads(client.stdout)
        outcome["links"] = links.stdout
        outcome["server_netns"] = os.readlink(netns)
        outcome["server_log"] = server.log_text
        return outcome
    finally:
        server.stop()


def test_server_ran_without_network(offline):
    assert offline["server_netns"] != os.readlink("/proc/self/ns/net")
    names = [line.split(":")[1].strip() for line in offline["links"].splitlines() if line.strip()]
    assert names == ["lo"], offline["links"]
    assert offline["outbound"] != "connected"
    assert offline["ready"], offline["server_log"]()


def test_every_bundled_service_has_a_row():
    from airgap.services.registry import BUNDLED

    assert set(BUNDLED) <= {row.service for row in ROWS}


@pytest.mark.parametrize("row", ROWS, ids=[r.name for r in ROWS])
def test_row(offline, row):
    assert offline["ready"], offline["server_log"]()
    result = offline["results"][row.name]
    row.check(result)
