"""Glossaries for document translation: terms forced to the user's translation.

Azure's synchronous document translation takes an optional multipart ``glossary`` file: TSV or
CSV (``source<TAB>target`` / ``source,target`` per line) or XLIFF (1.2 ``trans-unit`` or 2.x
``segment``, each ``source`` with its ``target``). A term is found as a whole word, case-sensitively,
longest terms first.

Found terms travel through the engine protected: the text goes in HTML mode with each term in
``<span class="notranslate" id="airgap-g<n>">``, which Apertium's stream format carries as an
untouched blank and the neural path keeps as markup; afterwards each such span becomes the
glossary's target. The engine translates the rest of the sentence around the term.
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import re
from collections.abc import Callable, Sequence
from xml.etree import ElementTree

Translate = Callable[[Sequence[str], bool], list[str]]

MAX_GLOSSARY_BYTES = 1_000_000  # Azure's limit for a synchronous request's glossary: 1 MB
MAX_TERMS = 10_000

FORMATS = {
    ".tsv": "tsv", ".tab": "tsv", ".txt": "tsv", ".csv": "csv", ".xlf": "xliff", ".xliff": "xliff",
    "text/tab-separated-values": "tsv", "text/csv": "csv", "application/csv": "csv",
    "application/xliff+xml": "xliff", "application/x-xliff+xml": "xliff",
}
# Markup, comments, scripts and styles: never searched for terms.
_MARKUP = re.compile(r"<!--.*?-->|<script\b.*?</script\s*>|<style\b.*?</style\s*>|<[^<>]+>", re.S | re.I)
_MARK = re.compile(r'<span class="notranslate" id="airgap-g(\d+)">.*?</span>', re.S)


class GlossaryError(ValueError):
    """The glossary file cannot be read, or holds no terms."""


class Glossary:
    def __init__(self, terms: Sequence[tuple[str, str]]) -> None:
        self.terms = sorted(terms, key=lambda st: -len(st[0]))  # (source, target), longest source first
        escaped = "|".join(re.escape(html.escape(s, quote=False)) for s, _ in self.terms)
        self._pattern = re.compile(rf"(?<!\w)(?:{escaped})(?!\w)")
        self._index = {html.escape(s, quote=False): i for i, (s, _) in enumerate(self.terms)}

    def mark(self, markup: str) -> str:
        """``markup`` (HTML) with each term in its text wrapped in a protected span."""
        out, pos = [], 0
        for match in _MARKUP.finditer(markup):
            out.append(self._mark_text(markup[pos:match.start()]))
            out.append(match.group(0))
            pos = match.end()
        out.append(self._mark_text(markup[pos:]))
        return "".join(out)

    def _mark_text(self, text: str) -> str:
        return self._pattern.sub(
            lambda m: f'<span class="notranslate" id="airgap-g{self._index[m.group(0)]}">{m.group(0)}</span>', text)

    def unmark(self, markup: str) -> str:
        return _MARK.sub(lambda m: html.escape(self.terms[int(m.group(1))][1], quote=False), markup)

    def wrap(self, translate: Translate) -> Translate:
        """``translate`` with the glossary's terms forced; texts without a term go the usual way."""
        def forced(texts: Sequence[str], markup: bool) -> list[str]:
            prepared = [t if markup else html.escape(t, quote=False) for t in texts]
            marked = [self.mark(t) for t in prepared]
            hit = [i for i, (a, b) in enumerate(zip(prepared, marked, strict=True)) if a != b]
            rest = sorted(set(range(len(texts))) - set(hit))
            out = list(texts)
            if rest:
                for i, result in zip(rest, translate([texts[i] for i in rest], markup), strict=True):
                    out[i] = result
            if hit:
                done = translate([marked[i] for i in hit], True)
                for i, result in zip(hit, done, strict=True):
                    result = self.unmark(result)
                    out[i] = result if markup else html.unescape(result)
            return out
        return forced


def parse(filename: str | None, content_type: str | None, data: bytes) -> Glossary:
    kind = FORMATS.get((content_type or "").split(";")[0].strip().lower())
    name = (filename or "").lower()
    if kind is None:
        kind = next((k for ext, k in FORMATS.items() if ext.startswith(".") and name.endswith(ext)), None)
    if kind is None:
        raise GlossaryError(f"The glossary {filename or ''!r} ({content_type or 'no content type'}) is not in a "
                            "format read here: send TSV (.tsv, source<TAB>target), CSV (.csv) or XLIFF (.xlf).")
    if len(data) > MAX_GLOSSARY_BYTES:
        raise GlossaryError(f"The glossary has {len(data):,} bytes; at most {MAX_GLOSSARY_BYTES:,} are allowed.")
    terms = _xliff(data) if kind == "xliff" else _delimited(_decode(data), "\t" if kind == "tsv" else ",")
    terms = [(s.strip(), t.strip()) for s, t in terms]
    unique = {s: t for s, t in terms if s}
    if not unique:
        raise GlossaryError("The glossary holds no terms: send one source and target term per line.")
    if len(unique) > MAX_TERMS:
        raise GlossaryError(f"The glossary has {len(unique):,} terms; at most {MAX_TERMS:,} are allowed.")
    return Glossary(list(unique.items()))


def _decode(data: bytes) -> str:
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GlossaryError("The glossary is not UTF-8 (or UTF-16 with a byte order mark) text.") from None


def _delimited(text: str, delimiter: str) -> list[tuple[str, str]]:
    if "\x00" in text:
        raise GlossaryError("The glossary is not a text file.")
    terms = []
    for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        cells = [c for c in row if c.strip()]
        if not cells:
            continue
        if len(cells) != 2:
            name = "tab" if delimiter == "\t" else "comma"
            raise GlossaryError(f"Line {number} of the glossary has {len(cells)} {name}-separated fields; each "
                                "line needs exactly two: the source term and its target.")
        terms.append((cells[0], cells[1]))
    return terms


def _xliff(data: bytes) -> list[tuple[str, str]]:
    if b"<!DOCTYPE" in data[:4096].upper() or b"<!ENTITY" in data.upper():
        raise GlossaryError("The XLIFF glossary declares a DOCTYPE or entities, which are not read.")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise GlossaryError(f"The XLIFF glossary is not well-formed XML: {exc}.") from None
    terms = []
    for parent in root.iter():
        children = {child.tag.rsplit("}", 1)[-1]: child for child in parent}
        if "source" in children and "target" in children:
            source = "".join(children["source"].itertext())
            target = "".join(children["target"].itertext())
            terms.append((source, target))
    return terms
