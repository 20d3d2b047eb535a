"""A CLU project export (``projectFileVersion`` 2022-05-01 .. 2023-04-01), checked and normalised.

Azure's export holds the intents, the entities with their components (learned from labels,
list sublists with synonyms, regular expressions, prebuilt categories) and the labelled
utterances, offsets counted in the file's ``stringIndexType`` (UTF-16 in Azure's exports).
Everything here is converted to code points once; a bad file is a ``ProjectError`` naming
where it is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from airgap.services.conversations.engines.prebuilt import SUPPORTED
from airgap.services.conversations.engines.offsets import CODE_POINT, TEXT_ELEMENT, UTF16, to_code_points

PROJECT_FILE_VERSIONS = ("2022-05-01", "2022-10-01-preview", "2023-04-01")
INDEX_TYPES = {t.lower(): t for t in (UTF16, CODE_POINT, TEXT_ELEMENT)} | {"textelement_v8": TEXT_ELEMENT}
COMPOSITIONS = ("combineComponents", "separateComponents", "returnLongestOverlap", "requireExactOverlap")
COMPONENTS = ("learned", "list", "prebuilts", "regex")
NONE_INTENT = "None"


class ProjectError(ValueError):
    """The export cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Span:
    category: str
    start: int  # code points
    end: int


@dataclass(frozen=True)
class Utterance:
    text: str
    intent: str
    spans: tuple[Span, ...]
    dataset: str  # Train | Test


@dataclass(frozen=True)
class Entity:
    category: str
    composition: str = "combineComponents"
    sublists: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (listKey, synonyms)
    regexes: tuple[tuple[str, str], ...] = ()  # (regexKey, pattern)
    prebuilts: tuple[str, ...] = ()
    required: tuple[str, ...] = ()


@dataclass(frozen=True)
class Project:
    name: str
    language: str
    description: str
    multilingual: bool
    confidence_threshold: float
    intents: tuple[str, ...]
    entities: tuple[Entity, ...]
    utterances: tuple[Utterance, ...]
    warnings: tuple[str, ...] = field(default=())

    @property
    def training(self) -> tuple[Utterance, ...]:
        return tuple(u for u in self.utterances if u.dataset != "Test")


