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


# --- PDF ---------------------------------------------------------------------------------------

PDF_LINES = (  # (text, font size, x, baseline y): a title, a paragraph of two lines, a table row
    ("The house", 18, 72, 770),
    ("The car is green and the house is red. The", 11, 72, 700),
    ("cat is black and the dog is white.", 11, 72, 686),
    ("The cat", 11, 72, 600),
    ("The dog", 11, 300, 600),
)


def _pdf(lines=PDF_LINES, image: bool = False) -> bytes:
    """A born-digital PDF drawn with PDFium: Helvetica text objects and a red rectangle (or, for a
    scan, nothing but an image)."""
    import ctypes

    pdfium = pytest.importorskip("pypdfium2")
    raw = pdfium.raw
    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(595, 842)
    if image:
        bitmap = pdfium.PdfBitmap.new_native(60, 40, raw.FPDFBitmap_BGR)
        picture = pdfium.PdfImage.new(pdf)
        picture.set_bitmap(bitmap)
        picture.set_matrix(pdfium.PdfMatrix().scale(480, 320).translate(50, 400))
        page.insert_obj(picture)
    rect = raw.FPDFPageObj_CreateNewRect(50, 50, 100, 40)
    raw.FPDFPageObj_SetFillColor(rect, 200, 30, 30, 255)
    raw.FPDFPath_SetDrawMode(rect, raw.FPDF_FILLMODE_ALTERNATE, 0)
    raw.FPDFPage_InsertObject(page.raw, rect)
    font = raw.FPDFText_LoadStandardFont(pdf.raw, b"Helvetica")
    for text, size, x, y in lines:
        obj = raw.FPDFPageObj_CreateTextObj(pdf.raw, font, ctypes.c_float(size))
        wide = (text + "\x00").encode("utf-16-le")
        raw.FPDFText_SetText(obj, ctypes.cast(ctypes.c_char_p(wide), raw.FPDF_WIDESTRING))
        raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
        raw.FPDFPage_InsertObject(page.raw, obj)
    raw.FPDFPage_GenerateContent(page.raw)
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def _pdf_words(data: bytes) -> list[tuple[str, float, float]]:
    """Each word of the PDF's text layer with the left and top of its first character."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    textpage = pdf[0].get_textpage()
    words, current, origin = [], "", (0.0, 0.0)
    for index in range(textpage.count_chars()):
        char = textpage.get_text_range(index, 1)
        if char.isspace() or not char:
            if current:
                words.append((current, *origin))
            current = ""
            continue
        if not current:
            left, _, _, top = textpage.get_charbox(index, loose=True)
            origin = (left, top)
        current += char
    if current:
        words.append((current, *origin))
    return words


def _pdf_paths(data: bytes) -> int:
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(data)[0]
    return sum(1 for obj in page.get_objects() if obj.type == pdfium.raw.FPDF_PAGEOBJ_PATH)


def test_pdf_is_translated_in_place(translator_server):
    source = _pdf()
    r = _post(translator_server, source, "letter.pdf", "application/pdf")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    words = _pdf_words(r.content)
    text = " ".join(w for w, _, _ in words)
    assert "La casa" in text and "El coche es verde" in text and "El gato" in text and "El perro" in text
    assert "house" not in text and "green" not in text  # the English text objects are gone
    # Each block starts where its English did: the title, the paragraph and both table cells.
    starts = {(round(x), round(top)) for w, x, top in _pdf_words(source) if w == "The" and round(x) in (72, 300)}
    assert len(starts) == 4
    for x, top in starts:
        assert any(abs(sx - x) < 2 and abs(stop - top) < 3 for w, sx, stop in words if w in ("La", "El")), (x, top)
    assert _pdf_paths(r.content) == 1  # the vector graphics stay
    assert int(r.headers["x-metered-usage"]) == len("The house\nThe car is green and the house is red. The cat is "
                                                    "black and the dog is white.\nThe cat\nThe dog")


def test_a_scanned_pdf_asks_for_ocr(translator_server):
    r = _post(translator_server, _pdf(lines=(), image=True), "scan.pdf", "application/pdf")
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["innererror"]["code"] == "DocumentHasNoText" and "OCR" in error["message"]


def test_a_broken_pdf_is_refused(translator_server):
    r = _post(translator_server, b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", "bad.pdf", "application/pdf")
    assert r.status_code == 415, r.text
    assert r.json()["error"]["innererror"]["code"] == "InvalidDocumentFormat"
    assert "PDF" in r.json()["error"]["message"]


# --- glossaries --------------------------------------------------------------------------------

def _post_with_glossary(server, content: bytes, filename: str, content_type: str, glossary: tuple):
    params = {"api-version": "2024-05-01", "sourceLanguage": "en", "targetLanguage": "es"}
    return httpx.post(server.url + "/translator/document:translate", params=params,
                      files={"document": (filename, content, content_type), "glossary": glossary}, timeout=120)


TSV = ("glossary.tsv", b"house\tvivienda\nred car\tdeportivo rojo\n", "text/tab-separated-values")


def test_a_glossary_forces_its_terms_in_plain_text(translator_server):
    r = _post_with_glossary(translator_server, b"The house is big.\n\nThe cat is black.\n", "a.txt", "text/plain", TSV)
    assert r.status_code == 200, r.text
    first, second = r.text.split("\n\n")
    assert "vivienda" in first and "casa" not in first
    assert second == "El gato es negro.\n"  # no term: translated as without a glossary


def test_a_csv_glossary_in_a_docx(translator_server):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("The house is big.")
    document.add_paragraph("The dog is white.")
    buffer = io.BytesIO()
    document.save(buffer)
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    r = _post_with_glossary(translator_server, buffer.getvalue(), "a.docx", mime,
                            ("terms.csv", b"house,vivienda\ndog,chucho\n", "text/csv"))
    assert r.status_code == 200, r.text
    texts = [p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs]
    assert "vivienda" in texts[0] and "casa" not in texts[0]
    assert "chucho" in texts[1] and "perro" not in texts[1]


def test_an_xliff_glossary_in_a_pdf(translator_server):
    xliff = (b'<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
             b'<file source-language="en" target-language="es" datatype="plaintext" original="g"><body>'
             b'<trans-unit id="1"><source>house</source><target>vivienda</target></trans-unit>'
             b'</body></file></xliff>')
    r = _post_with_glossary(translator_server, _pdf(), "a.pdf", "application/pdf",
                            ("terms.xlf", xliff, "application/xliff+xml"))
    assert r.status_code == 200, r.text
    text = " ".join(w for w, _, _ in _pdf_words(r.content))
    assert "vivienda" in text and "casa" not in text and "El coche es verde" in text


@pytest.mark.parametrize(("glossary", "what"), [
    (("terms.json", b'{"house": "casa"}', "application/json"), "format"),
    (("terms.tsv", b"\n\n", "text/tab-separated-values"), "no terms"),
    (("terms.tsv", b"house\tcasa\tvivienda\n", "text/tab-separated-values"), "Line 1"),
    (("terms.xlf", b"<xliff><unit>", "application/xliff+xml"), "XML"),
    (("terms.tsv", b"\xff\xfeh\x00o\x00u\x00s\x00e\x00", "text/tab-separated-values"), "Line 1"),
    (("terms.tsv", b"\xff\xfehouse", "text/tab-separated-values"), "UTF-16"),
    (("terms.csv", b"caf\xe9,coffee", "text/csv"), "UTF-8"),
])
def test_a_bad_glossary_is_refused(translator_server, glossary, what):
    r = _post_with_glossary(translator_server, b"The house.", "a.txt", "text/plain", glossary)
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["code"] == "InvalidArgument" and error["innererror"]["code"] == "InvalidGlossary"
    assert what in error["message"]
