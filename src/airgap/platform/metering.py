"""Usage metering: the contract between request handling and the usage store.

Handlers call ``ctx.meter(name, quantity)``. The gateway hands a request's
readings to the ``UsageRecorder`` before the response's first byte is sent;
``record`` returns only once the readings are durable, or raises an
``ApiError`` (e.g. 503 when the output disk is full) that replaces the
response, so a request is never answered without its usage on disk.
"""

from __future__ import annotations

from typing import Protocol

from airgap.platform.context import RequestContext


class UsageRecorder(Protocol):
    async def record(self, ctx: RequestContext) -> None: ...

    def close(self) -> None: ...