def require_object(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ProjectError(f"{where} must be an object.")
    return value


def optional_list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ProjectError(f"{where} must be an array.")
    return value


def require_name(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ProjectError(f"{where} must be a non-empty string.")
    return value


def parse_project(doc: Any, project_name: str) -> Project:
    """The project in ``doc`` (an export), imported under ``project_name``."""
    doc = require_object(doc, "The project file")
    version = doc.get("projectFileVersion")
    if version not in PROJECT_FILE_VERSIONS:
        raise ProjectError(f"projectFileVersion {version!r} is not supported; supported versions: "
                           f"{', '.join(PROJECT_FILE_VERSIONS)}.")
    raw_index = doc.get("stringIndexType", UTF16)
    index_type = INDEX_TYPES.get(str(raw_index).lower())
    if index_type is None:
        raise ProjectError(f"stringIndexType {raw_index!r} is not one of {UTF16}, {CODE_POINT}, {TEXT_ELEMENT}.")
    metadata = require_object(doc.get("metadata"), "metadata")
    kind = metadata.get("projectKind", "Conversation")
    if kind != "Conversation":
        raise ProjectError(f"metadata.projectKind {kind!r} is not served here: only Conversation projects "
                           "(orchestration projects are not supported offline yet).")
    language = require_name(metadata.get("language", "en-us"), "metadata.language")
    settings = metadata.get("settings") or {}
    threshold = require_object(settings, "metadata.settings").get("confidenceThreshold", 0.0)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 <= threshold <= 1:
        raise ProjectError("metadata.settings.confidenceThreshold must be a number from 0 to 1.")
    assets = require_object(doc.get("assets"), "assets")
    if assets.get("projectKind", "Conversation") != "Conversation":
        raise ProjectError("assets.projectKind must be Conversation.")

    intents: list[str] = []
    for i, raw in enumerate(optional_list(assets.get("intents"), "assets.intents")):
        name = require_name(require_object(raw, f"assets.intents[{i}]").get("category"), f"assets.intents[{i}].category")
        if name in intents:
            raise ProjectError(f"assets.intents[{i}]: intent {name!r} is declared twice.")
        intents.append(name)
    if NONE_INTENT not in intents:
        intents.append(NONE_INTENT)  # always there in CLU; it cannot be deleted

    warnings: list[str] = []
    entities = [_entity(raw, f"assets.entities[{i}]", warnings)
                for i, raw in enumerate(optional_list(assets.get("entities"), "assets.entities"))]
    names = [e.category for e in entities]
    if len(set(names)) != len(names):
        raise ProjectError("assets.entities: an entity category is declared twice.")

    utterances = []
    for i, raw in enumerate(optional_list(assets.get("utterances"), "assets.utterances")):
        utterances.append(_utterance(raw, f"assets.utterances[{i}]", index_type, intents, names))
    return Project(name=project_name, language=language, description=str(metadata.get("description") or ""),
                   multilingual=bool(metadata.get("multilingual", False)), confidence_threshold=float(threshold),
                   intents=tuple(intents), entities=tuple(entities), utterances=tuple(utterances),
                   warnings=tuple(warnings))


def _entity(raw: Any, where: str, warnings: list[str]) -> Entity:
    raw = require_object(raw, where)
    category = require_name(raw.get("category"), f"{where}.category")
    composition = raw.get("compositionSetting") or "combineComponents"
    if composition not in COMPOSITIONS:
        raise ProjectError(f"{where}.compositionSetting {composition!r} is not one of {', '.join(COMPOSITIONS)}.")
    sublists = []
    if raw.get("list") is not None:
        for j, sub in enumerate(optional_list(require_object(raw["list"], f"{where}.list").get("sublists"), f"{where}.list.sublists")):
            sub = require_object(sub, f"{where}.list.sublists[{j}]")
            key = require_name(sub.get("listKey"), f"{where}.list.sublists[{j}].listKey")
            values = [key]
            for k, syn in enumerate(optional_list(sub.get("synonyms"), f"{where}.list.sublists[{j}].synonyms")):
                for v in optional_list(require_object(syn, f"{where}.list.sublists[{j}].synonyms[{k}]").get("values"),
                               f"{where}.list.sublists[{j}].synonyms[{k}].values"):
                    values.append(require_name(v, f"{where}.list.sublists[{j}].synonyms[{k}].values[]"))
            sublists.append((key, tuple(dict.fromkeys(values))))
    regexes = []
    if raw.get("regex") is not None:
        exprs = optional_list(require_object(raw["regex"], f"{where}.regex").get("expressions"), f"{where}.regex.expressions")
        for j, expr in enumerate(exprs):
            expr = require_object(expr, f"{where}.regex.expressions[{j}]")
            key = require_name(expr.get("regexKey"), f"{where}.regex.expressions[{j}].regexKey")
            pattern = require_name(expr.get("regexPattern"), f"{where}.regex.expressions[{j}].regexPattern")
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ProjectError(f"{where}.regex.expressions[{j}].regexPattern is not a valid regular "
                                   f"expression: {exc}.") from None
            regexes.append((key, pattern))
    prebuilts = []
    for j, pre in enumerate(optional_list(raw.get("prebuilts"), f"{where}.prebuilts")):
        prebuilts.append(require_name(require_object(pre, f"{where}.prebuilts[{j}]").get("category"), f"{where}.prebuilts[{j}].category"))
    for name in prebuilts:
        if name.lower() not in SUPPORTED:
            warnings.append(f"Entity {category!r}: prebuilt component {name!r} is not available offline and is "
                            f"ignored; available: {', '.join(sorted(SUPPORTED.values()))}.")
    required = tuple(str(c) for c in optional_list(raw.get("requiredComponents"), f"{where}.requiredComponents"))
    bad = [c for c in required if c not in COMPONENTS]
    if bad:
        raise ProjectError(f"{where}.requiredComponents: {', '.join(bad)} not among {', '.join(COMPONENTS)}.")
    return Entity(category, composition, tuple(sublists), tuple(regexes),
                  tuple(p for p in prebuilts if p.lower() in SUPPORTED), required)


def _utterance(raw: Any, where: str, index_type: str, intents: list[str], entities: list[str]) -> Utterance:
    raw = require_object(raw, where)
    text = require_name(raw.get("text"), f"{where}.text")
    intent = require_name(raw.get("intent"), f"{where}.intent")
    if intent not in intents:
        raise ProjectError(f"{where}.intent {intent!r} is not declared in assets.intents.")
    dataset = raw.get("dataset") or "Train"
    if dataset not in ("Train", "Test"):
        raise ProjectError(f"{where}.dataset must be Train or Test.")
    spans = []
    for j, label in enumerate(optional_list(raw.get("entities"), f"{where}.entities")):
        label = require_object(label, f"{where}.entities[{j}]")
        category = require_name(label.get("category"), f"{where}.entities[{j}].category")
        if category not in entities:
            raise ProjectError(f"{where}.entities[{j}].category {category!r} is not declared in assets.entities.")
        offset, length = label.get("offset"), label.get("length")
        if not isinstance(offset, int) or not isinstance(length, int) or isinstance(offset, bool) or length <= 0:
            raise ProjectError(f"{where}.entities[{j}]: offset and length must be integers, length above 0.")
        bounds = to_code_points(text, offset, length, index_type)
        if bounds is None:
            raise ProjectError(f"{where}.entities[{j}] ({category}): offset {offset} and length {length} fall outside "
                               f"the utterance, which is {len(text)} characters long ({index_type}).")
        spans.append(Span(category, *bounds))
    return Utterance(text, intent, tuple(sorted(spans, key=lambda s: s.start)), dataset)
