"""The official azure-cognitiveservices-vision-computervision SDK (Read 3.2), unchanged."""

from __future__ import annotations

import io
import time

import httpx
import pytest
from azure.cognitiveservices.vision.computervision import ComputerVisionClient
from azure.cognitiveservices.vision.computervision.models import ComputerVisionOcrErrorException, OperationStatusCodes
from msrest.authentication import CognitiveServicesCredentials

from tests.support.contract import validate_definition
from tests.support.server import ServerProcess
from tests.vision.pages import LINES, encode, printed, text_pdf, tiff

OCR_SPEC = "specification/cognitiveservices/data-plane/ComputerVision/stable/v3.2/Ocr.json"


@pytest.fixture()
def client(vision_server):
    return ComputerVisionClient(vision_server.url, CognitiveServicesCredentials("unused"))


def poll(client, operation_id: str, limit: float = 120):
    deadline = time.monotonic() + limit
    while True:
        result = client.get_read_result(operation_id)
        if result.status not in (OperationStatusCodes.not_started, OperationStatusCodes.running):
            return result
        assert time.monotonic() < deadline, "read operation did not finish"
        time.sleep(0.2)


def test_read_in_stream_then_poll(client):
    raw = client.read_in_stream(io.BytesIO(encode(printed(LINES[:3]), "PNG")), raw=True)
    location = raw.headers["Operation-Location"]
    assert "/vision/v3.2/read/analyzeResults/" in location
    result = poll(client, location.rsplit("/", 1)[1])
    assert result.status == OperationStatusCodes.succeeded
    [page] = result.analyze_result.read_results
    assert [line.text for line in page.lines] == LINES[:3]
    assert page.unit == "pixel" and len(page.lines[0].bounding_box) == 8


def test_multipage_tiff_page_selection_and_pdf(client):
    raw = client.read_in_stream(io.BytesIO(tiff([printed([line]) for line in LINES[:3]])), pages=["2-3"], raw=True)
    result = poll(client, raw.headers["Operation-Location"].rsplit("/", 1)[1])
    assert [p.page for p in result.analyze_result.read_results] == [2, 3]
    raw = client.read_in_stream(io.BytesIO(text_pdf([LINES])), raw=True)
    result = poll(client, raw.headers["Operation-Location"].rsplit("/", 1)[1])
    [page] = result.analyze_result.read_results
    assert page.unit == "inch" and [line.text for line in page.lines] == LINES


def test_corrupt_file_is_refused_at_submit(client):
    with pytest.raises(ComputerVisionOcrErrorException) as caught:
        client.read_in_stream(io.BytesIO(b"\xff\xd8\xff broken jpeg"))
    # The SDK models this error flat; the service (and we) send the {"error": {...}} envelope.
    assert caught.value.response.status_code == 400
    assert caught.value.response.json()["error"]["code"] == "InvalidImageFormat"


def test_operations_path_and_contract(vision_server):
    r = httpx.post(f"{vision_server.url}/vision/v3.2/read/analyze", content=encode(printed(LINES[:1]), "PNG"),
                   headers={"Content-Type": "application/octet-stream"})
    assert r.status_code == 202 and r.content == b""
    operation = r.headers["Operation-Location"].rsplit("/", 1)[1]
    deadline = time.monotonic() + 120
    while True:
        body = httpx.get(f"{vision_server.url}/vision/v3.2/read/operations/{operation}").json()
        validate_definition(OCR_SPEC, "ReadOperationResult", body)
        if body["status"] == "succeeded":
            break
        assert body["status"] in ("notStarted", "running") and time.monotonic() < deadline
        time.sleep(0.2)
    assert body["analyzeResult"]["readResults"][0]["lines"][0]["text"] == LINES[0]
    missing = httpx.get(f"{vision_server.url}/vision/v3.2/read/analyzeResults/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "NotFound"


def test_an_accepted_read_survives_kill_9(tmp_path):
    """Submitted to one server that dies at once; a restarted server on the same folders answers it."""
    output, shared = tmp_path / "output", tmp_path / "shared"
    output.mkdir()
    shared.mkdir()
    settings = ["Services=vision", f"Mounts:Shared={shared}"]
    first = ServerProcess(settings=settings, output_dir=output).start()
    try:
        pages = tiff([printed(LINES)] * 6)  # a few seconds of OCR: the kill lands before it ends
        r = httpx.post(f"{first.url}/vision/v3.2/read/analyze", content=pages,
                       headers={"Content-Type": "application/octet-stream"}, timeout=60)
        assert r.status_code == 202
    finally:
        first.kill()
    operation = r.headers["Operation-Location"].rsplit("/", 1)[1]
    with ServerProcess(settings=settings, output_dir=output) as second:
        deadline = time.monotonic() + 180
        while True:
            body = httpx.get(f"{second.url}/vision/v3.2/read/analyzeResults/{operation}").json()
            if body["status"] == "succeeded":
                break
            assert body["status"] in ("notStarted", "running") and time.monotonic() < deadline, body
            time.sleep(0.5)
        assert len(body["analyzeResult"]["readResults"]) == 6
        report = httpx.get(f"{second.url}/records/usage-logs").json()
        billed = sum(m["quantity"] for m in report["meters"])
        assert billed >= 6  # at least once, never unbilled
    assert not list((shared / "jobs" / "blobs").iterdir())  # the upload is gone once read
