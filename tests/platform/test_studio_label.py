"""The Studio's Label tab (issue 18) in headless Chromium against a running document server.

Two generated delivery notes are opened in the page, read with prebuilt-layout and labelled with
the mouse as a user would: words clicked one by one, words taken by drawing a region round them,
and a region drawn over an empty signature box. The page's files are then checked against the
formats of Azure's Document Intelligence Studio (fields.json, <doc>.labels.json one value per word
with boxes in page fractions, a region as labelType "region", <doc>.ocr.json the layout operation),
a model is built from the page (base64Source) and tested on a third note, and the downloaded
project, unpacked into the shared mount, builds the same model through the Form Recognizer SDK.
Opened again in a fresh page, the saved files give back the same labels.
"""

from __future__ import annotations

import base64
import io
import json
import zipfile
from pathlib import Path

import pytest
from azure.ai.formrecognizer import DocumentAnalysisClient, DocumentModelAdministrationClient
from azure.core.credentials import AzureKeyCredential
from PIL import Image, ImageDraw, ImageFont

from airgap.platform.studio import FILES
from tests.support.server import ServerProcess
from tests.support.studio import run_sdk_code

FONT = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 28)
SIZE = (1000, 640)
VALUE_X = 360
ROWS = {"Customer": 170, "OrderNumber": 250}
SIGNATURE_BOX = (360, 420, 760, 520)  # an empty box: labelled as a region
NOTES = [
    ("note1.png", {"Customer": "Alice Martin", "OrderNumber": "PO-10482"}, (0, 0)),
    ("note2.png", {"Customer": "Robert Chen", "OrderNumber": "PO-20931"}, (8, -6)),
    ("note3.png", {"Customer": "Olivia Brown", "OrderNumber": "PO-60318"}, (-10, 12)),  # tested, not labelled
]
LABELS_SCHEMA = "https://schema.cognitiveservices.azure.com/formrecognizer/2021-03-01/labels.json"
FIELDS_SCHEMA = "https://schema.cognitiveservices.azure.com/formrecognizer/2021-03-01/fields.json"


def render(values: dict[str, str], shift: tuple[int, int]) -> tuple[bytes, dict[str, list[tuple[int, int, int, int]]]]:
    """The note as PNG, and each value's word boxes in pixels (where the test will click)."""
    image = Image.new("L", SIZE, 255)
    draw = ImageDraw.Draw(image)
    dx, dy = shift
    draw.text((60 + dx, 50 + dy), "HARBOR FREIGHT DELIVERY NOTE", font=FONT, fill=0)
    draw.text((60 + dx, ROWS["Customer"] + dy), "Customer:", font=FONT, fill=0)
    draw.text((60 + dx, ROWS["OrderNumber"] + dy), "Order number:", font=FONT, fill=0)
    draw.text((60 + dx, 440 + dy), "Signature:", font=FONT, fill=0)
    left, top, right, bottom = SIGNATURE_BOX
    draw.rectangle((left + dx, top + dy, right + dx, bottom + dy), outline=0, width=2)
    draw.text((60 + dx, 580 + dy), "Keep this note with the goods", font=FONT, fill=0)
    boxes: dict[str, list[tuple[int, int, int, int]]] = {}
    for key, y in ROWS.items():
        x = VALUE_X
        for word in values[key].split():
            draw.text((x + dx, y + dy), word, font=FONT, fill=0)
            boxes.setdefault(key, []).append(draw.textbbox((x + dx, y + dy), word, font=FONT))
            x += int(FONT.getlength(word + " "))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue(), boxes


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("studio-label")
    (folder / "shared").mkdir()
    running = ServerProcess(settings=["Services=document", f"Mounts:Shared={folder / 'shared'}"],
                            log_path=folder / "server.log")
    with running:
        running.folder = folder
        yield running


def _choose_files(browser, selector: str, paths: list[Path]) -> None:
    root = browser.send("DOM.getDocument")["root"]["nodeId"]
    node = browser.send("DOM.querySelector", nodeId=root, selector=selector)["nodeId"]
    browser.send("DOM.setFileInputFiles", nodeId=node, files=[str(p) for p in paths])


