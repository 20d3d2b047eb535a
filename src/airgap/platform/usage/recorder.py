"""The ``UsageRecorder`` the gateway calls: one durable record per billed request."""

from __future__ import annotations

import errno
import logging
import os
from pathlib import Path

from airgap.platform.context import RequestContext
from airgap.platform.errors import ServiceUnavailable
from airgap.platform.metrics import USAGE_FSYNCS, USAGE_RECORDS
from airgap.platform.usage.instance import InstanceSlot
from airgap.platform.usage.journal import Journal, JournalDamaged, JournalFull

log = logging.getLogger("airgap.usage")

OUTPUT_NOT_FOUND = ("The provided output path was not found. Please ensure a volume is mounted and "
                    "a directory exists at the location specified by 'Mounts:Output'")


def check_output_dir(output_dir: Path) -> None:
    """Called by the serve path: the mount point must exist and be writable (never created)."""
    if not Path(output_dir).is_dir() or not os.access(output_dir, os.W_OK):
        raise SystemExit(OUTPUT_NOT_FOUND)


def _count_commit(records: int) -> None:
    USAGE_FSYNCS.inc()
    USAGE_RECORDS.inc(records)


class JournalRecorder:
    def __init__(self, output_dir: Path, *, api_types: dict[str, str] | None = None,
                 journal: Journal | None = None) -> None:
        self._usage = Path(output_dir) / "usage"
        self._slot: InstanceSlot | None = None
        self._journal = journal
        self._api_types = api_types or {}
        self._unmetered = unmetered_bench_requested()  # read once; see the note at the end

    @property
    def journal(self) -> Journal:
        # Claimed on first use, not at construction: an app object that is built
        # but never serves (uvicorn may build one more than once) holds no slot.
        if self._journal is None:
            slot = InstanceSlot(self._usage)
            try:
                self._journal = Journal(self._usage / slot.id, on_commit=_count_commit)
            except BaseException:
                slot.release()  # retry on the same slot: never start a fresh chain beside a broken one
                raise
            self._slot = slot
        return self._journal

    async def record(self, ctx: RequestContext) -> None:
        if self._unmetered:
            return
        fields = {
            "requestId": ctx.request_id,
            "serviceName": ctx.service,
            "apiType": self._api_types.get(ctx.service or "", ctx.service),
            "meters": [{"name": r.meter, "quantity": r.quantity} for r in ctx.readings],
        }
        try:
            await self.journal.append(fields)
        except OSError as exc:
            if not isinstance(exc, JournalFull) and exc.errno not in (errno.ENOSPC, errno.EDQUOT):
                raise ServiceUnavailable(
                    f"Usage cannot be written to the output volume (Mounts:Output): {exc.strerror or exc}. "
                    "Billable requests are refused until it is writable again.",
                    inner_code="OutputVolumeUnavailable") from exc
            raise ServiceUnavailable(
                "The output volume (Mounts:Output) is full: usage cannot be recorded, so billable "
                "requests are refused until space is freed.", inner_code="OutputVolumeFull") from exc
        except JournalDamaged as exc:
            log.error("Usage journal damaged: %s", exc)  # the path is for the operator, not the client
            raise ServiceUnavailable(
                "The usage records on the output volume (Mounts:Output) are damaged and cannot be "
                "continued; an operator must run 'airgap records verify' and restore them. Billable "
                "requests are refused until then.", inner_code="UsageRecordsDamaged") from exc

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
        if self._slot is not None:
            self._slot.release()


# Benchmarks only (bench/metering_overhead.py): measures what metering costs by
# serving without it. A deliberately awkward name *and* exact value so that it is
# never set by accident; a recorder built with it logs a CRITICAL line (once per
# worker) and records nothing. It is not a setting, so no config file can set it.
UNMETERED_ENV = "AIRGAP_BENCH_UNMETERED"
UNMETERED_VALUE = "requests-are-not-billed"


def unmetered_bench_requested() -> bool:
    if os.environ.get(UNMETERED_ENV) != UNMETERED_VALUE:
        return False
    log.critical(
        "%s=%s: METERING IS OFF, no usage is recorded. This is a benchmark switch; "
        "never use it in production.", UNMETERED_ENV, UNMETERED_VALUE)
    return True

