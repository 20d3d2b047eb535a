"""A template model from the Studio's labelling files: plain Python over their JSON, no HTTP.

The template is, per labelled field, where its words sat on the samples, in page fractions
after aligning each sample on the *anchors*: words printed once, at the same place, on every
sample and inside no label (the form's own text). At analyze time (``template.py``) the anchors
found on the new page align it the same way. A field's confidence is how well its samples'
boxes agree (pairwise overlap after alignment) times the share of samples that labelled it.
"""

from __future__ import annotations

import math
import re
import statistics
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import orjson

Box = tuple[float, float, float, float]  # left, top, right, bottom in page fractions (0-1)
TEMPLATE_VERSION = 1
FIELD_TYPES = {"string", "number", "date", "time", "integer", "selectionMark", "signature", "array", "object"}
# Studio boxes are normalised; a hair past the edge is rounding, more is a box off the page.
EDGE_SLACK = 0.01
ANCHOR_SPREAD = 0.04  # how far (page fraction) a form's own word may move between samples


class TrainingDataError(ValueError):
    """The labelled files cannot make a model; the message says what to fix."""

    def __init__(self, message: str, inner_code: str = "TrainingContentMissing") -> None:
        super().__init__(message)
        self.inner_code = inner_code


@dataclass
class Sample:
    name: str
    pages: list[tuple[float, float]]  # width, height in the OCR's unit
    words: list[tuple[int, str, Box]]  # page, folded text, box
    labels: dict[str, list[tuple[int, Box]]] = field(default_factory=dict)  # path -> (page, word box)


