"""Which engine translates a direction: a mounted neural model before Apertium, a pivot when neither
has it (``fr`` to ``en`` through ``es``), and markup kept for engines that only see plain text."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Sequence

from airgap.services.translator.engines.base import Pair, Route, Step, TranslationEngine

# Pivot languages tried in this order (Apertium's hub is Spanish); then any other shared one.
PIVOTS = ("es", "en", "ca", "fr", "pt-pt", "pt")
MAX_STEPS = 2  # one pivot: quality compounds with every step


class Router:
    """The engines in priority order; the first that has a direction translates it."""

    def __init__(self, engines: Sequence[TranslationEngine]) -> None:
        self.engines = list(engines)
        self._routes: dict[Pair, Route | None] = {}
        self._edges: dict[Pair, Step] | None = None

    def refresh(self) -> None:
        """Forget the directions known (after an engine loaded its models)."""
        self._routes = {}
        self._edges = None

    def _direct(self) -> dict[Pair, Step]:
        if self._edges is None:
            edges: dict[Pair, Step] = {}
            for engine in self.engines:
                for pair, system in engine.directions().items():
                    edges.setdefault(pair, Step(engine, pair[0], pair[1], system))
            self._edges = edges
        return self._edges

    def route(self, source: str, target: str) -> Route | None:
        pair = (source, target)
        if pair not in self._routes:
            self._routes[pair] = self._plan(source, target)
        return self._routes[pair]

    def _plan(self, source: str, target: str) -> Route | None:
        edges = self._direct()
        if (source, target) in edges:
            return Route((edges[(source, target)],))
        others = sorted({t for (s, t) in edges if s == source} - {source, target})
        ordered = [p for p in PIVOTS if p in others] + [p for p in others if p not in PIVOTS]
        for pivot in ordered:
            second = edges.get((pivot, target))
            if second is not None:
                return Route((edges[(source, pivot)], second))
        return None

    def sources(self) -> set[str]:
        return {s for (s, _) in self._direct()}

    def targets(self) -> set[str]:
        return {t for (_, t) in self._direct()}

    def languages(self) -> set[str]:
        """Every language some route starts or ends in."""
        return self.sources() | self.targets()

    def translate(self, route: Route, texts: Sequence[str], html: bool = False) -> list[str]:
        current = list(texts)
        for step in route.steps:
            if html and not step.engine.handles_html:
                current = _translate_markup(step, current)
            else:
                current = step.engine.translate((step.source, step.target), current, html)
        return current


_MARKUP = re.compile(r"<!--.*?-->|<script\b.*?</script\s*>|<style\b.*?</style\s*>|<[^<>]+>", re.S | re.I)


def _translate_markup(step: Step, texts: Sequence[str]) -> list[str]:
    """HTML through a plain-text engine: the text between tags is translated, the tags stay."""
    pieces: list[list[tuple[bool, str]]] = []
    todo: list[str] = []
    for text in texts:
        parts: list[tuple[bool, str]] = []
        pos = 0
        for match in _MARKUP.finditer(text):
            if match.start() > pos:
                parts.append((True, text[pos:match.start()]))
            parts.append((False, match.group(0)))
            pos = match.end()
        if pos < len(text):
            parts.append((True, text[pos:]))
        for is_text, value in parts:
            if is_text and value.strip():
                todo.append(html_lib.unescape(value))
        pieces.append(parts)
    done = iter(step.engine.translate((step.source, step.target), todo, False) if todo else [])
    out = []
    for parts in pieces:
        rebuilt = []
        for is_text, value in parts:
            if is_text and value.strip():
                lead = value[:len(value) - len(value.lstrip())]
                trail = value[len(value.rstrip()):]
                rebuilt.append(lead + html_lib.escape(next(done).strip(), quote=False) + trail)
            else:
                rebuilt.append(value)
        out.append("".join(rebuilt))
    return out
