"""What one server process holds: settings, the inference pool, the hosted services."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from airgap.platform.errors import DialectMap
from airgap.platform.executor import InferencePool
from airgap.platform.settings import Settings

if TYPE_CHECKING:
    from airgap.platform.jobs import JobRunner
    from airgap.services.base import Service


@dataclass
class Runtime:
    settings: Settings
    pool: InferencePool
    services: list[Service] = field(default_factory=list)
    dialects: DialectMap = field(default_factory=DialectMap)
    load_error: str | None = None
    # Long-running jobs (platform/jobs.py); services register their job handlers on it.
    jobs: JobRunner | None = None
    loaded: asyncio.Event | None = None  # set once loading has finished, well or badly
    # Azure's /status vocabulary (Valid, Invalid, CouldNotConnect, ...) and a sentence;
    # the licensing mode in force replaces this.
    api_status: Callable[[], tuple[str, str]] = lambda: ("Valid", "No licence or billing checks are configured.")
    # Why the server refuses service right now (licence expired, ...), or None.
    not_serving_reason: Callable[[], str | None] = lambda: None
    # Coroutines run for the life of the process (usage reports, quota refresh), cancelled at exit.
    background: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    def service_for_path(self, path: str) -> Service | None:
        for service in self.services:
            if service.owns(path):
                return service
        return None

    @property
    def ready(self) -> bool:
        return self.load_error is None and all(s.ready for s in self.services)
