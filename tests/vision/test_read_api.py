"""Read 3.2 ``syncAnalyze`` against a real server: formats, pages, PDFs, contract, bad input."""

from __future__ import annotations

import httpx
import pytest

from tests.support.contract import validate_definition
from tests.vision.pages import LINES, encode, printed, scanned_pdf, text_pdf, tiff, word_scores

OCR_SPEC = "specification/cognitiveservices/data-plane/ComputerVision/stable/v3.2/Ocr.json"
SYNC = "/vision/v3.2/read/syncAnalyze"
OCTET = {"Content-Type": "application/octet-stream"}


def read(server, data: bytes, query: str = "", headers=OCTET) -> httpx.Response:
    return httpx.post(f"{server.url}{SYNC}{query}", content=data, headers=headers, timeout=60)


def words_of(page: dict) -> list[str]:
    return [w["text"] for line in page["lines"] for w in line["words"]]


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "BMP"])
def test_image_formats_read_every_word(vision_server, fmt):
    r = read(vision_server, encode(printed(LINES[:3]), fmt))
    assert r.status_code == 200, r.text
    body = r.json()
    validate_definition(OCR_SPEC, "ReadOperationResult", body)
    assert body["status"] == "succeeded"
    [page] = body["analyzeResult"]["readResults"]
    assert page["unit"] == "pixel" and page["page"] == 1
    assert [line["text"] for line in page["lines"]] == LINES[:3]
    for line in page["lines"]:
        assert len(line["boundingBox"]) == 8
        assert all(0 < w["confidence"] <= 1 for w in line["words"])


def test_multipage_tiff_with_page_selection(vision_server):
    pages = [printed([line]) for line in LINES[:4]]
    r = read(vision_server, tiff(pages), "?pages=2,4")
    assert r.status_code == 200, r.text
    results = r.json()["analyzeResult"]["readResults"]
    assert [p["page"] for p in results] == [2, 4]
    assert [p["lines"][0]["text"] for p in results] == [LINES[1], LINES[3]]


def test_born_digital_pdf_uses_the_text_layer_in_inches(vision_server):
    r = read(vision_server, text_pdf([LINES[:2], LINES[2:]]))
    assert r.status_code == 200, r.text
    body = r.json()
    validate_definition(OCR_SPEC, "ReadOperationResult", body)
    first, second = body["analyzeResult"]["readResults"]
    assert (first["unit"], first["width"], first["height"]) == ("inch", 8.5, 11)
    assert [line["text"] for line in first["lines"]] == LINES[:2]
    assert [line["text"] for line in second["lines"]] == LINES[2:]
    # The text starts one inch from the left edge, one inch from the top (72 pt, 12 pt Helvetica).
    x, y = first["lines"][0]["boundingBox"][:2]
    assert 0.95 < x < 1.1 and 0.8 < y < 1.0
    assert all(w["confidence"] == 1.0 for w in first["lines"][0]["words"])


def test_scanned_pdf_is_read_by_ocr(vision_server):
    r = read(vision_server, scanned_pdf([printed(LINES[:2]), printed(LINES[2:4])]), "?pages=2")
    assert r.status_code == 200, r.text
    [page] = r.json()["analyzeResult"]["readResults"]
    assert page["page"] == 2 and page["unit"] == "inch"
    recall, precision = word_scores(" ".join(LINES[2:4]).split(), words_of(page))
    assert recall == 1.0 and precision == 1.0


def test_turned_page_reports_its_angle(vision_server):
    r = read(vision_server, encode(printed(LINES[:2]).rotate(90, expand=True, fillcolor=255), "PNG"))
    page = r.json()["analyzeResult"]["readResults"][0]
    assert page["angle"] == -90
    assert [line["text"] for line in page["lines"]] == LINES[:2]


def test_pages_are_metered(vision_server):
    before = _read_pages(vision_server)
    assert read(vision_server, tiff([printed([LINES[0]])] * 3)).status_code == 200
    assert read(vision_server, b"not an image").status_code == 400  # failures are not billed
    assert _read_pages(vision_server) == before + 3


def _read_pages(server) -> float:
    report = httpx.get(f"{server.url}/records/usage-logs").json()
    return sum(m["quantity"] for m in report["meters"]
               if m["name"] == "CognitiveServices.ComputerVision.Container.ReadPages")


png = encode(printed(LINES[:1]), "PNG")

BAD = [
    ("empty body", b"", "", OCTET, 400, "InvalidImage"),
    ("not an image", b"hello, world", "", OCTET, 400, "InvalidImageFormat"),
    ("truncated png", png[: len(png) // 2], "", OCTET, 400, "InvalidImageFormat"),
    ("corrupt pdf", b"%PDF-1.4\n garbage", "", OCTET, 400, "InvalidImageFormat"),
    ("too small", encode(printed(LINES[:1]).resize((40, 20)), "PNG"), "", OCTET, 400, "InvalidImageSize"),
    ("over the size limit", b"\x89PNG\r\n\x1a\n" + b"0" * 3_100_000, "", OCTET, 413, "InvalidImageSize"),
    ("wrong content type", png, "", {"Content-Type": "text/plain"}, 415, "UnsupportedMediaType"),
    ("url is refused offline", b'{"url": "https://example.com/a.png"}', "", {"Content-Type": "application/json"},
     400, "InvalidImageUrl"),
    ("bad json", b"{nope", "", {"Content-Type": "application/json"}, 400, "InvalidRequest"),
    ("bad page range", png, "?pages=3-1", OCTET, 400, "InvalidPageRange"),
    ("page beyond the document", png, "?pages=5", OCTET, 400, "InvalidPageRange"),
    ("unknown language", png, "?language=xx", OCTET, 400, "NotSupportedLanguage"),
    ("unknown reading order", png, "?readingOrder=sideways", OCTET, 400, "InvalidReadingOrder"),
    ("unknown model version", png, "?model-version=1999-01-01", OCTET, 400, "InvalidModel"),
]


@pytest.mark.parametrize("case", BAD, ids=[c[0] for c in BAD])
def test_bad_input_gets_the_vision_error_envelope(vision_server, case):
    _, data, query, headers, status, code = case
    r = read(vision_server, data, query, headers)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert error["code"] == code and len(error["message"]) > 20
    assert r.headers["x-ms-error-code"] == code
    validate_definition(OCR_SPEC, "ComputerVisionError", error)


def test_server_still_reads_after_bad_input(vision_server):
    assert read(vision_server, png).status_code == 200


def test_the_second_engine_serves_read(tmp_path):
    from tests.support.server import ServerProcess

    with ServerProcess(settings=["Services=vision", "Ocr:Engine=ocrust"], output_dir=tmp_path) as server:
        r = read(server, encode(printed(LINES[:2]), "PNG"))
        assert r.status_code == 200, r.text
        [page] = r.json()["analyzeResult"]["readResults"]
        assert [line["text"] for line in page["lines"]] == LINES[:2]
        status = httpx.get(f"{server.url}/status").json()
        assert status["apiStatus"] == "Valid"
