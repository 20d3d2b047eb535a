"""The ``UsageRecorder`` the gateway calls: one durable record per billed request."""

from __future__ import annotations

from pathlib import Path

from airgap.platform.context import RequestContext
from airgap.platform.errors import ServiceUnavailable
from airgap.platform.usage.instance import InstanceSlot
from airgap.platform.usage.journal import Journal, JournalFull

OUTPUT_NOT_FOUND = ("The provided output path was not found. Please ensure a volume is mounted and "
                    "a directory exists at the location specified by 'Mounts:Output'")


def check_output_dir(output_dir: Path) -> None:
    """Called by the serve path: the mount point must exist and be writable (never created)."""
    import os
    if not Path(output_dir).is_dir() or not os.access(output_dir, os.W_OK):
        raise SystemExit(OUTPUT_NOT_FOUND)


class JournalRecorder:
    def __init__(self, output_dir: Path, *, api_types: dict[str, str] | None = None,
                 journal: Journal | None = None) -> None:
        self._usage = Path(output_dir) / "usage"
        self._slot: InstanceSlot | None = None
        self._journal = journal
        self._api_types = api_types or {}

    @property
    def journal(self) -> Journal:
        # Claimed on first use, not at construction: an app object that is built
        # but never serves (uvicorn may build one more than once) holds no slot.
        if self._journal is None:
            self._slot = InstanceSlot(self._usage)
            self._journal = Journal(self._usage / self._slot.id / "journal.jsonl")
        return self._journal

    async def record(self, ctx: RequestContext) -> None:
        fields = {
            "requestId": ctx.request_id,
            "serviceName": ctx.service,
            "apiType": self._api_types.get(ctx.service or "", ctx.service),
            "meters": [{"name": r.meter, "quantity": r.quantity} for r in ctx.readings],
        }
        try:
            await self.journal.append(fields)
        except JournalFull as exc:
            raise ServiceUnavailable(
                "The output volume (Mounts:Output) is full: usage cannot be recorded, so billable "
                "requests are refused until space is freed.", inner_code="OutputVolumeFull") from exc

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
        if self._slot is not None:
            self._slot.release()
