"""A LUIS app JSON (``luis_schema_version`` 3.x to 7.x, as the LUIS portal exports it) turned into
a CLU project export, which ``project.parse_project`` then checks and trains like any other.

Going through the CLU export keeps one training path and lets an app imported with
``:import?format=luis`` be stored, trained and deployed as a CLU project, as Azure's CLU does.
The conversion follows Azure's LUIS-to-CLU migration: machine-learned entities become learned
entities, a 7.x entity with children becomes its leaves, named ``Parent.Child`` (the CRF labels
flat spans, as CLU's learned component does); closed lists, regex and prebuilt entities become
list, regex and prebuilt components. Labels' ``startPos``/``endPos`` are inclusive UTF-16
positions. Patterns, pattern.any, composites, phrase lists and roles do not carry over; the
result's ``warnings`` say so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from airgap.services.conversations.engines.prebuilt import SUPPORTED
from airgap.services.conversations.engines.project import NONE_INTENT, ProjectError, optional_list, require_name, require_object

SCHEMA_MAJORS = ("3", "4", "5", "6", "7")
EXPORT_VERSION = "2023-04-01"
# Entity kinds, as LUIS v3's $instance names them (modelTypeId, modelType).
LEARNED, PREBUILT, LIST, REGEX = "learned", "prebuilt", "list", "regex"
MODEL_TYPES = {LEARNED: (1, "Entity Extractor"), PREBUILT: (2, "Prebuilt Entity Extractor"),
               LIST: (5, "List Entity Extractor"), REGEX: (8, "Regex Entity Extractor")}
# LUIS prebuilt names -> the v2 ``type`` / v3 ``$instance.type`` they report (datetimeV2 adds its subtype).
BUILTIN_TYPES = {"number": "builtin.number", "ordinal": "builtin.ordinal", "ordinalv2": "builtin.ordinalV2",
                 "percentage": "builtin.percentage", "money": "builtin.currency",
                 "temperature": "builtin.temperature", "datetimev2": "builtin.datetimeV2",
                 "email": "builtin.email", "url": "builtin.url", "phonenumber": "builtin.phonenumber"}
_UNCARRIED = {"patterns": "patterns", "patternAnyEntities": "pattern.any entities", "composites": "composite entities",
              "phraselists": "phrase lists", "regex_features": "regex features"}


@dataclass(frozen=True)
class LuisApp:
    """What the LUIS routes need beyond the trained project: the app's names and each entity's kind."""

    name: str
    version: str
    culture: str
    kinds: Mapping[str, str]       # entity name -> LEARNED | PREBUILT | LIST | REGEX
    export: dict[str, Any]         # the CLU project export the app becomes
    warnings: tuple[str, ...]


def is_luis_app(doc: Any) -> bool:
    return isinstance(doc, Mapping) and "luis_schema_version" in doc


def convert(doc: Any, project_name: str) -> LuisApp:
    """The CLU export of LUIS app ``doc``, imported as ``project_name``; a bad app is a ``ProjectError``."""
    doc = require_object(doc, "The LUIS app file")
    schema = str(doc.get("luis_schema_version", ""))
    if schema.split(".")[0] not in SCHEMA_MAJORS:
        raise ProjectError(f"luis_schema_version {schema!r} is not supported; supported: 3.x to 7.x.")
    culture = str(doc.get("culture") or "en-us").lower()
    warnings = [f"LUIS {what} are not carried over to the offline model ({len(doc[key])} ignored)."
                for key, what in _UNCARRIED.items() if optional_list(doc.get(key), key)]

    intents: list[str] = []
    for i, raw in enumerate(optional_list(doc.get("intents"), "intents")):
        name = require_name(require_object(raw, f"intents[{i}]").get("name"), f"intents[{i}].name")
        if name in intents:
            raise ProjectError(f"intents[{i}]: intent {name!r} is declared twice.")
        intents.append(name)
    if NONE_INTENT not in intents:
        intents.append(NONE_INTENT)

    kinds: dict[str, str] = {}
    entities: list[dict[str, Any]] = []

    def declare(name: str, kind: str, entity: dict[str, Any], where: str) -> None:
        if name in kinds:
            raise ProjectError(f"{where}: entity {name!r} is declared twice.")
        kinds[name] = kind
        entities.append({"category": name, **entity})

    def learned(raw: Any, where: str, parent: str = "") -> None:
        raw = require_object(raw, where)
        name = parent + require_name(raw.get("name"), f"{where}.name")
        children = optional_list(raw.get("children"), f"{where}.children")
        if optional_list(raw.get("roles"), f"{where}.roles"):
            warnings.append(f"Entity {name!r}: roles are not told apart offline; role labels train the entity.")
        if not children:
            declare(name, LEARNED, {}, where)
        for j, child in enumerate(children):
            learned(child, f"{where}.children[{j}]", name + ".")

    for i, raw in enumerate(optional_list(doc.get("entities"), "entities")):
        learned(raw, f"entities[{i}]")
    for i, raw in enumerate(optional_list(doc.get("hierarchicals"), "hierarchicals")):
        raw = require_object(raw, f"hierarchicals[{i}]")
        parent = require_name(raw.get("name"), f"hierarchicals[{i}].name")
        for j, child in enumerate(optional_list(raw.get("children"), f"hierarchicals[{i}].children")):
            child_name = child if isinstance(child, str) else require_object(child, "child").get("name")
            declare(f"{parent}.{require_name(child_name, f'hierarchicals[{i}].children[{j}]')}", LEARNED, {},
                    f"hierarchicals[{i}]")
    for i, raw in enumerate(optional_list(doc.get("closedLists"), "closedLists")):
        where = f"closedLists[{i}]"
        raw = require_object(raw, where)
        sublists = []
        for j, sub in enumerate(optional_list(raw.get("subLists"), f"{where}.subLists")):
            sub = require_object(sub, f"{where}.subLists[{j}]")
            key = require_name(sub.get("canonicalForm"), f"{where}.subLists[{j}].canonicalForm")
            values = [require_name(v, f"{where}.subLists[{j}].list[]")
                      for v in optional_list(sub.get("list"), f"{where}.subLists[{j}].list")]
            sublists.append({"listKey": key, "synonyms": [{"language": culture, "values": values}]})
        declare(require_name(raw.get("name"), f"{where}.name"), LIST, {"list": {"sublists": sublists}}, where)
    for i, raw in enumerate(optional_list(doc.get("regex_entities"), "regex_entities")):
        where = f"regex_entities[{i}]"
        raw = require_object(raw, where)
        name = require_name(raw.get("name"), f"{where}.name")
        pattern = require_name(raw.get("regexPattern"), f"{where}.regexPattern")
        declare(name, REGEX, {"regex": {"expressions": [
            {"regexKey": name, "language": culture, "regexPattern": pattern}]}}, where)
    for i, raw in enumerate(optional_list(doc.get("prebuiltEntities"), "prebuiltEntities")):
        where = f"prebuiltEntities[{i}]"
        name = require_name(require_object(raw, where).get("name"), f"{where}.name")
        if name.lower() not in SUPPORTED or name.lower() not in BUILTIN_TYPES:
            warnings.append(f"Prebuilt entity {name!r} is not available offline and is ignored; available: "
                            f"{', '.join(sorted(n for n in BUILTIN_TYPES if n in SUPPORTED))}.")
            continue
        declare(name, PREBUILT, {"prebuilts": [{"category": SUPPORTED[name.lower()]}]}, where)

    utterances = [_utterance(raw, f"utterances[{i}]", intents, kinds)
                  for i, raw in enumerate(optional_list(doc.get("utterances"), "utterances"))]
    name = str(doc.get("name") or project_name)
    export = {
        "projectFileVersion": EXPORT_VERSION,
        "stringIndexType": "Utf16CodeUnit",
        "metadata": {"projectKind": "Conversation", "settings": {"confidenceThreshold": 0.0},
                     "projectName": project_name, "multilingual": False, "language": culture,
                     "description": str(doc.get("desc") or f"LUIS app {name} {doc.get('versionId', '')}".strip())},
        "assets": {"projectKind": "Conversation", "intents": [{"category": i} for i in intents],
                   "entities": entities, "utterances": utterances},
    }
    return LuisApp(name, str(doc.get("versionId") or ""), culture, kinds, export, tuple(warnings))


def _utterance(raw: Any, where: str, intents: list[str], kinds: Mapping[str, str]) -> dict[str, Any]:
    raw = require_object(raw, where)
    text = require_name(raw.get("text"), f"{where}.text")
    intent = require_name(raw.get("intent"), f"{where}.intent")
    if intent not in intents:
        raise ProjectError(f"{where}.intent {intent!r} is not declared in intents.")
    labels: list[dict[str, Any]] = []
    for j, label in enumerate(optional_list(raw.get("entities"), f"{where}.entities")):
        _label(label, f"{where}.entities[{j}]", "", text, kinds, labels)
    return {"text": text, "intent": intent, "dataset": "Train", "entities": labels}


def _label(raw: Any, where: str, parent: str, text: str, kinds: Mapping[str, str], out: list[dict[str, Any]]) -> None:
    raw = require_object(raw, where)
    # Schemas before 7.x name a hierarchical child "Parent::Child".
    name = parent + require_name(raw.get("entity"), f"{where}.entity").replace("::", ".")
    start, end = raw.get("startPos"), raw.get("endPos")
    if any(not isinstance(v, int) or isinstance(v, bool) for v in (start, end)) or start < 0 or end < start:
        raise ProjectError(f"{where} ({name}): startPos and endPos must be whole numbers, endPos not before startPos.")
    if end >= _utf16_length(text):
        raise ProjectError(f"{where} ({name}): startPos {start} and endPos {end} (inclusive) fall outside the "
                           f"utterance, which is {_utf16_length(text)} characters long.")
    children = optional_list(raw.get("children"), f"{where}.children")
    for j, child in enumerate(children):
        _label(child, f"{where}.children[{j}]", name + ".", text, kinds, out)
    if children or (name not in kinds and any(k.startswith(name + ".") for k in kinds)):
        return  # a parent is not an entity of its own: its leaves are
    if name not in kinds:
        raise ProjectError(f"{where}.entity {name!r} is not declared as an entity of the app.")
    out.append({"category": name, "offset": start, "length": end - start + 1})


def _utf16_length(text: str) -> int:
    return sum(2 if ord(c) > 0xFFFF else 1 for c in text)
