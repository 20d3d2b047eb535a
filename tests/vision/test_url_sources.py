"""url / urlSource files: fetched only from allowed hosts, within size and time limits,
through the four official SDKs, against a real server and a real local file server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from azure.ai.documentintelligence import DocumentIntelligenceClient
from azure.ai.documentintelligence.models import AnalyzeDocumentRequest
from azure.ai.formrecognizer import DocumentAnalysisClient
from azure.ai.vision.imageanalysis import ImageAnalysisClient
from azure.ai.vision.imageanalysis.models import VisualFeatures
from azure.cognitiveservices.vision.computervision import ComputerVisionClient
from azure.cognitiveservices.vision.computervision.models import (
    ComputerVisionOcrErrorException,
)
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import HttpResponseError
from msrest.authentication import CognitiveServicesCredentials

from tests.support.server import ServerProcess
from tests.vision.pages import LINES, encode, printed, text_pdf
from tests.vision.test_computervision_sdk import poll

MAX_FILE = 400_000
TIMEOUT = 2  # Http:UrlSourceTimeoutSeconds of the test server


class Files:
    """A plain HTTP file server on 127.0.0.1 in a thread: the "intranet host" the server may fetch from."""

    def __init__(self) -> None:
        self.png = encode(printed(LINES[:2]), "PNG")
        self.pdf = text_pdf([LINES[:3]])
        self.release = threading.Event()
        files = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                port = self.server.server_address[1]
                path = self.path
                if path in ("/page.png", "/doc.pdf"):
                    self._send(200, files.png if path == "/page.png" else files.pdf)
                elif path == "/redirect-here":
                    self._send(302, b"", {"Location": "/doc.pdf"})
                elif path == "/redirect-away":  # same server, but a host name that is not allowed
                    self._send(302, b"", {"Location": f"http://localhost:{port}/page.png"})
                elif path == "/large-declared":
                    self._send(200, b"\0" * (MAX_FILE + 1))
                elif path == "/large-streamed":  # no Content-Length: the size shows only while reading
                    self.send_response(200)
                    self.end_headers()
                    for _ in range(MAX_FILE // 65536 + 2):
                        self.wfile.write(b"\0" * 65536)
                elif path == "/slow":
                    self.send_response(200)
                    self.send_header("Content-Length", "100")
                    self.end_headers()
                    files.release.wait(TIMEOUT * 10)
                else:
                    self._send(404, b"not here")

            def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


@pytest.fixture(scope="module")
def files() -> Iterator[Files]:
    served = Files()
    served.thread.start()
    try:
        yield served
    finally:
        served.release.set()
        served.server.shutdown()
        served.server.server_close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("url-server")
    (folder / "output").mkdir()
    process = ServerProcess(settings=["Services=vision,document", "Http:UrlSourceHosts=127.0.0.1,*.example.invalid",
                                      f"Http:UrlSourceTimeoutSeconds={TIMEOUT}", f"Http:MaxFileBytes={MAX_FILE}"],
                            log_path=folder / "server.log", output_dir=folder / "output")
    process.start()
    try:
        yield process
    finally:
        process.stop()


def test_read_32_from_url(server, files):
    client = ComputerVisionClient(server.url, CognitiveServicesCredentials("unused"))
    raw = client.read(files.url("/page.png"), raw=True)
    result = poll(client, raw.headers["Operation-Location"].rsplit("/", 1)[1])
    assert [line.text for line in result.analyze_result.read_results[0].lines] == LINES[:2]


def test_image_analysis_from_url(server, files):
    with ImageAnalysisClient(server.url, AzureKeyCredential("unused")) as client:
        result = client.analyze_from_url(files.url("/page.png"), visual_features=[VisualFeatures.READ])
    assert [line.text for line in result.read.blocks[0].lines] == LINES[:2]


def test_form_recognizer_from_url_follows_a_same_host_redirect(server, files):
    client = DocumentAnalysisClient(server.url, AzureKeyCredential("unused"))
    result = client.begin_analyze_document_from_url("prebuilt-read", files.url("/redirect-here")).result()
    assert [line.content for line in result.pages[0].lines] == LINES[:3]
    assert result.pages[0].unit == "inch"


def test_document_intelligence_url_source(server, files):
    client = DocumentIntelligenceClient(server.url, AzureKeyCredential("unused"))
    result = client.begin_analyze_document("prebuilt-layout", AnalyzeDocumentRequest(url_source=files.url("/page.png"))
                                           ).result()
    assert [line.content for line in result.pages[0].lines] == LINES[:2]


REFUSED = [
    # (path or full URL, Read 3.2 code, Document Intelligence inner code, what the message says)
    ("http://localhost:{port}/page.png", "InvalidImageUrl", "InvalidContentSourceFormat", "not one this server"),
    ("ftp://127.0.0.1:{port}/page.png", "InvalidImageUrl", "InvalidContentSourceFormat", "http or https"),
    ("not a url", "InvalidImageUrl", "InvalidContentSourceFormat", "http or https"),
    ("/redirect-away", "InvalidImageUrl", "InvalidContentSourceFormat", "only within the same host"),
    ("/missing.png", "FailedToDownloadImage", "ContentSourceNotAccessible", "HTTP 404"),
    ("/slow", "FailedToDownloadImage", "ContentSourceNotAccessible", f"within {TIMEOUT} seconds"),
    ("http://files.example.invalid/page.png", "FailedToDownloadImage", "ContentSourceNotAccessible", "failed"),
    ("/large-declared", "InvalidImageSize", "InvalidContentDimensions", "larger than 400,000 bytes"),
    ("/large-streamed", "InvalidImageSize", "InvalidContentDimensions", "larger than 400,000 bytes"),
]


def _url(files: Files, given: str) -> str:
    return files.url(given) if given.startswith("/") else given.format(port=files.port)


@pytest.mark.parametrize(("given", "code", "_inner", "says"), REFUSED)
def test_read_32_refusals(server, files, given, code, _inner, says):
    client = ComputerVisionClient(server.url, CognitiveServicesCredentials("unused"))
    with pytest.raises(ComputerVisionOcrErrorException) as caught:
        client.read(_url(files, given))
    assert caught.value.response.status_code == 400
    body = caught.value.response.json()["error"]
    assert body["code"] == code and says in body["message"], body


@pytest.mark.parametrize(("given", "_code", "inner", "_says"), REFUSED)
def test_document_intelligence_refusals(server, files, given, _code, inner, _says):
    client = DocumentAnalysisClient(server.url, AzureKeyCredential("unused"))
    with pytest.raises(HttpResponseError) as caught:
        client.begin_analyze_document_from_url("prebuilt-read", _url(files, given))
    assert caught.value.status_code == 400
    body = json.loads(caught.value.response.text())["error"]
    assert (body["code"], body["innererror"]["code"]) == ("InvalidRequest", inner), body


def test_image_analysis_refusal_is_nested(server, files):
    with ImageAnalysisClient(server.url, AzureKeyCredential("unused")) as client, \
            pytest.raises(HttpResponseError) as caught:
        client.analyze_from_url(files.url("/missing.png"), visual_features=[VisualFeatures.READ])
    body = json.loads(caught.value.response.text())["error"]
    assert (body["code"], body["innererror"]["code"]) == ("InvalidRequest", "FailedToDownloadImage")


def test_url_sources_are_off_by_default(vision_server, files):
    # The shared vision server has no Http:UrlSourceHosts: even a reachable host is refused.
    r = httpx.post(f"{vision_server.url}/vision/v3.2/read/syncAnalyze", json={"url": files.url("/page.png")})
    assert r.status_code == 400
    error = r.json()["error"]
    assert error["code"] == "InvalidImageUrl" and "Http:UrlSourceHosts" in error["message"]

