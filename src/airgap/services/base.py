"""What a service is: the one contract between the platform and a service package (v2).

A service declares, as data the app reads the same way for every service:

- ``routes``: the path prefixes it owns, matched by whole path segment (the longest
  prefix of any service wins; the same prefix declared twice stops the server at start;
  ``platform/routing.py``);
- ``dialect`` (and ``dialects`` for longer prefixes that speak another one): how its
  errors are written;
- ``settings``: its own settings sections (``platform.settings.Section``), parsed from the
  same command line and environment as the platform's;
- ``meters``, ``routers()`` and ``engines()`` (its own and shared ones, ``airgap.engines``);
- ``job_kinds()``: the long-running job handlers it registers, each with its own queue;
- ``processes()``: engine processes it needs, supervised once per server
  (``platform/processes.py``);
- ``close()``: release what ``load()`` took, at shutdown.

``app.create_app`` wires them; adding a service touches no platform file.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from fastapi import APIRouter

from airgap.platform import metrics
from airgap.platform.errors import AZURE, Dialect
from airgap.platform.jobs import JobKind
from airgap.platform.settings import Section

if TYPE_CHECKING:
    from airgap.platform.runtime import Runtime

log = logging.getLogger("airgap.services")


@dataclass(frozen=True)
class Meter:
    """A billable unit, named as Azure names container meters."""

    name: str
    unit: str
    description: str


class Engine(Protocol):
    """A model behind a capability. Plain Python: no HTTP, no Azure JSON."""

    name: str
    model_version: str

    def load(self) -> None: ...

    @property
    def ready(self) -> bool: ...


class Service(ABC):
    name: ClassVar[str]
    api_type: ClassVar[str]
    title: ClassVar[str]
    meters: ClassVar[tuple[Meter, ...]]
    routes: ClassVar[tuple[str, ...]]
    dialect: ClassVar[Dialect] = AZURE
    dialects: ClassVar[Mapping[str, Dialect]] = {}
    settings: ClassVar[tuple[Section[Any], ...]] = ()

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    @abstractmethod
    def routers(self) -> Sequence[APIRouter]: ...

    @abstractmethod
    def engines(self) -> Sequence[Engine]: ...

    def job_kinds(self) -> Sequence[JobKind]:
        return ()

    def processes(self) -> Sequence[Any]:
        """``platform.processes.ProcessSpec`` for each engine process this service needs."""
        return ()

    def load(self) -> None:
        """Load every engine's model; called once per process, off the event loop.

        A shared engine (``airgap.engines``) another service loaded already is skipped.
        """
        for engine in self.engines():
            if engine.ready:
                continue
            log.info("Loading %s engine %s (model %s)", self.name, engine.name, engine.model_version)
            engine.load()
            metrics.MODEL_LOADED.labels(self.name, engine.name).set(1)

    @property
    def ready(self) -> bool:
        return all(engine.ready for engine in self.engines())

    def close(self) -> None:
        """Release what ``load`` took (files, child handles); called once at shutdown."""
        for engine in self.engines():
            close = getattr(engine, "close", None)
            if close is not None:
                close()