def fold_word(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[^\w]", "", text)


# -- reading the labelling files ------------------------------------------------------------

def read_training_set(files: Mapping[str, bytes]) -> tuple[dict[str, Any], list[Sample]]:
    """``files``: relative name -> bytes (a zip's members or a folder's files). Returns the field
    schema (fields.json) and the labelled samples."""
    by_base = {name.rsplit("/", 1)[-1]: data for name, data in files.items() if not name.endswith("/")}
    if "fields.json" not in by_base:
        raise TrainingDataError("The training data has no fields.json: label the documents in the Studio (or write "
                                "fields.json, <document>.labels.json and <document>.ocr.json) and send the files.")
    schema = _load(by_base, "fields.json")
    fields = _field_types(schema)
    samples = []
    for name in sorted(by_base):
        if not name.endswith(".labels.json"):
            continue
        document = name[: -len(".labels.json")]
        labels = _load(by_base, name)
        ocr_name = f"{document}.ocr.json"
        if ocr_name not in by_base:
            raise TrainingDataError(f"{name} has no {ocr_name} beside it: the Studio writes the layout result of each "
                                    "labelled document there; run prebuilt-layout on it and save the operation's JSON.")
        sample = _sample(document, _load(by_base, ocr_name), labels, fields)
        if sample.labels:
            samples.append(sample)
    if not samples:
        raise TrainingDataError("No labelled document was found: the training data needs at least one "
                                "<document>.labels.json with labels (five labelled samples are recommended).")
    return schema, samples


def _load(files: Mapping[str, bytes], name: str) -> Any:
    try:
        return orjson.loads(files[name].removeprefix(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError as exc:
        raise TrainingDataError(f"{name} is not valid JSON ({exc}).", "InvalidTrainingContent") from None


def _field_types(schema: Any) -> dict[str, str]:
    """Every labelable path pattern -> type: ``Name``, ``Items/*/Amount`` (array rows), ``T/Row/Col``."""
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        raise TrainingDataError("fields.json must be an object with a 'fields' list.", "InvalidTrainingContent")
    definitions = schema.get("definitions") or {}
    out: dict[str, str] = {}

    def walk(prefix: str, spec: Any, depth: int) -> None:
        if not isinstance(spec, dict) or not isinstance(spec.get("fieldKey"), str) or depth > 4:
            raise TrainingDataError("Each entry of fields.json needs a fieldKey and a fieldType.",
                                    "InvalidTrainingContent")
        kind = spec.get("fieldType", "string")
        if kind not in FIELD_TYPES:
            raise TrainingDataError(f"Field '{spec['fieldKey']}' has fieldType '{kind}'; use one of "
                                    f"{', '.join(sorted(FIELD_TYPES))}.", "InvalidTrainingContent")
        path = f"{prefix}{escape(spec['fieldKey'])}"
        out[path] = kind
        if kind == "array":
            item = definitions.get(spec.get("itemType") or "", {})
            for sub in item.get("fields") or []:
                walk(f"{path}/*/", sub, depth + 1)
        elif kind == "object":
            for sub in spec.get("fields") or definitions.get(spec.get("itemType") or "", {}).get("fields") or []:
                walk(f"{path}/", sub, depth + 1)

    for spec in schema["fields"]:
        walk("", spec, 0)
    return out


def escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def unescape(key: str) -> str:
    return key.replace("~1", "/").replace("~0", "~")


def path_type(types: Mapping[str, str], path: str) -> str | None:
    if path in types:
        return types[path]
    parts = path.split("/")
    for i, part in enumerate(parts):  # a dynamic table's row index matches '*'
        if part.isdigit():
            pattern = "/".join([*parts[:i], "*", *parts[i + 1:]])
            if pattern in types:
                return types[pattern]
    # A fixed table (object of objects) names rows the schema lists only as the table's object type.
    if len(parts) == 3 and types.get(parts[0]) == "object":
        return types.get(f"{parts[0]}/{parts[2]}") or "string"
    return None


def _sample(document: str, ocr: Any, labels: Any, types: Mapping[str, str]) -> Sample:
    result = ocr.get("analyzeResult") if isinstance(ocr, dict) else None
    if not isinstance(result, dict) or not isinstance(result.get("pages"), list) or not result["pages"]:
        raise TrainingDataError(f"{document}.ocr.json holds no layout result (analyzeResult.pages).",
                                "InvalidTrainingContent")
    pages: list[tuple[float, float]] = []
    words: list[tuple[int, str, Box]] = []
    for number, page in enumerate(result["pages"], 1):
        width, height = float(page.get("width") or 0), float(page.get("height") or 0)
        if width <= 0 or height <= 0:
            raise TrainingDataError(f"{document}.ocr.json: page {number} has no width or height.",
                                    "InvalidTrainingContent")
        pages.append((width, height))
        for word in page.get("words") or []:
            text = fold_word(str(word.get("content", "")))
            polygon = word.get("polygon") or []
            if text and len(polygon) >= 8:
                xs, ys = polygon[0::2], polygon[1::2]
                words.append((number, text, (min(xs) / width, min(ys) / height, max(xs) / width, max(ys) / height)))
    sample = Sample(document, pages, words)
    entries = labels.get("labels") if isinstance(labels, dict) else None
    if not isinstance(entries, list):
        raise TrainingDataError(f"{document}.labels.json must be an object with a 'labels' list.",
                                "InvalidTrainingContent")
    for entry in entries:
        path = entry.get("label") if isinstance(entry, dict) else None
        if not isinstance(path, str) or not path:
            raise TrainingDataError(f"{document}.labels.json: every label needs a 'label' name.",
                                    "InvalidTrainingContent")
        if path_type(types, path) is None:
            raise TrainingDataError(f"{document}.labels.json labels '{path}', which fields.json does not define.",
                                    "InvalidTrainingContent")
        for value in entry.get("value") or []:
            page = value.get("page", 1) if isinstance(value, dict) else None
            if not isinstance(page, int):
                raise TrainingDataError(f"{document}.labels.json: each value of label '{path}' needs a page number "
                                        "and boundingBoxes.", "InvalidTrainingContent")
            if not 1 <= page <= len(pages):
                raise TrainingDataError(f"{document}.labels.json: label '{path}' points at page {page}; the document "
                                        f"has {len(pages)} page(s).", "InvalidTrainingContent")
            for box in value.get("boundingBoxes") or []:
                if not isinstance(box, list) or len(box) != 8 or not all(isinstance(v, int | float) for v in box):
                    raise TrainingDataError(f"{document}.labels.json: label '{path}' has a bounding box that is not "
                                            "8 numbers.", "InvalidTrainingContent")
                if any(v < -EDGE_SLACK or v > 1 + EDGE_SLACK for v in box):
                    raise TrainingDataError(
                        f"{document}.labels.json: label '{path}' points outside page {page} ({box}); boundingBoxes "
                        "are fractions of the page's width and height, between 0 and 1.", "InvalidTrainingContent")
                xs, ys = box[0::2], box[1::2]
                sample.labels.setdefault(path, []).append((page, (min(xs), min(ys), max(xs), max(ys))))
    return sample


# -- the template ---------------------------------------------------------------------------

def build_template(schema: dict[str, Any], samples: list[Sample]) -> dict[str, Any]:
    """The model's template (JSON-ready): its field schema, anchors and per-field regions."""
    types = _field_types(schema)
    anchors = _anchors(samples)
    transforms = [_fit(_matches(anchors, s)) for s in samples]
    regions: dict[str, Any] = {}
    paths = sorted({p for s in samples for p in s.labels})
    for path in paths:
        per_sample: list[tuple[int, Box]] = []
        for sample, transform in zip(samples, transforms, strict=True):
            boxes = sample.labels.get(path)
            if not boxes:
                continue
            page = boxes[0][0]
            on_page = [_apply(transform.get(page), b) for p, b in boxes if p == page]
            per_sample.append((page, _union(on_page)))
        page = statistics.mode(p for p, _ in per_sample)
        boxes = [b for p, b in per_sample if p == page]
        line = statistics.median(b[3] - b[1] for b in boxes)
        left, top, right, bottom = _union(boxes)
        region = (left - 0.5 * line, top - 0.3 * line, right + 0.5 * line, bottom + 0.3 * line)
        agreement = _agreement(boxes)
        regions[path] = {"type": path_type(types, path), "page": page, "box": [round(v, 5) for v in region],
                         "confidence": round(agreement * len(boxes) / len(samples), 3), "samples": len(boxes)}
    return {"version": TEMPLATE_VERSION, "fieldSchema": field_schema(schema), "fields": regions,
            "anchors": [{"page": p, "text": t, "x": round(x, 5), "y": round(y, 5)} for (p, t), (x, y) in anchors.items()],
            "fieldConfidence": field_confidence(regions, field_schema(schema)), "samples": len(samples)}


def field_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """fields.json as Azure's ``fieldSchema`` (``type``, ``items``, ``properties``)."""
    definitions = schema.get("definitions") or {}

    def convert(spec: dict[str, Any]) -> dict[str, Any]:
        kind = spec.get("fieldType", "string")
        out: dict[str, Any] = {"type": kind}
        if kind == "array":
            item = definitions.get(spec.get("itemType") or "", {})
            out["items"] = {"type": "object", "properties": {s["fieldKey"]: convert(s) for s in item.get("fields") or []}}
        elif kind == "object":
            subs = spec.get("fields") or definitions.get(spec.get("itemType") or "", {}).get("fields") or []
            out["properties"] = {s["fieldKey"]: convert(s) for s in subs}
        return out

    return {spec["fieldKey"]: convert(spec) for spec in schema["fields"]}


def field_confidence(regions: Mapping[str, Any], schema: Mapping[str, Any]) -> dict[str, float]:
    """Per top-level field: the mean confidence of its labelled parts (table cells)."""
    out = {}
    for name in schema:
        key = escape(name)
        parts = [r["confidence"] for p, r in regions.items() if p == key or p.startswith(key + "/")]
        if parts:
            out[name] = round(sum(parts) / len(parts), 3)
    return out


def _anchors(samples: list[Sample]) -> dict[tuple[int, str], tuple[float, float]]:
    """(page, word) printed once per page on every sample, in about the same place, inside no label."""
    seen: list[dict[tuple[int, str], tuple[float, float]]] = []
    for sample in samples:
        labelled = [(p, b) for boxes in sample.labels.values() for p, b in boxes]
        counts: dict[tuple[int, str], list[tuple[float, float]]] = {}
        for page, text, box in sample.words:
            if len(text) < 2 or any(p == page and _inside(box, b) for p, b in labelled):
                continue
            counts.setdefault((page, text), []).append(_centre(box))
        seen.append({key: spots[0] for key, spots in counts.items() if len(spots) == 1})
    common = set(seen[0]).intersection(*seen[1:])
    anchors = {}
    for key in common:
        xs = [s[key][0] for s in seen]
        ys = [s[key][1] for s in seen]
        if max(xs) - min(xs) <= ANCHOR_SPREAD and max(ys) - min(ys) <= ANCHOR_SPREAD:
            anchors[key] = (sum(xs) / len(xs), sum(ys) / len(ys))
    return anchors


Transform = tuple[float, float, float, float]  # x' = ax*x + bx, y' = ay*y + by


def _matches(anchors: Mapping[tuple[int, str], tuple[float, float]], sample: Sample
             ) -> dict[int, list[tuple[tuple[float, float], tuple[float, float]]]]:
    """Per page: (sample position, template position) of each anchor found once on the sample."""
    spots: dict[tuple[int, str], list[tuple[float, float]]] = {}
    for page, text, box in sample.words:
        if (page, text) in anchors:
            spots.setdefault((page, text), []).append(_centre(box))
    out: dict[int, list] = {}
    for key, found in spots.items():
        if len(found) == 1:
            out.setdefault(key[0], []).append((found[0], anchors[key]))
    return out


def fit(pairs: list[tuple[tuple[float, float], tuple[float, float]]]) -> Transform | None:
    """The axis-aligned scale and shift taking the first points of ``pairs`` to the second:
    a shift from the median offset, outliers (a word that moved with a value) dropped, then a
    scale too where the anchors spread far enough to fix one. None without anchors."""
    if not pairs:
        return None
    dx = statistics.median(b[0] - a[0] for a, b in pairs)
    dy = statistics.median(b[1] - a[1] for a, b in pairs)
    kept = [(a, b) for a, b in pairs if abs(a[0] + dx - b[0]) < 0.03 and abs(a[1] + dy - b[1]) < 0.03]
    ax, bx = _axis([(a[0], b[0]) for a, b in kept], dx)
    ay, by = _axis([(a[1], b[1]) for a, b in kept], dy)
    return ax, bx, ay, by


def _fit(matches: Mapping[int, list]) -> dict[int, Transform | None]:
    return {page: fit(pairs) for page, pairs in matches.items()}


def _axis(pairs: list[tuple[float, float]], shift: float) -> tuple[float, float]:
    if len(pairs) >= 3:
        xs = [a for a, _ in pairs]
        mean_a = sum(xs) / len(xs)
        spread = sum((a - mean_a) ** 2 for a in xs)
        if spread > 0.02:  # anchors about a third of the page apart or more
            mean_b = sum(b for _, b in pairs) / len(pairs)
            scale = sum((a - mean_a) * (b - mean_b) for a, b in pairs) / spread
            if 0.8 < scale < 1.25:
                return scale, mean_b - scale * mean_a
    if pairs:
        shift = statistics.median(b - a for a, b in pairs)
    return 1.0, shift


def _apply(transform: Transform | None, box: Box) -> Box:
    if transform is None:
        return box
    ax, bx, ay, by = transform
    return ax * box[0] + bx, ay * box[1] + by, ax * box[2] + bx, ay * box[3] + by


def apply(transform: Transform | None, box: Box) -> Box:
    return _apply(transform, box)


def _union(boxes: list[Box]) -> Box:
    return min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)


def _centre(box: Box) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def _inside(word: Box, region: Box) -> bool:
    x, y = _centre(word)
    return region[0] <= x <= region[2] and region[1] <= y <= region[3]


def _agreement(boxes: list[Box]) -> float:
    """Mean over pairs of samples: vertical overlap (same line) times horizontal overlap of the
    shorter box (values of different length that start in one place agree). One sample: 0.5."""
    if len(boxes) < 2:
        return 0.5
    scores = []
    for a, b in combinations(boxes, 2):
        scores.append(_overlap(a[1], a[3], b[1], b[3], union=True) * _overlap(a[0], a[2], b[0], b[2], union=False))
    return sum(scores) / len(scores)


def _overlap(a0: float, a1: float, b0: float, b1: float, union: bool) -> float:
    inter = max(0.0, min(a1, b1) - max(a0, b0))
    whole = (max(a1, b1) - min(a0, b0)) if union else min(a1 - a0, b1 - b0)
    return inter / whole if whole > 0 and not math.isclose(whole, 0) else 0.0
