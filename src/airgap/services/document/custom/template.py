"""Analyze with a template model: align the new page on the template's anchors (page size
alone when none is found), take the words inside each field's region, type their value.
Plain Python over ``layout.Layout``; the result is a ``words.Document`` for ``wire_fields``."""

from __future__ import annotations

from typing import Any

from airgap.services.document.custom.build import Box, apply, escape, fit, fold_word, unescape
from airgap.services.document.engines.parsers import find_date, find_time, parse_amount, parse_number
from airgap.services.document.engines.words import Document, Field, Word, mean_confidence, pages
from airgap.services.document.layout import Layout

MIN_OVERLAP = 0.5  # of a word's width inside a region for the word to belong to the field


def analyze_template(template: dict[str, Any], model_id: str, layout: Layout) -> Document:
    sizes = {laid.page.number: (laid.page.width, laid.page.height) for laid in layout.pages}
    words = [w for page in pages(layout) for line in page.lines for w in line]
    marks = _marks(layout)
    transforms, matched = _align(template, words, sizes)
    leaves: dict[str, Field] = {}
    for path, spec in template["fields"].items():
        page = spec["page"]
        if page not in sizes:
            continue
        width, height = sizes[page]
        region = apply(transforms.get(page), tuple(spec["box"]))
        region = (region[0] * width, region[1] * height, region[2] * width, region[3] * height)
        leaves[path] = _leaf(spec, [w for w in words if w.page == page],
                             [m for m in marks if m.page == page], region)
    fields = {name: _assemble(name, schema, leaves) for name, schema in template["fieldSchema"].items()}
    anchors = len(template["anchors"])
    # How much of the form's own printed text was found in place: a document of another form scores low.
    confidence = round(max(0.05, matched / anchors), 3) if anchors else 0.5
    return Document(model_id, fields, confidence)


def _marks(layout: Layout) -> list[Word]:
    out = []
    for laid in layout.pages:
        for m in laid.marks:
            xs, ys = [p[0] for p in m.polygon], [p[1] for p in m.polygon]
            out.append(Word(":selected:" if m.selected else ":unselected:", m.span,
                            (min(xs), min(ys), max(xs), max(ys)), laid.page.number, -1, m.confidence))
    return out


def _align(template: dict[str, Any], words: list[Word], sizes: dict[int, tuple[float, float]]):
    """Template -> page transform per page, fitted on anchor words found once on the page."""
    anchors = {(a["page"], a["text"]): (a["x"], a["y"]) for a in template["anchors"]}
    spots: dict[tuple[int, str], list[tuple[float, float]]] = {}
    for w in words:
        key = (w.page, fold_word(w.text))
        if key in anchors:
            width, height = sizes[w.page]
            spots.setdefault(key, []).append(((w.box[0] + w.box[2]) / 2 / width, (w.box[1] + w.box[3]) / 2 / height))
    pairs: dict[int, list] = {}
    for key, found in spots.items():
        if len(found) == 1:
            pairs.setdefault(key[0], []).append((anchors[key], found[0]))
    transforms = {page: fit(found) for page, found in pairs.items()}
    matched = sum(len(found) for found in pairs.values())
    return transforms, matched


def _leaf(spec: dict[str, Any], words: list[Word], marks: list[Word], region: Box) -> Field:
    kind = spec["type"]
    pool = marks if kind == "selectionMark" else words
    inside = []
    fits = []
    for w in pool:
        share = _share(w.box, region)
        if share >= MIN_OVERLAP:
            inside.append(w)
            fits.append(share)
    wire_kind = kind if kind not in ("array", "object") else "string"
    if not inside:
        if kind == "selectionMark":
            return Field("selectionMark", None)
        if kind == "signature":
            return Field("signature", "unsigned", confidence=round(spec["confidence"] * 0.5, 3))
        return Field(wire_kind, None)
    inside.sort(key=lambda w: (w.line, w.box[0]))
    confidence = spec["confidence"] * mean_confidence(inside) * (sum(fits) / len(fits))
    field = Field(wire_kind, None, tuple(inside), round(min(1.0, confidence), 3))
    field.value = _value(wire_kind, field.content or "")
    return field


def _share(word: Box, region: Box) -> float:
    """The share of a word's width inside the region, when its middle is within the region's height."""
    middle = (word[1] + word[3]) / 2
    if not region[1] <= middle <= region[3]:
        return 0.0
    inter = max(0.0, min(word[2], region[2]) - max(word[0], region[0]))
    width = word[2] - word[0]
    return inter / width if width > 0 else 0.0


def _value(kind: str, text: str) -> Any:
    if kind == "string":
        return text
    if kind == "number":
        number = parse_number(text)
        if number is None:
            money = parse_amount(text)
            number = money.amount if money is not None else None
        return number
    if kind == "integer":
        digits = "".join(c for c in text if c.isdigit())
        return int(digits) if digits and len(digits) < 19 else None
    if kind == "date":
        found = find_date(text)
        return found[0] if found else None
    if kind == "time":
        found = find_time(text)
        return found[0] if found else None
    if kind == "selectionMark":
        return "selected" if ":selected:" in text else "unselected"
    if kind == "signature":
        return "signed"
    return text


def _assemble(name: str, schema: dict[str, Any], leaves: dict[str, Field]) -> Field:
    """A top-level field from its labelled leaves: a plain field, an array of row objects
    (``Items/0/Amount``) or an object (``Table/Row/Column``)."""
    key = escape(name)
    if schema["type"] not in ("array", "object"):
        return leaves.get(key) or Field(schema["type"], None)
    children: dict[str, dict[str, Field]] = {}
    for path, leaf in leaves.items():
        parts = path.split("/")
        if parts[0] != key or len(parts) < 2:
            continue
        if len(parts) == 2:
            children.setdefault("", {})[unescape(parts[1])] = leaf
        else:
            children.setdefault(parts[1], {})[unescape(parts[2])] = leaf
    if schema["type"] == "array":
        rows = []
        for row in sorted((r for r in children if r.isdigit()), key=int):
            cells = {c: f for c, f in children[row].items() if f.words}
            if cells:
                rows.append(_object(cells))
        return Field("array", rows)
    if "" in children:  # an object of plain sub-fields
        found = {c: f for c, f in children[""].items() if f.words}
        return _object(found) if found else Field("object", None)
    rows = {unescape(r): _object(cells) for r, cells in children.items() if any(f.words for f in cells.values())}
    return Field("object", rows or None)


def _object(cells: dict[str, Field]) -> Field:
    words = tuple(w for f in cells.values() for w in f.words)
    scores = [f.confidence for f in cells.values() if f.confidence is not None]
    return Field("object", cells, tuple(sorted(words, key=lambda w: (w.line, w.box[0]))),
                 round(sum(scores) / len(scores), 3) if scores else None)