def _open_label_tab(browser, url: str) -> None:
    browser.open(url + "/studio#label")
    # (and the project kept in this browser read back, which a file chosen sooner would race)
    browser.wait_for("document.body.dataset.studio === 'started' && !document.getElementById('page-label').hidden"
                     " && document.body.dataset.labelRestored === 'true'")


def _screen(browser, x: float, y: float) -> tuple[float, float]:
    """A point of the page (its unit: pixels of the image) -> where it is on screen in the canvas."""
    left, top, scale = browser.evaluate("""(() => { const c = document.getElementById('label-canvas');
        c.scrollIntoView({block: 'center'}); const r = c.getBoundingClientRect();
        return [r.x, r.y, r.width / Number(c.dataset.pageWidth)]; })()""")
    return left + x * scale, top + y * scale


def _mouse(browser, kind: str, point: tuple[float, float]) -> None:
    browser.send("Input.dispatchMouseEvent", type=kind, x=point[0], y=point[1], button="left",
                 buttons=0 if kind == "mouseReleased" else 1, clickCount=1)


def _click_word(browser, box) -> None:
    point = _screen(browser, (box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
    _mouse(browser, "mousePressed", point)
    _mouse(browser, "mouseReleased", point)


def _drag(browser, left: float, top: float, right: float, bottom: float) -> None:
    start, end = _screen(browser, left, top), _screen(browser, right, bottom)
    _mouse(browser, "mousePressed", start)
    middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    for point in (middle, end):
        browser.send("Input.dispatchMouseEvent", type="mouseMoved", x=point[0], y=point[1], button="left", buttons=1)
    _mouse(browser, "mouseReleased", end)


_KEYS = {"Home": 36, "ArrowRight": 39, " ": 32}


def _key(browser, key: str) -> None:
    code = {"Home": "Home", "ArrowRight": "ArrowRight", " ": "Space"}[key]
    for kind in ("keyDown", "keyUp"):
        browser.send("Input.dispatchKeyEvent", type=kind, key=key, code=code, windowsVirtualKeyCode=_KEYS[key])


def _key_to_word(browser, text: str) -> None:
    """Focus the page, walk the words with the arrow keys until ``text``, and press Space."""
    browser.evaluate("document.getElementById('label-canvas').focus()")
    _key(browser, "Home")
    for _ in range(40):
        if browser.evaluate("document.getElementById('label-status').textContent").endswith(f": {text}"):
            _key(browser, " ")
            return
        _key(browser, "ArrowRight")
    raise AssertionError(f"the arrow keys never reached {text!r}")


def _around(boxes, margin: int = 12) -> tuple[int, int, int, int]:
    return (min(b[0] for b in boxes) - margin, min(b[1] for b in boxes) - margin,
            max(b[2] for b in boxes) + margin, max(b[3] for b in boxes) + margin)


FIELDS = (("Customer", "string"), ("OrderNumber", "string"), ("Signature", "signature"))


def _open_notes_with_fields(browser, paths: list[Path]) -> None:
    """The notes opened (their layout read) and the three fields added."""
    _choose_files(browser, "#label-files", paths)
    browser.wait_for("document.body.dataset.label === 'idle' && [...document.querySelectorAll('#label-docs button')]"
                     f".filter(b => b.textContent.includes('0 labelled')).length === {len(paths)}")
    for name, kind in FIELDS:
        browser.type_into("#label-field-name", name)
        browser.evaluate(f"document.getElementById('label-field-type').value = {json.dumps(kind)}")
        browser.click("#label-field-add")


def _choose_field(browser, index: int) -> None:
    browser.click(f"#label-field-{index}")


def _choose_doc(browser, name: str) -> None:
    browser.click(f'#label-docs button[data-doc="{name}"]')
    browser.wait_for(f"document.getElementById('label-canvas') && document.querySelector"
                     f"('#label-docs button[data-doc=\"{name}\"]').getAttribute('aria-pressed') === 'true'")


def _labels(browser) -> dict:
    return json.loads(browser.evaluate("document.getElementById('label-json').textContent"))


def _capture_downloads(browser) -> None:
    """Blobs the page makes go to ``window.exported``, a download's name to ``exportedName``; again: both reset."""
    browser.evaluate("""window.exported = []; window.exportedName = null;
        if (!window.capturing) { window.capturing = true; const made = URL.createObjectURL;
          URL.createObjectURL = (blob) => { window.exported.push(blob); return made(blob); };
          HTMLAnchorElement.prototype.click = function () { window.exportedName = this.download; }; }""")


def _downloaded_zip(browser) -> dict[str, bytes]:
    encoded = browser.evaluate("""(() => { const zips = window.exported.filter(b => b.type === 'application/zip');
        return zips[zips.length - 1].arrayBuffer().then(buffer => { const bytes = new Uint8Array(buffer);
        let text = ''; for (const b of bytes) text += String.fromCharCode(b); return btoa(text); }); })()""")
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(encoded))) as archive:
        assert archive.testzip() is None  # every CRC the page wrote is right
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _table(browser, box_id: str) -> dict[str, list[str]]:
    return browser.evaluate(f"""Object.fromEntries([...document.querySelectorAll('#{box_id} tbody tr')]
        .map(r => [r.cells[0].textContent, [...r.cells].slice(1).map(c => c.textContent)]))""")


