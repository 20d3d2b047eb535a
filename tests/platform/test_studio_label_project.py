"""The Label tab's project (issue 18): fields renamed and deleted through every label, the project
kept in the browser's IndexedDB across reloads, and a project zip opened in the page.

Headless Chromium against a running document server, driven with real mouse and key events; the
delivery notes and the helpers are test_studio_label.py's.
"""

from __future__ import annotations

import json
import time

from tests.platform.test_studio_label import (
    FONT,
    NOTES,
    SIGNATURE_BOX,
    _capture_downloads,
    _choose_doc,
    _choose_field,
    _choose_files,
    _click_word,
    _drag,
    _downloaded_zip,
    _open_label_tab,
    _open_notes_with_fields,
    _table,
    render,
    server,  # noqa: F401 - the module's document server fixture
)


def _press(browser, key: str) -> None:
    codes = {"Enter": 13, "Escape": 27}
    for kind in ("keyDown", "keyUp"):
        browser.send("Input.dispatchKeyEvent", type=kind, key=key, code=key, windowsVirtualKeyCode=codes[key])


def _field_keys(browser) -> list[str]:
    return browser.evaluate("[...document.querySelectorAll('#label-fields li')].map(l => l.dataset.field)")


def _rename(browser, old: str, new: str, key: str = "Enter") -> None:
    """Rename through the page: the field's Rename button, the name typed over the old one, Enter."""
    browser.click(f'#label-fields li[data-field="{old}"] button[aria-label^="Rename"]')
    browser.wait_for("document.activeElement && document.activeElement.id === 'label-field-rename'")
    browser.send("Input.insertText", text=new)  # replaces the selected old name, as typing does
    _press(browser, key)


def _download(browser) -> dict[str, bytes]:
    _capture_downloads(browser)
    browser.click("#label-download")
    browser.wait_for("window.exportedName === 'labelled-project.zip'")
    return _downloaded_zip(browser)


def _labelled_project(browser, url: str, tmp_path) -> dict:
    """Two notes opened and labelled: Customer on both, OrderNumber and the signature region on note1."""
    notes = {}
    for name, values, shift in NOTES[:2]:
        png, boxes = render(values, shift)
        (tmp_path / name).write_bytes(png)
        notes[name] = {"png": png, "boxes": boxes, "shift": shift}
    _open_label_tab(browser, url)
    _open_notes_with_fields(browser, [tmp_path / name for name in notes])
    for name in notes:
        _choose_doc(browser, name)
        _choose_field(browser, 0)
        for box in notes[name]["boxes"]["Customer"]:
            _click_word(browser, box)
    _choose_doc(browser, "note1.png")
    _choose_field(browser, 1)
    _click_word(browser, notes["note1.png"]["boxes"]["OrderNumber"][0])
    _choose_field(browser, 2)
    _drag(browser, *SIGNATURE_BOX)
    return notes


def _labels_of(files: dict[str, bytes], name: str) -> dict[str, list[str]]:
    labels = json.loads(files[f"{name}.labels.json"])["labels"]
    return {label["label"]: [v["text"] for v in label["value"]] for label in labels}


