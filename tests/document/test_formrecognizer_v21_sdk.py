"""azure-ai-formrecognizer 3.1.2, unchanged, against Form Recognizer v2.1 on a real server.

That release cannot live in .venv beside the current one (same import root), so ``make
install-test`` installs it, pinned by requirements-fr31.lock, into ``.venv-fr31``; each case runs
tests/document/fr31_client.py in that venv as a subprocess and reads its JSON. Where .venv-fr31 is
missing the tests are skipped with that reason.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.vision.pages import FORM_OPTIONS, INVOICE_TABLE, checkbox_form, encode, ruled_table, table_pdf

pytestmark = pytest.mark.sdk

ROOT = Path(__file__).resolve().parents[2]
FR31_PYTHON = ROOT / ".venv-fr31" / "bin" / "python"
CLIENT = Path(__file__).with_name("fr31_client.py")


def run_client(action: str, endpoint: str, data: bytes, tmp_path: Path, suffix: str = ".png") -> dict:
    if not FR31_PYTHON.exists():
        pytest.skip("azure-ai-formrecognizer 3.1.2 is not installed: `make install-test` creates .venv-fr31 "
                    "from requirements-fr31.lock")
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    done = subprocess.run([str(FR31_PYTHON), str(CLIENT), action, endpoint, str(path)],
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout)
    assert out["sdk"] == "3.1.2"
    return out


def grid(table: dict) -> list[list[str]]:
    cells = [[""] * table["columns"] for _ in range(table["rows"])]
    for cell in table["cells"]:
        cells[cell["row"]][cell["column"]] = cell["text"]
    return cells


@pytest.mark.parametrize(("make", "suffix", "unit"), [(lambda: encode(ruled_table(), "PNG"), ".png", "pixel"),
                                                       (table_pdf, ".pdf", "inch")], ids=["png", "pdf"])
def test_recognize_content_lines_and_table_cells(document_server, tmp_path, make, suffix, unit):
    out = run_client("content", document_server.url, make(), tmp_path, suffix)
    assert "error" not in out, out.get("error")
    [page] = out["pages"]
    assert page["page_number"] == 1 and page["unit"] == unit
    lines = [line["text"] for line in page["lines"]]
    assert lines[0] == "Invoice 4471"
    if unit == "inch":  # a born-digital PDF keeps its own lines: a table row is one line
        assert [" ".join(row) for row in INVOICE_TABLE] == lines[1:5]
    else:  # a scan: each ruled cell is its own line, row by row (reading order, issue 11)
        assert [cell for row in INVOICE_TABLE for cell in row] == lines[1:]
    for line in page["lines"]:
        assert " ".join(line["words"]) == line["text"]
        assert len(line["bounding_box"]) == 4
    [table] = page["tables"]
    assert grid(table) == INVOICE_TABLE
    for cell in table["cells"]:
        # Each cell's elements resolve (through the SDK's JSON pointers) to the words it holds.
        assert " ".join(cell["elements"]) == cell["text"]
        assert cell["is_header"] == (cell["row"] == 0)


def test_recognize_content_selection_marks(document_server, tmp_path):
    out = run_client("content", document_server.url, encode(checkbox_form(), "PNG"), tmp_path)
    [page] = out["pages"]
    assert page["selection_marks"] == ["selected" if ticked else "unselected" for _, ticked in FORM_OPTIONS]
    # v2.1 lines hold words only; the check boxes are reported apart.
    assert not any(":selected:" in line["text"] or ":unselected:" in line["text"] for line in page["lines"])
    assert [line["text"] for line in page["lines"]] == ["Order options", *(label for label, _ in FORM_OPTIONS)]


def test_a_broken_file_is_an_error_the_sdk_raises(document_server, tmp_path):
    out = run_client("content", document_server.url, b"\x89PNG\r\n\x1a\n" + b"not really a PNG" * 8, tmp_path)
    assert out["error"]["status"] == 400
    assert out["error"]["code"]


def test_prebuilt_receipt_says_it_is_not_available(document_server, tmp_path):
    out = run_client("receipt", document_server.url, encode(ruled_table(), "PNG"), tmp_path)
    assert out["error"]["status"] == 404
    assert out["error"]["code"] == "ModelNotFound"
    assert "receipt" in out["error"]["message"] and "layout" in out["error"]["message"]
