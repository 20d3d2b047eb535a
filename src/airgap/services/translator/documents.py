"""Synchronous document translation, as Azure's Translator container serves it:
``POST /translator/document:translate?sourceLanguage=&targetLanguage=&api-version=`` with the file
in the multipart field ``document``; the translated file comes back in the same format.

Formats: plain text, HTML, Markdown and Word (DOCX). Each format is taken apart into the texts a
translation engine sees and put back together around their translations:

- text: paragraph by paragraph (blank lines kept);
- HTML: the whole page in the engines' HTML mode (markup kept, ``notranslate`` honoured);
- Markdown: line by line; block markers (``#``, ``-``, ``1.``, ``>``), fenced and inline code,
  link targets and images' addresses are kept, the rest is translated;
- DOCX (python-docx): every paragraph of the body, tables, headers and footers, with its runs as
  inline elements, so bold or italic words keep their formatting where the engine keeps the
  word order; a paragraph whose runs cannot be matched back gets its whole translation in its
  first run;
- PDF with a text layer (``pdf.py``): block by block, written back into each block's box.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Translate = Callable[[Sequence[str], bool], list[str]]  # (texts, html) -> translations


class UnsupportedDocument(ValueError):
    """The file is not in a format this service translates, or cannot be read as one."""


class DocumentWithoutText(UnsupportedDocument):
    """A PDF without a text layer (a scan): there is nothing to translate before OCR."""


class DocumentToolMissing(RuntimeError):
    """Something the server needs to write this format is not installed (a deployment fault)."""


@dataclass(frozen=True)
class Format:
    name: str
    content_type: str
    extensions: tuple[str, ...]


FORMATS = (
    Format("text", "text/plain", (".txt", ".text")),
    Format("html", "text/html", (".html", ".htm", ".xhtml")),
    Format("markdown", "text/markdown", (".md", ".markdown")),
    Format("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
    Format("pdf", "application/pdf", (".pdf",)),
)


def detect_format(filename: str | None, content_type: str | None) -> Format:
    kind = (content_type or "").split(";")[0].strip().lower()
    for fmt in FORMATS:
        if kind == fmt.content_type or (kind == "text/x-markdown" and fmt.name == "markdown"):
            return fmt
    name = (filename or "").lower()
    for fmt in FORMATS:
        if name.endswith(fmt.extensions):
            return fmt
    supported = ", ".join(f"{f.content_type} ({'/'.join(f.extensions)})" for f in FORMATS)
    raise UnsupportedDocument(f"The document's type {kind or 'unknown'!r} ({filename or 'no file name'}) is not "
                              f"supported; send one of: {supported}.")


def characters(fmt: Format, data: bytes) -> int:
    """What is billed: the characters of the document's text."""
    return len(text_of(fmt, data))


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnsupportedDocument("The document is not valid UTF-8 text.") from None


def text_of(fmt: Format, data: bytes) -> str:
    if fmt.name == "pdf":
        from airgap.services.translator import pdf

        return pdf.text_of(data)
    if fmt.name == "docx":
        document = _open_docx(data)
        return "\n".join(p.text for p in _docx_paragraphs(document))
    text = _decode(data)
    if fmt.name == "html":
        return html.unescape(re.sub(r"<[^>]*>", "", text))
    return text


def translate_document(fmt: Format, data: bytes, translate: Translate) -> bytes:
    if fmt.name == "text":
        return _text(_decode(data), translate).encode("utf-8")
    if fmt.name == "html":
        return translate([_decode(data)], True)[0].encode("utf-8")
    if fmt.name == "markdown":
        return _markdown(_decode(data), translate).encode("utf-8")
    if fmt.name == "pdf":
        from airgap.services.translator import pdf

        return pdf.translate(data, translate)
    return _docx(data, translate)


# --- plain text --------------------------------------------------------------------------------