def test_rename_and_delete_a_field_through_every_label(server, browser, tmp_path):  # noqa: F811
    _labelled_project(browser, server.url, tmp_path)
    before = _download(browser)
    assert _labels_of(before, "note1.png") == {"Customer": ["Alice", "Martin"], "OrderNumber": ["PO-10482"],
                                               "Signature": [""]}

    # A name with '/' and '~' is written escaped in the labels (JSON Pointer's ~1 and ~0), as Azure does.
    _choose_field(browser, 0)
    _rename(browser, "Customer", "Client/Name~2")
    browser.wait_for("document.getElementById('label-status').textContent.startsWith('Renamed')")
    assert _field_keys(browser) == ["Client/Name~2", "OrderNumber", "Signature"]
    # The chosen field follows its new name: a click now labels with it.
    assert browser.evaluate("document.querySelector('#label-fields input[name=label-field]:checked').value") \
        == "Client/Name~2"
    # A name already taken is refused and nothing changes; Escape leaves the name as it was.
    _rename(browser, "OrderNumber", "Signature")
    assert "already" in browser.evaluate("document.getElementById('label-status').textContent")
    _rename(browser, "OrderNumber", "Ignored", key="Escape")
    assert _field_keys(browser) == ["Client/Name~2", "OrderNumber", "Signature"]

    renamed = _download(browser)
    fields = json.loads(renamed["fields.json"])["fields"]
    assert [f["fieldKey"] for f in fields] == ["Client/Name~2", "OrderNumber", "Signature"]
    assert _labels_of(renamed, "note1.png") == {"Client~1Name~02": ["Alice", "Martin"], "OrderNumber": ["PO-10482"],
                                                "Signature": [""]}
    assert _labels_of(renamed, "note2.png") == {"Client~1Name~02": ["Robert", "Chen"]}
    # Everything else in the files is as it was: the boxes moved with their label.
    old_boxes = [v["boundingBoxes"] for l in json.loads(before["note2.png.labels.json"])["labels"] for v in l["value"]]
    new_boxes = [v["boundingBoxes"] for l in json.loads(renamed["note2.png.labels.json"])["labels"] for v in l["value"]]
    assert old_boxes == new_boxes

    # Deleting a field takes its labels out of every document; a document left unlabelled has no file.
    browser.click('#label-fields li[data-field="Client/Name~2"] button[aria-label^="Delete"]')
    browser.click('#label-fields li[data-field="OrderNumber"] button[aria-label^="Delete"]')
    assert _field_keys(browser) == ["Signature"]
    deleted = _download(browser)
    assert [f["fieldKey"] for f in json.loads(deleted["fields.json"])["fields"]] == ["Signature"]
    assert _labels_of(deleted, "note1.png") == {"Signature": [""]}
    assert "note2.png.labels.json" not in deleted and "note2.png.ocr.json" in deleted
    assert not [m for m in browser.console if "rror" in m], browser.console


def _reload(browser, url: str) -> None:
    browser.open("about:blank")  # (the same URL again would only move to its #fragment)
    _open_label_tab(browser, url)


def _new_project(browser) -> None:
    browser.click("#label-new")
    browser.wait_for("document.getElementById('label-status').textContent.startsWith('A new, empty project')")


def _kept(browser) -> dict:
    """What this browser's IndexedDB holds for the project: field keys and each document's labels."""
    return browser.evaluate("""import('./studio/assets/store.js').then(m => m.load()).then(k => k ? {
        fields: k.fields.map(f => f.fieldKey),
        labels: Object.fromEntries(k.docs.map(d => [d.name, d.labels.map(l => l.label)])),
        files: k.docs.filter(d => d.file).length } : null)""")


