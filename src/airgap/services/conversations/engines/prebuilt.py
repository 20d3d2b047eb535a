"""Prebuilt entity components: numbers, ordinals, percentages, money, temperatures and dates
and times from Microsoft's Recognizers-Text (the recognizers behind LUIS's prebuilt entities);
e-mail, URL and phone from the shared pattern recognizers (``airgap/engines/entity_patterns``).

Recognizers-Text compiles its rule tables when a model is built (about half a second), so the
models are built once, in ``load``; spans are code points, ends exclusive.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

# CLU's prebuilt component names (lower-cased) -> their spelling in the export.
SUPPORTED = {name.lower(): name for name in (
    "Quantity.Number", "Quantity.Ordinal", "Quantity.Percentage", "Quantity.Currency", "Quantity.Temperature",
    "DateTime", "Email", "URL", "Phone Number")}
# Shorter aliases some exports and LUIS imports use.
ALIASES = {"number": "quantity.number", "ordinal": "quantity.ordinal", "percentage": "quantity.percentage",
           "currency": "quantity.currency", "money": "quantity.currency", "temperature": "quantity.temperature",
           "datetimev2": "datetime", "phonenumber": "phone number"}
SUPPORTED.update({alias: SUPPORTED[target] for alias, target in ALIASES.items()})


@dataclass(frozen=True)
class PrebuiltMatch:
    """One prebuilt match: ``text[start:end]``, its CLU subtype and resolution in plain terms."""

    start: int
    end: int
    component: str      # canonical CLU name, e.g. Quantity.Number
    subtype: str        # e.g. quantity.number, datetime.date
    resolution: dict[str, Any]


class PrebuiltRecognizers:
    """English prebuilt recognizers, loaded once per process and shared by every project."""

    name = "clu-prebuilt"
    model_version = "recognizers-text-1.0.2a2"

    def __init__(self) -> None:
        self._models: dict[str, Any] = {}
        self._patterns: dict[str, Any] = {}
        self._lock = threading.Lock()

    @property
    def ready(self) -> bool:
        return bool(self._models)

    def load(self) -> None:
        with self._lock:
            if self._models:
                return
            from presidio_analyzer.predefined_recognizers import EmailRecognizer, UrlRecognizer
            from recognizers_date_time import DateTimeRecognizer
            from recognizers_number import Culture, NumberRecognizer
            from recognizers_number_with_unit import NumberWithUnitRecognizer

            from airgap.engines.entity_patterns import QuickPhoneRecognizer

            numbers = NumberRecognizer(Culture.English)
            units = NumberWithUnitRecognizer(Culture.English)
            self._patterns = {"Email": (EmailRecognizer(), "EMAIL_ADDRESS"), "URL": (UrlRecognizer(), "URL"),
                              "Phone Number": (QuickPhoneRecognizer(), "PHONE_NUMBER")}
            self._models = {
                "Quantity.Number": numbers.get_number_model(), "Quantity.Ordinal": numbers.get_ordinal_model(),
                "Quantity.Percentage": numbers.get_percentage_model(), "Quantity.Currency": units.get_currency_model(),
                "Quantity.Temperature": units.get_temperature_model(),
                "DateTime": DateTimeRecognizer(Culture.English).get_datetime_model(),
            }

    def recognize(self, text: str, components: set[str], now: datetime | None = None) -> list[PrebuiltMatch]:
        """Matches of the canonical ``components`` (``SUPPORTED`` values) in ``text``."""
        if not self._models:
            self.load()
        found: list[PrebuiltMatch] = []
        for component in sorted(components):
            if component == "DateTime":
                results = self._models[component].parse(text, now or datetime.now())
            elif component in self._models:
                results = self._models[component].parse(text)
            else:
                found.extend(self._pattern(text, component))
                continue
            for r in results:
                # Recognizers-Text reports inclusive ends and lower-cased text; the span is what counts.
                found.append(PrebuiltMatch(r.start, r.end + 1, component, _subtype(component, r.type_name),
                                           dict(r.resolution or {})))
        return found

    def _pattern(self, text: str, component: str) -> list[PrebuiltMatch]:
        from airgap.engines.entity_patterns import url_end

        recognizer, entity = self._patterns[component]
        out = []
        for r in recognizer.analyze(text, [entity], None):
            end = url_end(text, r.start, r.end) if component == "URL" else r.end
            out.append(PrebuiltMatch(r.start, end, component, component.lower().replace(" ", ""),
                                     {"value": text[r.start:end]}))
        return out


def _subtype(component: str, type_name: str) -> str:
    if component == "DateTime":
        return "datetime." + type_name.split(".")[-1]  # datetimeV2.date -> datetime.date
    return component.lower()
