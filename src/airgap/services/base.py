"""What a service is: the one contract between the platform and a service package.

A service declares its name, its meters, the path prefixes it owns, its
routers and its engines. ``app.py`` mounts the services the settings enable;
adding a service touches no platform file.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Protocol

from fastapi import APIRouter

from airgap.platform import metrics
from airgap.platform.errors import AZURE, Dialect

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
    path_prefixes: ClassVar[tuple[str, ...]]
    dialect: ClassVar[Dialect] = AZURE

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    @abstractmethod
    def routers(self) -> Sequence[APIRouter]: ...

    @abstractmethod
    def engines(self) -> Sequence[Engine]: ...

    def load(self) -> None:
        """Load every engine's model; called once per process, off the event loop."""
        for engine in self.engines():
            log.info("Loading %s engine %s (model %s)", self.name, engine.name, engine.model_version)
            engine.load()
            metrics.MODEL_LOADED.labels(self.name, engine.name).set(1)

    @property
    def ready(self) -> bool:
        return all(engine.ready for engine in self.engines())

    def owns(self, path: str) -> bool:
        return path.startswith(self.path_prefixes)