def test_the_project_is_kept_across_reloads_and_opens_from_a_zip(server, browser, tmp_path):  # noqa: F811
    import io
    import zipfile

    _labelled_project(browser, server.url, tmp_path)
    before = _download(browser)
    expected = {"fields": ["Customer", "OrderNumber", "Signature"], "files": 2,
                "labels": {"note1.png": ["Customer", "OrderNumber", "Signature"], "note2.png": ["Customer"]}}
    # The save is debounced (one write for a burst of changes): wait until it holds the last one.
    kept = _kept(browser)
    for _ in range(100):
        if kept == expected:
            break
        time.sleep(0.1)
        kept = _kept(browser)
    assert kept == expected, kept

    # Reloaded: the same project, documents and layout included (nothing read again).
    start = len(browser.requested)
    _reload(browser, server.url)
    assert browser.evaluate("document.getElementById('label-status').textContent") == \
        "The project kept in this browser is back: 3 fields, 2 documents."
    assert _field_keys(browser) == ["Customer", "OrderNumber", "Signature"]
    assert _download(browser) == before
    analyses = [u for u in browser.requested[start:] if "prebuilt-layout:analyze" in u]
    assert analyses == [], analyses

    # A new project forgets it, across a reload too.
    _new_project(browser)
    assert _field_keys(browser) == []
    for _ in range(50):  # (an empty project's debounced save clears the store too)
        if _kept(browser) is None:
            break
        time.sleep(0.1)
    assert _kept(browser) is None
    _reload(browser, server.url)
    assert _field_keys(browser) == [] and browser.evaluate("document.getElementById('label-status').textContent") == ""

    # The downloaded zip opens as the project it was (stored entries, as this page writes them).
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as stored:
        for name, data in before.items():
            stored.writestr(name, data)
    (tmp_path / "project.zip").write_bytes(archive.getvalue())
    _choose_files(browser, "#label-files", [tmp_path / "project.zip"])
    browser.wait_for("document.querySelectorAll('#label-docs button').length === 2")
    assert _download(browser) == before

    # A zip from another tool: deflated, in a folder, with a folder entry and macOS's extras.
    _new_project(browser)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as deflated:
        deflated.writestr("my-project/", "")
        for name, data in before.items():
            deflated.writestr(f"my-project/{name}", data)
        deflated.writestr("__MACOSX/my-project/._fields.json", b"\0\5\26\7")
    (tmp_path / "deflated.zip").write_bytes(archive.getvalue())
    _choose_files(browser, "#label-files", [tmp_path / "deflated.zip"])
    browser.wait_for("document.querySelectorAll('#label-docs button').length === 2")
    assert _download(browser) == before

    # A zip cut short, and a file that is no zip at all: said plainly, nothing opened, no exception.
    _new_project(browser)
    (tmp_path / "cut.zip").write_bytes(archive.getvalue()[: len(archive.getvalue()) // 2])
    (tmp_path / "not.zip").write_bytes(b"PK\3\4 this is not really a zip")
    with zipfile.ZipFile(tmp_path / "empty.zip", "w") as empty:
        empty.writestr("folder/", "")
    _choose_files(browser, "#label-files", [tmp_path / "cut.zip", tmp_path / "not.zip", tmp_path / "empty.zip"])
    said = browser.wait_for("(t => t.includes('cannot be opened') && t)(document.getElementById('label-status').textContent)")
    assert said.startswith("cut.zip cannot be opened: ") and "not.zip cannot be opened: it is not a zip archive" in said, said
    assert "empty.zip cannot be opened: it holds no files" in said, said
    assert _field_keys(browser) == [] and browser.evaluate("document.querySelectorAll('#label-docs button').length") == 0
    assert not [m for m in browser.console if "rror" in m], browser.console


# -- a dynamic table ---------------------------------------------------------------------------

LISTS = [  # (name, shift, rows of (description, quantity)): two labelled, the third tested
    ("list1.png", (0, 0), [("Steel bolts", "40"), ("Copper wire", "12")]),
    ("list2.png", (6, -5), [("Brass hinges", "8"), ("Pine planks", "25")]),
    ("list3.png", (-8, 7), [("Rubber seals", "60"), ("Glass panes", "3")]),
]
COLUMNS = {"Description": 120, "Quantity": 640}  # where each column's words start
ROW_Y = [300, 370]


def _packing_list(shift, rows) -> tuple[bytes, list[dict[str, list[tuple[int, int, int, int]]]]]:
    """A packing list as PNG, and each row's word boxes per column (where the test clicks)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("L", (1000, 640), 255)
    draw = ImageDraw.Draw(image)
    dx, dy = shift
    draw.text((120 + dx, 60 + dy), "NORTHWIND PACKING LIST", font=FONT, fill=0)
    draw.text((120 + dx, 140 + dy), "Shipment for the harbour depot", font=FONT, fill=0)
    draw.text((COLUMNS["Description"] + dx, 230 + dy), "Item", font=FONT, fill=0)
    draw.text((COLUMNS["Quantity"] + dx, 230 + dy), "Count", font=FONT, fill=0)
    draw.text((120 + dx, 540 + dy), "Checked at the gate", font=FONT, fill=0)
    boxes = []
    for (description, quantity), y in zip(rows, ROW_Y, strict=True):
        cells: dict[str, list[tuple[int, int, int, int]]] = {}
        for column, text in (("Description", description), ("Quantity", quantity)):
            x = COLUMNS[column]
            for word in text.split():
                draw.text((x + dx, y + dy), word, font=FONT, fill=0)
                cells.setdefault(column, []).append(draw.textbbox((x + dx, y + dy), word, font=FONT))
                x += int(FONT.getlength(word + " "))
        boxes.append(cells)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue(), boxes


def _cell(browser, row: int, column: str) -> None:
    browser.evaluate(f"""(() => {{ const r = document.getElementById('label-row'); r.value = '{row + 1}';
        r.dispatchEvent(new Event('change')); }})()""")
    browser.evaluate(f"""(() => {{ const c = document.getElementById('label-column'); c.value = {json.dumps(column)};
        c.dispatchEvent(new Event('change')); }})()""")


def test_a_dynamic_table_labelled_built_and_tested(server, browser, tmp_path):  # noqa: F811
    """A table field (Azure's "array" of row objects) is added with its columns, its cells labelled
    row by row, written as Azure writes them (Items/<row>/<column>, the row type in definitions),
    and the model built from them finds the rows of a third packing list."""
    lists = {}
    for name, shift, rows in LISTS:
        png, boxes = _packing_list(shift, rows)
        (tmp_path / name).write_bytes(png)
        lists[name] = {"boxes": boxes, "rows": rows}
    _open_label_tab(browser, server.url)
    _choose_files(browser, "#label-files", [tmp_path / name for name, _, _ in LISTS[:2]])
    browser.wait_for("document.body.dataset.label === 'idle' && [...document.querySelectorAll('#label-docs button')]"
                     ".filter(b => b.textContent.includes('0 labelled')).length === 2")
    browser.evaluate(f"(s => {{ s.value = 'array'; s.dispatchEvent(new Event('change')); }})"
                     "(document.getElementById('label-field-type'))")
    assert browser.evaluate("document.getElementById('label-columns-box').hidden") is False
    browser.type_into("#label-field-name", "Items")
    browser.type_into("#label-field-columns", "Description, Quantity")
    browser.click("#label-field-add")
    assert _field_keys(browser) == ["Items"]
    for name, _, _ in LISTS[:2]:
        _choose_doc(browser, name)
        for row, cells in enumerate(lists[name]["boxes"]):
            for column, boxes in cells.items():
                _cell(browser, row, column)
                for box in boxes:
                    _click_word(browser, box)
        shown = _table(browser, "label-fields")
        assert shown == {str(r + 1): list(values) for r, values in enumerate(lists[name]["rows"])}, shown
    assert browser.evaluate("document.querySelector('#label-fields li .label-value').textContent") == "2 rows"

    files = _download(browser)
    fields = json.loads(files["fields.json"])
    assert fields["fields"] == [{"fieldKey": "Items", "fieldType": "array", "fieldFormat": "not-specified",
                                 "itemType": "Items_object"}]
    assert fields["definitions"] == {"Items_object": {
        "fieldKey": "Items_object", "fieldType": "object", "fieldFormat": "not-specified", "itemType": None,
        "fields": [{"fieldKey": "Description", "fieldType": "string", "fieldFormat": "not-specified"},
                   {"fieldKey": "Quantity", "fieldType": "string", "fieldFormat": "not-specified"}]}}
    assert _labels_of(files, "list1.png") == {"Items/0/Description": ["Steel", "bolts"], "Items/0/Quantity": ["40"],
                                              "Items/1/Description": ["Copper", "wire"], "Items/1/Quantity": ["12"]}

    browser.type_into("#label-model-id", "packing-lists")
    browser.click("#label-build")
    built = browser.wait_for("(t => (t.includes('built') || t.includes('rror') || t.includes('ailed')) && t)"
                             "(document.getElementById('label-build-readable').innerText)")
    assert "Model packing-lists built" in built, built
    assert _table(browser, "label-build-readable")["Items"][0] == "array"
    _choose_files(browser, "#label-test-file", [tmp_path / "list3.png"])
    browser.click("#label-test-run")
    browser.wait_for("!!document.querySelector('#label-test-readable table')")
    result = json.loads(browser.evaluate("document.getElementById('label-test-json').textContent"))
    items = result["analyzeResult"]["documents"][0]["fields"]["Items"]
    assert items["type"] == "array"
    found = [(row["valueObject"]["Description"].get("content"), row["valueObject"]["Quantity"].get("content"))
             for row in items["valueArray"]]
    assert found == LISTS[2][2], found
    assert not [m for m in browser.console if "rror" in m], browser.console
