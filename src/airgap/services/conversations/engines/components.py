"""List and regex entity components: exact, then normalised, matches of a project's definitions."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from airgap.services.conversations.engines.project import Entity


@dataclass(frozen=True)
class ComponentMatch:
    start: int
    end: int
    category: str
    component: str            # list | regex
    key: str                  # listKey or regexKey
    pattern: str | None = None


def _normalise(text: str) -> str:
    """Case, accents and width folded, one code point in for one out (offsets stay valid)."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFKD", ch)
        kept = "".join(c for c in base if not unicodedata.combining(c)) or ch
        out.append(kept[0].casefold()[0] if len(kept) >= 1 else ch)
    return "".join(out)


class ListMatcher:
    """Every synonym of every list entity, longest first, matched on word boundaries."""

    def __init__(self, entities: tuple[Entity, ...]) -> None:
        self.entries: list[tuple[str, str, str]] = []  # (normalised synonym, category, key)
        for entity in entities:
            for key, synonyms in entity.sublists:
                for synonym in synonyms:
                    self.entries.append((_normalise(synonym), entity.category, key))
        self.entries.sort(key=lambda e: -len(e[0]))
        self._regex = None
        if self.entries:
            alternatives = "|".join(re.escape(s) for s in dict.fromkeys(e[0] for e in self.entries))
            self._regex = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
        self._index: dict[str, list[tuple[str, str]]] = {}
        for synonym, category, key in self.entries:
            self._index.setdefault(synonym, []).append((category, key))

    def find(self, text: str) -> list[ComponentMatch]:
        if self._regex is None:
            return []
        folded = _normalise(text)
        out = []
        pos = 0
        while True:
            m = self._regex.search(folded, pos)
            if m is None:
                break
            for category, key in dict.fromkeys(self._index[m.group()]):
                out.append(ComponentMatch(m.start(), m.end(), category, "list", key))
            pos = m.end()
        return out


class RegexMatcher:
    def __init__(self, entities: tuple[Entity, ...]) -> None:
        self.rules = []
        for entity in entities:
            for key, pattern in entity.regexes:
                # Exports may wrap a pattern in JavaScript-style slashes ("/^...$/").
                body = pattern[1:-1] if len(pattern) > 1 and pattern.startswith("/") and pattern.endswith("/") else pattern
                self.rules.append((entity.category, key, pattern, re.compile(body)))

    def find(self, text: str) -> list[ComponentMatch]:
        out = []
        for category, key, pattern, compiled in self.rules:
            for m in compiled.finditer(text):
                if m.end() > m.start():
                    out.append(ComponentMatch(m.start(), m.end(), category, "regex", key, pattern))
        return out
