"""The LUIS prediction responses (v3.0 and v2.0) and error envelope, from an engine ``Prediction``.

Positions are UTF-16 code units, as LUIS (a .NET service) counts them: v3 ``startIndex`` +
``length`` in ``$instance``, v2 ``startIndex`` and an **inclusive** ``endIndex``. Entity values
follow Azure's LUIS docs per kind: learned and regex entities their text, list entities the
array of canonical forms, prebuilt ones their resolved value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from airgap.platform.errors import ApiError, AzureDialect, Rendered
from airgap.services.conversations.engines.luis_app import BUILTIN_TYPES, LEARNED, LIST, MODEL_TYPES, PREBUILT, REGEX
from airgap.services.conversations.engines.model import EntityResult, Prediction
from airgap.services.conversations.engines.offsets import UTF16, from_code_points
from airgap.services.conversations.engines.prebuilt import PrebuiltMatch


class LuisDialect(AzureDialect):
    """LUIS's ``{"error": {"code", "message"}}`` (the runtime specs' ``Error``), the specific code when there is one."""

    def render(self, error: ApiError) -> Rendered:
        code = error.inner_code or error.code
        # The code in x-ms-error-code too, as every other airgap API writes it: clients and proxies
        # that log errors read the header without parsing the body.
        return Rendered(error.status, {"error": {"code": code, "message": error.message}},
                        {"x-ms-error-code": code, **error.headers})


DIALECT = LuisDialect()


def _score(value: float) -> float:
    return round(float(value), 6)


def _number(raw: Any) -> int | float | None:
    try:
        value = float(str(raw).rstrip("%").replace(",", ""))
    except ValueError:
        return None
    return int(value) if value.is_integer() else value


def _occurrences(entity: EntityResult, kind: str) -> list[tuple[int, int, PrebuiltMatch | None]]:
    """Each reported occurrence of a result: a prebuilt result once per recognizer match."""
    if kind == PREBUILT and entity.prebuilts:
        return [(m.start, m.end, m) for m in entity.prebuilts]
    return [(entity.start, entity.end, None)]


def _builtin_type(name: str, match: PrebuiltMatch) -> str:
    base = BUILTIN_TYPES.get(name.lower(), "builtin." + name)
    if base == "builtin.datetimeV2":
        return f"{base}.{match.subtype.split('.')[-1]}"
    return base


# -- v3.0 ---------------------------------------------------------------------------------------

def v3_result(text: str, prediction: Prediction, kinds: Mapping[str, str], *, verbose: bool,
              show_all_intents: bool) -> dict[str, Any]:
    scores = dict(prediction.intents)
    if show_all_intents:
        intents = {name: {"score": _score(score)} for name, score in prediction.intents}
    else:
        intents = {prediction.top_intent: {"score": _score(scores.get(prediction.top_intent, 0.0))}}
    entities: dict[str, Any] = {}
    instances: dict[str, list[dict[str, Any]]] = {}
    for entity in prediction.entities:
        kind = kinds.get(entity.category)
        if kind is None:
            continue
        for start, end, match in _occurrences(entity, kind):
            entities.setdefault(entity.category, []).append(_v3_value(text[start:end], entity, kind, match))
            if verbose:
                offset, length = from_code_points(text, start, end, UTF16)
                type_id, type_name = MODEL_TYPES[kind]
                item: dict[str, Any] = {"type": _builtin_type(entity.category, match) if match else entity.category,
                                        "text": text[start:end], "startIndex": offset, "length": length}
                if kind == LEARNED:
                    item["score"] = _score(entity.score)
                item.update({"modelTypeId": type_id, "modelType": type_name, "recognitionSources": ["model"]})
                instances.setdefault(entity.category, []).append(item)
    if verbose:
        entities["$instance"] = instances
    return {"query": text, "prediction": {"topIntent": prediction.top_intent, "intents": intents,
                                          "entities": entities}}


def _v3_value(text: str, entity: EntityResult, kind: str, match: PrebuiltMatch | None) -> Any:
    if kind == LIST:
        return list(entity.list_keys)
    if match is None:
        return text
    r = match.resolution
    component = match.component
    if component in ("Quantity.Number", "Quantity.Percentage"):
        value = _number(r.get("value"))
        return text if value is None else value
    if component == "Quantity.Ordinal":
        value = _number(r.get("offset", r.get("value")))
        return {"offset": value, "relativeTo": str(r.get("relativeTo", "start")).lower()}
    if component in ("Quantity.Currency", "Quantity.Temperature"):
        return {"number": _number(r.get("value")), "units": r.get("unit", "")}
    if component == "DateTime":
        values: dict[str, list[dict[str, Any]]] = {}
        for v in r.get("values", []):
            values.setdefault(str(v.get("timex")), []).append(
                {k: val for k, val in v.items() if k not in ("timex", "type")})
        return {"type": match.subtype.split(".")[-1],
                "values": [{"timex": timex, "resolution": resolution} for timex, resolution in values.items()]}
    return text


# -- v2.0 ---------------------------------------------------------------------------------------

def v2_result(text: str, prediction: Prediction, kinds: Mapping[str, str], *, verbose: bool) -> dict[str, Any]:
    scores = dict(prediction.intents)
    out: dict[str, Any] = {"query": text, "topScoringIntent": {
        "intent": prediction.top_intent, "score": _score(scores.get(prediction.top_intent, 0.0))}}
    if verbose:
        out["intents"] = [{"intent": name, "score": _score(score)} for name, score in prediction.intents]
    found = []
    for entity in prediction.entities:
        kind = kinds.get(entity.category)
        if kind is None:
            continue
        for start, end, match in _occurrences(entity, kind):
            offset, length = from_code_points(text, start, end, UTF16)
            # LUIS v2 reports the entity's text lower-cased and its last position inclusive.
            item: dict[str, Any] = {"entity": text[start:end].lower(),
                                    "type": _builtin_type(entity.category, match) if match else entity.category,
                                    "startIndex": offset, "endIndex": offset + length - 1}
            if kind == LEARNED:
                item["score"] = _score(entity.score)
            elif kind == LIST:
                item["resolution"] = {"values": list(entity.list_keys)}
            elif kind == PREBUILT and match is not None:
                item["resolution"] = _v2_resolution(text[start:end], match)
            elif kind != REGEX:
                continue
            found.append(item)
    out["entities"] = sorted(found, key=lambda e: (e["startIndex"], e["endIndex"], e["type"]))
    return out


def _v2_resolution(text: str, match: PrebuiltMatch) -> dict[str, Any]:
    r = match.resolution
    component = match.component
    if component == "Quantity.Number":
        value = _number(r.get("value"))
        return {"subtype": "integer" if isinstance(value, int) else "decimal", "value": str(r.get("value"))}
    if component in ("Quantity.Currency", "Quantity.Temperature"):
        return {"unit": r.get("unit", ""), "value": str(r.get("value"))}
    if component == "DateTime":
        return {"values": [dict(v) for v in r.get("values", [])]}
    if component in ("Quantity.Ordinal", "Quantity.Percentage"):
        return {"value": str(r.get("value"))}
    return {"value": text}
