"""Synchronous document translation (``POST /translator/document:translate``, multipart) as Azure's
Translator container serves it: text, HTML, Markdown and DOCX come back translated in their own
format; unsupported files and bad parameters are refused with the Azure envelope."""

from __future__ import annotations

import io

import httpx
import pytest

METER = "CognitiveServices.TextTranslation.Container.OneDocumentTranslatedCharacters"


def _post(server, content: bytes, filename: str, content_type: str, **params):
    params = {"api-version": "2024-05-01", "sourceLanguage": "en", "targetLanguage": "es", **params}
    return httpx.post(server.url + "/translator/document:translate", params={k: v for k, v in params.items() if v},
                      files={"document": (filename, content, content_type)}, timeout=120)


def test_plain_text_keeps_its_paragraphs(translator_server):
    r = _post(translator_server, b"The house is red.\n\nThe car is green.\n", "a.txt", "text/plain")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    assert r.text == "La casa es roja.\n\nEl coche es verde.\n"
    assert r.headers["x-metered-usage"] == str(len("The house is red.\n\nThe car is green.\n"))


def test_html_keeps_its_markup(translator_server):
    page = b'<html><body><h1>The house</h1><p class="notranslate">Acme</p><p>The car is <b>green</b>.</p></body></html>'
    r = _post(translator_server, page, "page.html", "text/html")
    assert r.status_code == 200, r.text
    assert r.text.startswith("<html><body><h1>La casa</h1>") and '<p class="notranslate">Acme</p>' in r.text
    assert "<b>verde</b>" in r.text


def test_markdown_keeps_markers_code_and_links(translator_server):
    source = ("# The house\n\n- The car is green.\n- See [the house](https://example.org/house) and `the_car()`.\n\n"
              "```\nthe code stays\n```\n")
    r = _post(translator_server, source.encode(), "notes.md", "text/markdown")
    assert r.status_code == 200, r.text
    lines = r.text.split("\n")
    assert lines[0] == "# La casa"
    assert lines[2] == "- El coche es verde."
    assert lines[3].startswith("- ") and "(https://example.org/house)" in lines[3] and "`the_car()`" in lines[3]
    assert "```\nthe code stays\n```" in r.text


def test_docx_is_translated_and_reopens(translator_server):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_heading("The house", level=1)
    paragraph = document.add_paragraph("The car is ")
    paragraph.add_run("green").bold = True
    paragraph.add_run(".")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "The cat"
    table.cell(0, 1).text = "The dog"
    buffer = io.BytesIO()
    document.save(buffer)
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    r = _post(translator_server, buffer.getvalue(), "letter.docx", mime)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == mime
    reopened = docx.Document(io.BytesIO(r.content))
    texts = [p.text for p in reopened.paragraphs]
    assert texts[0] == "La casa"
    assert texts[1] == "El coche es verde."
    bold = [run.text for run in reopened.paragraphs[1].runs if run.bold]
    assert bold == ["verde"]  # the run's formatting followed its word
    assert [c.text for c in reopened.tables[0].rows[0].cells] == ["El gato", "El perro"]


def test_the_source_language_is_detected_when_missing(translator_server):
    r = _post(translator_server, "Hace buen tiempo hoy.".encode(), "a.txt", "text/plain", sourceLanguage="",
              targetLanguage="pt")
    assert r.status_code == 200, r.text
    assert r.text == "Faz bom tempo hoje."


@pytest.mark.parametrize(("content", "name", "ctype", "params", "status", "inner"), [
    (b"%PDF-1.4", "a.bin", "application/octet-stream", {}, 415, "InvalidDocumentFormat"),
    (b"\xff\xfe\x00", "a.txt", "text/plain", {}, 415, "InvalidDocumentFormat"),
    (b"not a zip", "a.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", {}, 415,
     "InvalidDocumentFormat"),
    (b"x", "a.txt", "text/plain", {"targetLanguage": "zz"}, 400, "InvalidTargetDocumentLanguage"),
    (b"x", "a.txt", "text/plain", {"api-version": "3.0"}, 400, "InvalidApiVersion"),
])
def test_bad_documents_and_parameters(translator_server, content, name, ctype, params, status, inner):
    r = _post(translator_server, content, name, ctype, **params)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert isinstance(error["code"], str) and error["innererror"]["code"] == inner


def test_a_request_without_the_document_field(translator_server):
    r = httpx.post(translator_server.url + "/translator/document:translate",
                   params={"api-version": "2024-05-01", "targetLanguage": "es"},
                   files={"file": ("a.txt", b"x", "text/plain")}, timeout=30)
    assert r.status_code == 400 and r.json()["error"]["innererror"]["code"] == "MissingDocument"
    r = httpx.post(translator_server.url + "/translator/document:translate",
                   params={"api-version": "2024-05-01", "targetLanguage": "es"}, json={"x": 1}, timeout=30)
    assert r.status_code == 415