def test_label_build_and_test_in_a_real_browser(server, browser, tmp_path):
    assert {"label.js", "project.js", "zip.js"} <= set(FILES)
    notes = {}
    for name, values, shift in NOTES:
        png, boxes = render(values, shift)
        (tmp_path / name).write_bytes(png)
        notes[name] = {"png": png, "boxes": boxes, "values": values, "shift": shift}

    _open_label_tab(browser, server.url)
    tabs = browser.evaluate("[...document.querySelectorAll('#nav button')].map(b => b.textContent)")
    assert tabs == ["Document layout", "Label documents"]
    _open_notes_with_fields(browser, [tmp_path / "note1.png", tmp_path / "note2.png"])
    assert browser.evaluate("[...document.querySelectorAll('#label-fields li')].map(l => l.dataset.field)") == \
        ["Customer", "OrderNumber", "Signature"]

    # note1: the customer's two words clicked, the order number taken with a region round it, the
    # empty signature box drawn as a region; a word clicked twice is labelled, then not.
    _choose_doc(browser, "note1.png")
    first = notes["note1.png"]
    _choose_field(browser, 0)
    _key_to_word(browser, "Alice")  # the keyboard's way: arrows to the word, Space to label it
    assert browser.evaluate("document.getElementById('label-status').textContent").endswith(": Alice (Customer)")
    _click_word(browser, first["boxes"]["Customer"][1])
    _click_word(browser, first["boxes"]["OrderNumber"][0])
    _click_word(browser, first["boxes"]["OrderNumber"][0])
    assert [l["label"] for l in _labels(browser)["labels"]] == ["Customer"]
    _choose_field(browser, 1)
    _drag(browser, *_around(first["boxes"]["OrderNumber"]))
    _choose_field(browser, 2)
    _drag(browser, *SIGNATURE_BOX)
    # note2: the customer by a region, the order number by a click.
    _choose_doc(browser, "note2.png")
    second = notes["note2.png"]
    dx, dy = second["shift"]
    _choose_field(browser, 0)
    _drag(browser, *_around(second["boxes"]["Customer"]))
    _choose_field(browser, 1)
    _click_word(browser, second["boxes"]["OrderNumber"][0])
    _choose_field(browser, 2)
    _drag(browser, SIGNATURE_BOX[0] + dx, SIGNATURE_BOX[1] + dy, SIGNATURE_BOX[2] + dx, SIGNATURE_BOX[3] + dy)
    shown = browser.evaluate("Object.fromEntries([...document.querySelectorAll('#label-fields li')]"
                             ".map(l => [l.dataset.field, l.querySelector('.label-value').textContent]))")
    assert shown == {"Customer": "Robert Chen", "OrderNumber": "PO-20931", "Signature": "(region)"}

    # The project's files, downloaded as the zip for the shared mount.
    _capture_downloads(browser)
    browser.click("#label-download")
    browser.wait_for("window.exportedName === 'labelled-project.zip'")
    files = _downloaded_zip(browser)
    assert set(files) == {"fields.json", "note1.png", "note2.png", *(f"note{i}.png.{k}.json" for i in (1, 2)
                                                                   for k in ("labels", "ocr"))}
    assert files["note1.png"] == first["png"]
    fields = json.loads(files["fields.json"])
    assert fields == {"$schema": FIELDS_SCHEMA, "definitions": {}, "fields": [
        {"fieldKey": "Customer", "fieldType": "string", "fieldFormat": "not-specified"},
        {"fieldKey": "OrderNumber", "fieldType": "string", "fieldFormat": "not-specified"},
        {"fieldKey": "Signature", "fieldType": "signature", "fieldFormat": "not-specified"}]}
    for name in ("note1.png", "note2.png"):
        note = notes[name]
        ocr = json.loads(files[f"{name}.ocr.json"])
        assert ocr["status"] == "succeeded" and ocr["analyzeResult"]["modelId"] == "prebuilt-layout"
        page = ocr["analyzeResult"]["pages"][0]
        assert (page["width"], page["height"], page["unit"]) == (*SIZE, "pixel")
        labels = json.loads(files[f"{name}.labels.json"])
        assert labels["$schema"] == LABELS_SCHEMA and labels["document"] == name
        by_field = {l["label"]: l for l in labels["labels"]}
        assert set(by_field) == {"Customer", "OrderNumber", "Signature"}
        polygons = {w["content"]: w["polygon"] for w in page["words"]}
        for key in ROWS:
            label = by_field[key]
            assert "labelType" not in label  # words, Azure's default
            # One value per word, in reading order; its box is the layout word's polygon over the page size.
            assert [v["text"] for v in label["value"]] == note["values"][key].split()
            for value, drawn in zip(label["value"], note["boxes"][key], strict=True):
                assert value["page"] == 1 and len(value["boundingBoxes"]) == 1
                box = value["boundingBoxes"][0]
                expected = [v / SIZE[i % 2] for i, v in enumerate(polygons[value["text"]])]
                assert box == pytest.approx(expected, abs=1e-9)
                assert min(box[0::2]) == pytest.approx(drawn[0] / SIZE[0], abs=0.01)
                assert min(box[1::2]) == pytest.approx(drawn[1] / SIZE[1], abs=0.02)
        signature = by_field["Signature"]
        assert signature["labelType"] == "region" and len(signature["value"]) == 1
        [value] = signature["value"]
        assert value["text"] == "" and value["page"] == 1
        left, top, right, bottom = SIGNATURE_BOX
        sx, sy = note["shift"]
        x0, y0, x1, y1 = (left + sx) / SIZE[0], (top + sy) / SIZE[1], (right + sx) / SIZE[0], (bottom + sy) / SIZE[1]
        assert value["boundingBoxes"][0] == pytest.approx([x0, y0, x1, y0, x1, y1, x0, y1], abs=0.005)
    assert _labels(browser) == json.loads(files["note2.png.labels.json"])  # what the page shows is the file

    # Build from the page (the files zipped in base64Source), then test on the third note.
    browser.type_into("#label-model-id", "studio-notes")
    browser.click("#label-build")
    built = browser.wait_for("document.querySelector('#label-build-readable table') && "
                             "document.getElementById('label-build-readable').innerText")
    assert "Model studio-notes built" in built
    schema = _table(browser, "label-build-readable")
    assert {k: v[0] for k, v in schema.items()} == {"Customer": "string", "OrderNumber": "string",
                                                    "Signature": "signature"}
    sent = browser.evaluate("document.getElementById('label-build-request').textContent")
    assert sent.startswith("POST /documentintelligence/documentModels:build?api-version=2024-11-30")
    assert '"buildMode": "template"' in sent and "bytes of zip, base64>" in sent
    assert browser.evaluate("document.getElementById('label-test-model').value") == "studio-notes"
    _choose_files(browser, "#label-test-file", [tmp_path / "note3.png"])
    browser.click("#label-test-run")
    browser.wait_for("!!document.querySelector('#label-test-readable table')")
    found = _table(browser, "label-test-readable")
    third = notes["note3.png"]["values"]
    assert found["Customer"][0] == third["Customer"] and found["OrderNumber"][0] == third["OrderNumber"]
    assert found["Signature"][0] == "unsigned"  # the box is empty on the third note too
    assert browser.evaluate("document.querySelectorAll('#label-test-pages canvas').length") == 1

    # The Python the page shows for the test (azure-ai-documentintelligence), run: the same values.
    code = browser.evaluate("document.getElementById('label-test-code').textContent")
    assert 'client.begin_analyze_document("studio-notes", body=source)' in code and 'open("note3.png", "rb")' in code
    printed = run_sdk_code(code, tmp_path).splitlines()
    for key in ("Customer", "OrderNumber"):
        assert any(line.startswith(f"{key} {third[key]} ") for line in printed), (key, printed)
    # And for the build: the training files as the page's project zip, sent in base64Source.
    code = browser.evaluate("document.getElementById('label-build-code').textContent")
    assert "client.begin_build_document_model(BuildDocumentModelRequest({" in code, code
    assert '"modelId": "studio-notes",' in code and '"buildMode": "template",' in code and '"base64Source": SOURCE,' in code
    with zipfile.ZipFile(tmp_path / "labelled-project.zip", "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    printed = run_sdk_code(code.replace('"studio-notes"', '"studio-notes-sdk"'), tmp_path)
    assert printed == "studio-notes-sdk ['Customer', 'OrderNumber', 'Signature']\n", printed

    # The downloaded project, unpacked into the shared mount, is training data as Azure reads a container.
    folder = server.folder / "shared" / "studio-notes"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    key = AzureKeyCredential("unused")
    DocumentModelAdministrationClient(server.url, key).begin_build_document_model(
        "template", blob_container_url=folder.as_uri(), model_id="studio-notes-mount").result()
    result = DocumentAnalysisClient(server.url, key).begin_analyze_document(
        "studio-notes-mount", notes["note3.png"]["png"]).result()
    assert result.documents[0].fields["Customer"].value == third["Customer"]
    assert result.documents[0].fields["OrderNumber"].value == third["OrderNumber"]

    fetched = [u for u in browser.requested if not u.startswith(("blob:", "data:"))]
    assert fetched and all(u.startswith(server.url + "/") for u in fetched), fetched
    assert not [m for m in browser.console if "rror" in m], browser.console

    # Opened again in a fresh page (files only, no documents: the words are written from ocr.json),
    # the saved files give back the same project.
    saved = tmp_path / "saved"
    saved.mkdir()
    for name, data in files.items():
        if name.endswith(".json"):
            (saved / name).write_bytes(data)
    browser.open("about:blank")
    _open_label_tab(browser, server.url)
    browser.click("#label-new")  # the project kept in this browser forgotten: the files alone
    browser.wait_for("document.getElementById('label-status').textContent.startsWith('A new, empty project')")
    _choose_files(browser, "#label-files", sorted(saved.iterdir()))
    browser.wait_for("document.querySelectorAll('#label-docs button').length === 2")
    assert browser.evaluate("[...document.querySelectorAll('#label-fields li')].map(l => l.dataset.field)") == \
        ["Customer", "OrderNumber", "Signature"]
    _choose_doc(browser, "note1.png")
    assert _labels(browser) == json.loads(files["note1.png.labels.json"])
    _capture_downloads(browser)
    browser.click("#label-download")
    browser.wait_for("window.exportedName === 'labelled-project.zip'")
    assert _downloaded_zip(browser) == {n: d for n, d in files.items() if n.endswith(".json")}


def _bluest(picture: Image.Image, x: float, y: float) -> int:
    """How much bluer than red the bluest pixel is within 2 px of (x, y) across a vertical edge."""
    found = -255
    for dx in range(-2, 3):
        px, py = round(x) + dx, round(y)
        if 0 <= px < picture.width and 0 <= py < picture.height:
            r, _, b = picture.getpixel((px, py))
            found = max(found, b - r)
    return found


def test_ocr_boxes_are_drawn_over_the_words_and_the_sdk_code_reads_them(server, browser, tmp_path):
    """Document layout panel: a PNG with known words is uploaded and read with prebuilt-layout; the
    words the API returns are where they were printed, and a screenshot of the drawn page has the
    word boxes' blue outline at those polygons (and no blue where no box is). The panel's Python
    (azure-ai-documentintelligence), run, reads the same words."""
    from tests.support.studio import run_sdk_code

    values, _ = NOTES[0][1], NOTES[0][2]
    png, printed = render(values, (0, 0))
    image = tmp_path / "ocr-note.png"
    image.write_bytes(png)
    browser.open(server.url + "/studio#document")
    browser.wait_for("document.body.dataset.studio === 'started' && !document.getElementById('page-document').hidden")
    browser.upload("#document-file", image)
    browser.click("#document-run")
    browser.wait_for("!!document.querySelector('#document-pages canvas')")
    [page] = json.loads(browser.evaluate("document.getElementById('document-json').textContent"))["analyzeResult"]["pages"]
    assert (page["width"], page["height"], page["unit"]) == (*SIZE, "pixel")

    # The API's words are where the test printed them (PIL's text boxes, within a few pixels).
    words = {w["content"]: w["polygon"] for w in page["words"]}
    for key, value in values.items():
        for word, (left, top, right, bottom) in zip(value.split(), printed[key], strict=True):
            xs, ys = words[word][0::2], words[word][1::2]
            assert abs(min(xs) - left) <= 8 and abs(max(xs) - right) <= 8, (word, words[word], printed[key])
            assert min(ys) <= (top + bottom) / 2 <= max(ys), (word, words[word], printed[key])

    # A screenshot of the canvas as drawn (document coordinates, the canvas's content box).
    left, top, width, height = browser.evaluate("""(() => { const c = document.querySelector('#document-pages canvas');
        c.scrollIntoView({block: 'start'}); const r = c.getBoundingClientRect();
        return [r.x + scrollX + c.clientLeft, r.y + scrollY + c.clientTop, c.clientWidth, c.clientHeight]; })()""")
    shot = browser.send("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                        clip={"x": left, "y": top, "width": width, "height": height, "scale": 1})
    picture = Image.open(io.BytesIO(base64.b64decode(shot["data"]))).convert("RGB")
    scale = picture.width / page["width"]

    # Each word's outline, on its vertical edges inside its line (a line's own edges, drawn in
    # orange under the words, would blend with the blue there).
    lines = [(min(line["polygon"][0::2]), max(line["polygon"][0::2]), min(line["polygon"][1::2]), max(line["polygon"][1::2]))
             for line in page["lines"]]
    checked, missing = 0, []
    for word in page["words"]:
        xs, ys = word["polygon"][0::2], word["polygon"][1::2]
        middle_x, middle_y = sum(xs) / len(xs), (min(ys) + max(ys)) / 2
        line = next(b for b in lines if b[0] <= middle_x <= b[1] and b[2] <= middle_y <= b[3])
        for edge in (min(xs), max(xs)):
            if min(abs(edge - line[0]), abs(edge - line[1])) * scale < 4:
                continue
            checked += 1
            if _bluest(picture, edge * scale, middle_y * scale) < 60:
                missing.append((word["content"], edge))
    assert checked >= 10 and missing == [], (checked, missing)
    # No box, no blue: the white margin, and the empty signature box's middle.
    for x, y in ((20, 20), (SIZE[0] - 20, SIZE[1] - 20), ((SIGNATURE_BOX[0] + SIGNATURE_BOX[2]) / 2, (SIGNATURE_BOX[1] + SIGNATURE_BOX[3]) / 2)):
        assert _bluest(picture, x * scale, y * scale) < 20, (x, y)

    # The request as sent and the SDK's code for it, run against the server.
    sent = browser.evaluate("document.getElementById('document-request').textContent")
    assert sent.startswith("POST /documentintelligence/documentModels/prebuilt-layout:analyze?api-version=2024-11-30\n")
    assert f"<ocr-note.png, {len(png)} bytes of image/png>" in sent
    code = browser.evaluate("document.getElementById('document-code').textContent")
    assert 'poller = client.begin_analyze_document("prebuilt-layout", body=source)' in code
    assert 'with open("ocr-note.png", "rb") as source:' in code
    read = [line.split(" ", 2)[1] for line in run_sdk_code(code, tmp_path).splitlines()]
    assert read == [w["content"] for w in page["words"]]
    assert not [m for m in browser.console if "rror" in m], browser.console
