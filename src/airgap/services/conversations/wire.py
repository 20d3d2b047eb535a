"""The CLU runtime's result JSON (``ConversationResult``) from an engine ``Prediction``."""

from __future__ import annotations

from typing import Any

from airgap.services.conversations.engines.model import EntityResult, Prediction
from airgap.services.conversations.engines.offsets import from_code_points
from airgap.services.conversations.engines.prebuilt import PrebuiltMatch

V2022_05_01, V2023_04_01 = "2022-05-01", "2023-04-01"
_SUBKINDS = {"date": "Date", "time": "Time", "datetime": "DateTime", "duration": "Duration", "set": "Set"}
_TEMPERATURE_UNITS = {"C": "Celsius", "F": "Fahrenheit", "K": "Kelvin"}


def conversation_result(text: str, prediction: Prediction, index_type: str, api: str) -> dict[str, Any]:
    return {"kind": "ConversationResult", "result": {"query": text, "prediction": {
        "topIntent": prediction.top_intent,
        "projectKind": "Conversation",
        "intents": [{"category": name, "confidenceScore": round(score, 6)} for name, score in prediction.intents],
        "entities": [_entity(text, e, index_type, api) for e in prediction.entities],
    }}}


def _entity(text: str, entity: EntityResult, index_type: str, api: str) -> dict[str, Any]:
    offset, length = from_code_points(text, entity.start, entity.end, index_type)
    # Azure reports every extracted entity, whatever its component, with confidence 1.
    out: dict[str, Any] = {"category": entity.category, "text": text[entity.start:entity.end], "offset": offset,
                           "length": length, "confidenceScore": 1}
    extra: list[dict[str, Any]] = [{"extraInformationKind": "ListKey", "key": key} for key in entity.list_keys]
    extra += [{"extraInformationKind": "EntitySubtype", "value": m.subtype} for m in entity.prebuilts]
    if api != V2022_05_01:  # RegexKey came with 2023-04-01
        extra += [{"extraInformationKind": "RegexKey", "key": key, "regexPattern": pattern}
                  for key, pattern in entity.regexes]
    if extra:
        out["extraInformation"] = extra
    resolutions = [r for m in entity.prebuilts for r in resolutions_of(m)]
    if resolutions:
        out["resolutions"] = resolutions
    return out


def _number(raw: Any) -> int | float | None:
    try:
        value = float(str(raw).rstrip("%"))
    except ValueError:
        return None
    return int(value) if value.is_integer() else value


def resolutions_of(match: PrebuiltMatch) -> list[dict[str, Any]]:
    r = match.resolution
    if match.component in ("Quantity.Number", "Quantity.Percentage"):
        value = _number(r.get("value"))
        if value is None:
            return []
        kind = "Percent" if match.component == "Quantity.Percentage" else (
            "Integer" if isinstance(value, int) else "Decimal")
        return [{"resolutionKind": "NumberResolution", "numberKind": kind, "value": value}]
    if match.component == "Quantity.Ordinal":
        value = _number(r.get("value"))
        return [] if value is None else [
            {"resolutionKind": "OrdinalResolution", "offset": str(value), "relativeTo": "Start", "value": str(value)}]
    if match.component == "Quantity.Currency":
        value = _number(r.get("value"))
        out: dict[str, Any] = {"resolutionKind": "CurrencyResolution", "unit": r.get("unit", ""), "value": value}
        if r.get("isoCurrency"):
            out["ISO4217"] = r["isoCurrency"]
        return [] if value is None else [out]
    if match.component == "Quantity.Temperature":
        value = _number(r.get("value"))
        unit = _TEMPERATURE_UNITS.get(str(r.get("unit")), str(r.get("unit", "Unspecified")))
        return [] if value is None else [{"resolutionKind": "TemperatureResolution", "unit": unit, "value": value}]
    if match.component == "DateTime":
        out_list = []
        for v in r.get("values", []):
            kind = str(v.get("type", ""))
            if kind.endswith("range"):
                span = {"resolutionKind": "TemporalSpanResolution", "timex": v.get("timex")}
                if v.get("start"):
                    span["begin"] = v["start"]
                if v.get("end"):
                    span["end"] = v["end"]
                out_list.append(span)
            elif kind in _SUBKINDS:
                out_list.append({"resolutionKind": "DateTimeResolution", "dateTimeSubKind": _SUBKINDS[kind],
                                 "timex": v.get("timex"), "value": v.get("value")})
        return out_list
    return []
