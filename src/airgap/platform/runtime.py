"""What one server process holds: settings, the inference pool, the hosted services."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from airgap.platform.errors import DialectMap
from airgap.platform.executor import InferencePool
from airgap.platform.processes import ProcessTable
from airgap.platform.routing import PathTable
from airgap.platform.settings import Settings

if TYPE_CHECKING:
    from airgap.platform.jobs import JobRunner


class Hosted(Protocol):
    """What the platform needs of a service (``services/base.py`` is the full contract)."""

    name: str
    routes: tuple[str, ...]

    @property
    def ready(self) -> bool: ...

    def load(self) -> None: ...

    def close(self) -> None: ...


@dataclass
class Runtime:
    settings: Settings
    pool: InferencePool
    services: list[Hosted] = field(default_factory=list)
    # Which service owns a path (by whole segment, longest prefix wins; platform/routing.py).
    owners: PathTable[Hosted] = field(default_factory=PathTable)
    dialects: DialectMap = field(default_factory=DialectMap)
    # Engines several services share (airgap/engines), one instance per process, by key.
    shared_engines: dict[str, Any] = field(default_factory=dict)
    load_error: str | None = None
    # Long-running jobs (platform/jobs.py); services declare their job kinds.
    jobs: JobRunner | None = None
    loaded: asyncio.Event | None = None  # set once loading has finished, well or badly
    # Azure's /status vocabulary (Valid, Invalid, CouldNotConnect, ...) and a sentence;
    # the licensing mode in force replaces this.
    api_status: Callable[[], tuple[str, str]] = lambda: ("Valid", "No licence or billing checks are configured.")
    # Why the server refuses service right now (licence expired, ...), or None.
    not_serving_reason: Callable[[], str | None] = lambda: None
    # Coroutines run for the life of the process (usage reports, quota refresh), cancelled at exit.
    background: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    # Engine processes of the hosted services and their state (platform/processes.py):
    # ``runtime.processes.address("apertium")``, ``.state("apertium")``.
    processes: ProcessTable = field(default_factory=ProcessTable)

    def service_for_path(self, path: str) -> Hosted | None:
        return self.owners.lookup(path)

    @property
    def ready(self) -> bool:
        return self.load_error is None and all(s.ready for s in self.services) and self.processes.ready
