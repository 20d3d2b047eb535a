"""What the Translator's engines share: a direction, a route through engines, the engine protocol."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

Pair = tuple[str, str]  # (source, target), Azure language codes


class EngineUnavailable(RuntimeError):
    """The engine cannot answer now (its process is down or restarting); the request may be retried."""


class TranslationEngine(Protocol):
    """A machine translation engine: plain Python, Azure language codes, no HTTP."""

    name: str
    # Whether ``translate(..., html=True)`` keeps markup itself; otherwise the router translates
    # the text between tags and puts the markup back.
    handles_html: bool

    def directions(self) -> Mapping[Pair, str]:
        """Every direction it translates, with the name of the system that does it (``X-MT-System``)."""
        ...

    def translate(self, pair: Pair, texts: Sequence[str], html: bool = False) -> list[str]: ...


@dataclass(frozen=True)
class Step:
    engine: TranslationEngine
    source: str
    target: str
    system: str


@dataclass(frozen=True)
class Route:
    """How one source reaches one target: one step (direct) or two (through a pivot language)."""

    steps: tuple[Step, ...]

    @property
    def source(self) -> str:
        return self.steps[0].source

    @property
    def target(self) -> str:
        return self.steps[-1].target

    @property
    def pivots(self) -> tuple[str, ...]:
        return tuple(step.target for step in self.steps[:-1])

    @property
    def system(self) -> str:
        """``apertium:eng-spa`` for a direct pair, ``apertium:fr-es>apertium:spa-eng`` through a pivot."""
        return ">".join(step.system for step in self.steps)