def _text(text: str, translate: Translate) -> str:
    parts = re.split(r"(\n\s*\n)", text)
    todo = [i for i, p in enumerate(parts) if i % 2 == 0 and p.strip()]
    done = translate([parts[i] for i in todo], False) if todo else []
    for i, out in zip(todo, done, strict=True):
        parts[i] = out
    return "".join(parts)


# --- Markdown ----------------------------------------------------------------------------------

_BLOCK_MARKER = re.compile(r"^(\s*(?:(?:#{1,6}|[-*+]|\d+[.)]|>)\s+)*(?:\[[ xX]\]\s+)?)")
_FENCE = re.compile(r"^\s*(```|~~~)")
_KEEP = re.compile(r"(`+)(.+?)\1|!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)|<[^>\n]+>|https?://\S+")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _markdown(text: str, translate: Translate) -> str:
    lines = text.split("\n")
    fenced = False
    todo: list[tuple[int, str, str]] = []  # (line index, block prefix, HTML to translate)
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or not line.strip() or _TABLE_RULE.match(line) or line.startswith("    "):
            continue
        prefix = _BLOCK_MARKER.match(line).group(1)
        body = line[len(prefix):]
        if body.strip():
            todo.append((index, prefix, _markdown_html(body)))
    done = translate([t for _, _, t in todo], True) if todo else []
    for (index, prefix, _), out in zip(todo, done, strict=True):
        lines[index] = prefix + _markdown_back(out)
    return "\n".join(lines)


def _markdown_html(body: str) -> str:
    """A Markdown line as HTML for the engine: what must not change in ``<code>`` (kept verbatim)."""
    out, pos = [], 0
    for match in _KEEP.finditer(body):
        out.append(html.escape(body[pos:match.start()], quote=False))
        out.append("<code>" + html.escape(match.group(0), quote=False) + "</code>")
        pos = match.end()
    out.append(html.escape(body[pos:], quote=False))
    return "".join(out)


def _markdown_back(translated: str) -> str:
    return html.unescape(re.sub(r"</?code>", "", translated))


# --- DOCX --------------------------------------------------------------------------------------

def _open_docx(data: bytes):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise UnsupportedDocument(f"The document is not a readable DOCX file: {exc}") from None
    except Exception as exc:  # zipfile.BadZipFile, lxml errors: any unreadable package
        raise UnsupportedDocument(f"The document is not a readable DOCX file: {type(exc).__name__}") from None


def _docx_paragraphs(document) -> list:
    paragraphs = list(document.paragraphs)

    def tables(tables_) -> None:
        for table in tables_:
            for row in table.rows:
                for cell in row.cells:
                    paragraphs.extend(cell.paragraphs)
                    tables(cell.tables)

    tables(document.tables)
    for section in document.sections:
        for part in (section.header, section.footer):
            if not part.is_linked_to_previous:
                paragraphs.extend(part.paragraphs)
                tables(part.tables)
    seen, unique = set(), []
    for p in paragraphs:  # merged table cells repeat their paragraphs
        if id(p._p) not in seen:
            seen.add(id(p._p))
            unique.append(p)
    return unique


_RUN = re.compile(r'<span id="r(\d+)">(.*?)</span>', re.S)


def _docx(data: bytes, translate: Translate) -> bytes:
    document = _open_docx(data)
    paragraphs = [p for p in _docx_paragraphs(document) if p.text.strip()]
    markup = []
    for paragraph in paragraphs:
        markup.append("".join(f'<span id="r{i}">{html.escape(run.text, quote=False)}</span>'
                              for i, run in enumerate(paragraph.runs)))
    done = translate(markup, True) if markup else []
    for paragraph, out in zip(paragraphs, done, strict=True):
        runs = paragraph.runs
        found = {int(i): html.unescape(text) for i, text in _RUN.findall(out)}
        if runs and set(found) == set(range(len(runs))):
            for i, run in enumerate(runs):
                run.text = found[i]
        elif runs:
            runs[0].text = html.unescape(re.sub(r"<[^>]+>", "", out))
            for run in runs[1:]:
                run.text = ""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
