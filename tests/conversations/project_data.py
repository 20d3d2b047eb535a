"""The CLU project the conversations tests import: the intent set in
tests/data/quality/clu_intents.jsonl (its ``dev`` split as training utterances) with the entity
components a user would define in Language Studio (lists, a regex, prebuilts)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data" / "quality" / "clu_intents.jsonl"

LISTS = {
    "Device": {"light": ["lights", "lamp", "lamps"], "tv": ["television", "telly"],
               "heater": ["heating", "radiator"], "fan": [], "air conditioner": ["ac", "air conditioning"],
               "coffee machine": ["coffee maker"], "speakers": ["speaker", "sound system"], "dishwasher": []},
    "Room": {"kitchen": [], "living room": ["lounge", "sitting room"], "bedroom": [], "bathroom": [],
             "garage": [], "office": ["study"], "hallway": ["hall"]},
}
PREBUILTS = {"DateTime": "DateTime", "Number": "Quantity.Number", "Email": "Email"}
REGEXES = {"FlightNumber": ("IATA flight number", r"\b[A-Z0-9]{2}\d{1,4}\b")}
LEARNED_ONLY = ("Origin", "Destination", "City", "Artist", "Item", "Contact")


def rows(split: str | None = None) -> list[dict[str, Any]]:
    with DATA.open() as f:
        all_rows = [json.loads(line) for line in f]
    return [r for r in all_rows if split is None or r["split"] == split]


def entities() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [{"category": name} for name in LEARNED_ONLY]
    for name, sublists in LISTS.items():
        out.append({"category": name, "compositionSetting": "combineComponents", "list": {"sublists": [
            {"listKey": key, "synonyms": [{"language": "en-us", "values": [key, *values]}]}
            for key, values in sublists.items()]}})
    for name, prebuilt in PREBUILTS.items():
        out.append({"category": name, "prebuilts": [{"category": prebuilt}]})
    for name, (key, pattern) in REGEXES.items():
        out.append({"category": name, "regex": {"expressions": [
            {"regexKey": key, "language": "en-us", "regexPattern": pattern}]}})
    return out


def project(name: str = "HomeTravel", split: str = "dev", version: str = "2023-04-01") -> dict[str, Any]:
    """A project export as Language Studio writes it (offsets in UTF-16 code units)."""
    chosen = rows(split)
    intents = sorted({r["intent"] for r in rows()})
    return {
        "projectFileVersion": version,
        "stringIndexType": "Utf16CodeUnit",
        "metadata": {"projectKind": "Conversation", "settings": {"confidenceThreshold": 0.0}, "projectName": name,
                     "multilingual": False, "description": "Travel and home assistant", "language": "en-us"},
        "assets": {
            "projectKind": "Conversation",
            "intents": [{"category": i} for i in intents],
            "entities": entities(),
            "utterances": [{"text": r["text"], "intent": r["intent"], "language": "en-us", "dataset": "Train",
                            "entities": r["entities"]} for r in chosen],
        },
    }
