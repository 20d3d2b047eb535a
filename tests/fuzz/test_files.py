"""Well-formed but unusual files for the OCR routes: every image mode and format Pillow writes, blank
and tiny pages, multi-frame TIFFs, PDFs with odd page boxes. A valid file is a 200 (perhaps with no
lines); an unreadable one a 400 envelope; an accepted job ends ``succeeded`` or with a client error."""

from __future__ import annotations

import io
import time

import httpx
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from tests.fuzz.wire import check

FILES = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                 suppress_health_check=list(HealthCheck))
MODES = ["1", "L", "LA", "P", "RGB", "RGBA", "CMYK", "I;16", "I", "F"]
FORMATS = ["PNG", "JPEG", "TIFF", "BMP"]
SIDES = st.sampled_from([1, 49, 50, 51, 64, 10_000]) | st.integers(50, 400)


@st.composite
def images(draw: st.DrawFn) -> bytes:
    mode, fmt = draw(st.sampled_from(MODES)), draw(st.sampled_from(FORMATS))
    width, height = draw(SIDES), draw(SIDES)
    if width * height > 2_000_000:  # one long side is enough; two make a slow test
        height = min(height, 60)
    frames = draw(st.integers(1, 3)) if fmt == "TIFF" else 1
    pages = []
    for _ in range(frames):
        page = Image.new(mode, (width, height), draw(st.integers(0, 255)) if mode in ("1", "L", "P", "I", "I;16", "F")
                         else None)
        if draw(st.booleans()) and mode in ("L", "RGB", "1"):
            ImageDraw.Draw(page).text((5, height // 3), draw(st.sampled_from(["INVOICE 42", "A", "|||", "Total"])),
                                      fill=0)
        pages.append(page)
    out = io.BytesIO()
    try:
        pages[0].save(out, fmt, save_all=frames > 1, append_images=pages[1:])
    except (OSError, ValueError, KeyError, TypeError):
        reject()  # Pillow cannot write this mode in this format
    return out.getvalue()


@st.composite
def pdfs(draw: st.DrawFn) -> bytes:
    """A hand-written PDF: 1-3 pages with odd MediaBoxes and rotations, some with a line of text."""
    side = st.sampled_from([0, 1, 11, 12, 13, 612, 792, 1224, 1225, 14_400, -100]) | st.floats(1, 1300)
    objects = ["<</Type/Catalog/Pages 2 0 R>>", None, "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"]
    kids = []
    for _ in range(draw(st.integers(1, 3))):
        box = f"[0 0 {draw(side):g} {draw(side):g}]"
        rotate = draw(st.sampled_from(["", "/Rotate 90", "/Rotate 45", "/Rotate -270"]))
        text = draw(st.sampled_from(["", "BT /F1 12 Tf 20 20 Td (Hello fuzz) Tj ET", "BT /F1 0 Tf (x) Tj ET"]))
        objects.append(f"<</Length {len(text)}>>stream\n{text}\nendstream")
        content = len(objects)
        objects.append(f"<</Type/Page/Parent 2 0 R/MediaBox{box}{rotate}/Contents {content} 0 R"
                       "/Resources<</Font<</F1 3 0 R>>>>>>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<</Type/Pages/Kids[{' '.join(kids)}]/Count {len(kids)}>>"
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj{body}endobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    return out + f"trailer<</Size {len(objects) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF".encode()


def _finish(client: httpx.Client, response: httpx.Response, what: str) -> None:
    """A job accepted for a valid file ends succeeded, or failed with a client error, never internally."""
    check(response, what)
    if response.status_code != 202:
        return
    location = response.headers["operation-location"]
    for _ in range(1200):
        poll = client.get(location)
        check(poll, what)
        body = poll.json()
        if body["status"] in ("succeeded", "failed"):
            break
        time.sleep(0.05)
    else:
        raise AssertionError(f"{what}: job never finished")
    if body["status"] == "failed":
        code = (body.get("error") or {}).get("code", "")
        assert code != "InternalServerError", f"{what}: job failed inside the server: {body}"


@FILES
@given(data=images() | pdfs())
def test_read_and_image_analysis_on_unusual_files(data: bytes, fuzz_server) -> None:
    with httpx.Client(base_url=fuzz_server.url, timeout=300) as client:
        check(client.post("/vision/v3.2/read/syncAnalyze", content=data), f"read {data[:64]!r}")
        check(client.post("/computervision/imageanalysis:analyze?api-version=2024-02-01&features=read", content=data),
              f"image analysis {data[:64]!r}")


@settings(FILES, max_examples=20)
@given(data=images() | pdfs(), route=st.sampled_from([
    ("/documentintelligence/documentModels/prebuilt-layout:analyze?api-version=2024-11-30"
     "&outputContentFormat=markdown&features=keyValuePairs,barcodes"),
    "/formrecognizer/documentModels/prebuilt-document:analyze?api-version=2023-07-31&stringIndexType=utf16CodeUnit",
    "/formrecognizer/documentModels/prebuilt-read:analyze?api-version=2022-08-31",
    "/vision/v3.2/read/analyze?readingOrder=natural"]))
def test_jobs_on_unusual_files_finish(data: bytes, route: str, fuzz_server) -> None:
    with httpx.Client(base_url=fuzz_server.url, timeout=300) as client:
        _finish(client, client.post(route, content=data, headers={"content-type": "application/octet-stream"}),
                f"{route} {data[:64]!r}")
