"""The licensing mode a server runs in, chosen from the settings, and the gate it puts on requests.

- **Disconnected** (``Mounts:License``, no ``Billing``): every hosted service needs a valid
  licence in the folder, or the server does not start. Each request re-checks the licence's
  validity window (a licence that expires while running gets 403 ``Expired``) and its quotas,
  counted from the usage records in ``Mounts:Output`` so that a restart does not reset them.
- **Connected** (``Billing`` + ``ApiKey``, no licence folder): the key is validated at start;
  usage records are uploaded every ``Licensing:ReportIntervalSeconds``; after
  ``Licensing:MaxFailedReports`` consecutive failures requests get 403 until a report succeeds.
- **Unlicensed** (neither): development mode, with a warning at start.

``startup_check`` runs once in the parent process (a failure exits non-zero before any
worker starts); ``build`` runs in every worker and hands the gate, the status hooks and
any background task to ``server.compose``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from starlette.types import Scope

from airgap.platform.licensing import token as lic
from airgap.platform.licensing.authority_client import AuthorityClient
from airgap.platform.context import RequestContext
from airgap.platform.errors import Forbidden
from airgap.platform.licensing.token import Licence, LicenceError
from airgap.platform.metering import UsageRecorder
from airgap.platform.settings import Settings
from airgap.platform.usage import totals
from airgap.platform.usage.reader import instances, iter_chain

log = logging.getLogger("airgap.licensing")

# Quota counts are re-read from Mounts:Output this often, so that replicas sharing the
# volume see each other's usage (in between, each process adds its own), and the licence
# folder is re-read, so that a renewed licence takes over without a restart.
REFRESH_SECONDS = 30.0
UNLICENSED_WARNING = ("No Mounts:License and no Billing: running UNLICENSED (development mode). Production "
                      "servers run with a licence (Mounts:License) or a billing endpoint (Billing + ApiKey).")


def mode_of(settings: Settings) -> str:
    if settings.download_license:
        return "download"
    if settings.license_dir is not None and not settings.billing:
        return "disconnected"
    if settings.billing:
        return "connected"
    return "unlicensed"


def startup_check(settings: Settings, services: Sequence[str]) -> str:
    """Raise ``LicenceError`` if the server must not start; otherwise a line for the log."""
    mode = mode_of(settings)
    if mode == "disconnected":
        licences = _licences(settings, services)
        return "Disconnected mode: " + "; ".join(
            f"{s}: licence {lic_.id} of resource {lic_.subject}, valid until {lic.iso(lic_.expires)}"
            for s, lic_ in licences.items())
    if mode == "connected":
        if not settings.api_key:
            raise LicenceError("Invalid", "Billing is set but ApiKey is not: connected mode needs both "
                               "(or use Mounts:License for disconnected mode).")
        body = AuthorityClient(settings.billing, settings.api_key).validate(services)
        return f"Connected mode: billing endpoint {settings.billing} says {body.get('status')} " \
               f"(resource {body.get('resource')}); usage reported every {settings.report_interval} s."
    return UNLICENSED_WARNING


def _licences(settings: Settings, services: Sequence[str]) -> dict[str, Licence]:
    assert settings.license_dir is not None
    keys = lic.load_trusted_keys(settings.trusted_keys)
    if not keys:
        raise LicenceError("Invalid", "Disconnected mode needs the licence authority's public key: set "
                           "Licensing:TrustedKeys (a key file, PEM or base64 Ed25519 key).")
    reading = lic.read_folder(settings.license_dir, keys)
    return {s: reading.for_service(s, settings.license_dir, skew=settings.clock_skew) for s in services}


class Mode:
    """What a licensing mode gives the server: a gate, status hooks, a recorder wrapper, tasks."""

    name = "unlicensed"

    async def check(self, ctx: RequestContext, scope: Scope) -> None:
        return None

    def api_status(self) -> tuple[str, str]:
        return "Valid", UNLICENSED_WARNING

    def not_serving_reason(self) -> str | None:
        return None

    def wrap(self, recorder: UsageRecorder) -> UsageRecorder:
        return recorder

    def background(self) -> list[Callable[[], Awaitable[None]]]:
        return []


class QuotaBook:
    """Usage per meter within each licence's window: from disk, plus this process's own since."""

    def __init__(self, output_dir: Path, licences: Sequence[Licence]) -> None:
        self.output_dir = output_dir
        self.used: dict[tuple[datetime, datetime], dict[str, float]] = {}
        self.refresh(licences)

    def refresh(self, licences: Sequence[Licence]) -> None:
        windows = {(l.not_before, l.expires) for l in licences if l.quotas}
        # One assignment: the event loop sees the old table or the new one, never a mix.
        self.used = {w: totals(self.output_dir, *w) for w in windows}

    def add(self, meters: Mapping[str, float], when: datetime) -> None:
        for (start, end), used in self.used.items():
            if start <= when < end:
                for name, quantity in meters.items():
                    used[name] = used.get(name, 0.0) + quantity

    def of(self, licence: Licence, meter: str) -> float:
        return self.used.get((licence.not_before, licence.expires), {}).get(meter, 0.0)


class _BookingRecorder:
    """Counts each durable record into the quota book once the inner recorder has written it."""

    def __init__(self, inner: UsageRecorder, book: QuotaBook) -> None:
        self.inner, self.book = inner, book

    async def record(self, ctx: RequestContext) -> None:
        await self.inner.record(ctx)
        if not self.book.used:
            return  # no licence with a quota: nothing to count
        meters: dict[str, float] = {}
        for reading in ctx.readings:
            meters[reading.meter] = meters.get(reading.meter, 0.0) + reading.quantity
        self.book.add(meters, datetime.now(timezone.utc))

    def close(self) -> None:
        self.inner.close()


class Disconnected(Mode):
    name = "disconnected"

    def __init__(self, settings: Settings, service_meters: Mapping[str, Sequence[str]]) -> None:
        self.licences = _licences(settings, list(service_meters))
        self.folder = settings.license_dir
        self.keys = lic.load_trusted_keys(settings.trusted_keys)
        self.skew = settings.clock_skew
        self.meters = service_meters
        self.book = QuotaBook(settings.output_dir, list(self.licences.values()))
        self._warned: set[str] = set()

    def _problem(self, service: str) -> LicenceError | None:
        licence = self.licences[service]
        problem = licence.time_problem(skew=self.skew)
        if problem:
            return problem
        for quota in licence.quotas:
            if quota.meter not in self.meters.get(service, ()):
                continue
            used = self.book.of(licence, quota.meter)
            if used < quota.limit:
                continue
            if quota.behaviour == "block":
                return LicenceError("OutOfQuota", f"Container isn't in a valid state: the licence {licence.id} "
                                    f"allows {quota.limit:g} of meter {quota.meter} until "
                                    f"{lic.iso(licence.expires)} and {used:g} are used.")
            if quota.meter not in self._warned:
                self._warned.add(quota.meter)
                log.warning("Quota of %s (%g) used up; serving on and reporting overage, as licence %s allows.",
                            quota.meter, quota.limit, licence.id)
        return None

    async def check(self, ctx: RequestContext, scope: Scope) -> None:
        if ctx.service is None or ctx.service not in self.licences:
            return
        problem = self._problem(ctx.service)
        if problem:
            raise Forbidden(problem.message, code=problem.code)

    def api_status(self) -> tuple[str, str]:
        for service in self.licences:
            problem = self._problem(service)
            if problem:
                return problem.code, problem.message
        parts = []
        for service, licence in self.licences.items():
            over = [f"{q.meter} overage {self.book.of(licence, q.meter) - q.limit:g}" for q in licence.quotas
                    if q.behaviour == "overage" and self.book.of(licence, q.meter) > q.limit]
            parts.append(f"{service}: licence {licence.id} valid until {lic.iso(licence.expires)}"
                         + (f" ({', '.join(over)})" if over else ""))
        return "Valid", "; ".join(parts)

    def not_serving_reason(self) -> str | None:
        for service in self.licences:
            problem = self._problem(service)
            if problem:
                return f"{problem.code}: {problem.message}"
        return None

    def wrap(self, recorder: UsageRecorder) -> UsageRecorder:
        return _BookingRecorder(recorder, self.book)

    def refresh(self) -> None:
        """Off the event loop: adopt renewed licences from the folder, re-count quota usage."""
        try:
            reading = lic.read_folder(self.folder, self.keys)
        except LicenceError:
            reading = None  # folder unmounted meanwhile: keep the licences read at start
        licences = dict(self.licences)
        for service, current in self.licences.items():
            try:
                best = reading.for_service(service, self.folder, skew=self.skew) if reading else current
            except LicenceError:
                continue
            if best.id != current.id and (current.time_problem(skew=self.skew) or best.expires > current.expires):
                log.info("Service %s now uses licence %s (valid until %s) from %s",
                         service, best.id, lic.iso(best.expires), self.folder)
                licences[service] = best
        self.book.refresh(list(licences.values()))
        self.licences = licences

    def background(self) -> list[Callable[[], Awaitable[None]]]:
        async def refresh() -> None:
            loop = asyncio.get_running_loop()
            while True:
                await asyncio.sleep(REFRESH_SECONDS)
                try:
                    await loop.run_in_executor(None, self.refresh)
                except Exception:  # a failed refresh keeps the last good state; the next one retries
                    log.exception("Re-reading licences and usage failed")

        return [refresh]


class Connected(Mode):
    name = "connected"

    def __init__(self, settings: Settings, services: Sequence[str]) -> None:
        assert settings.billing and settings.api_key
        self.client = AuthorityClient(settings.billing, settings.api_key)
        self.output_dir = settings.output_dir
        self.interval = settings.report_interval
        self.max_failures = settings.max_failed_reports
        self.services = list(services)
        self.status, self.message = "Valid", f"Billing endpoint {settings.billing} accepted the key at start."
        self.failures = 0
        now = datetime.now(timezone.utc)
        # Upload from the start of the month: the authority ignores records it already has.
        self.cursor: datetime | None = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)

    def _refusal(self) -> LicenceError | None:
        if self.status == "OutOfQuota":
            return LicenceError("OutOfQuota", f"Container isn't in a valid state: {self.message}")
        if self.failures >= self.max_failures:
            return LicenceError(self.status, f"Container isn't in a valid state: {self.failures} consecutive "
                                f"usage reports failed (last: {self.status}: {self.message}). Requests are "
                                "served again as soon as a report succeeds.")
        return None

    async def check(self, ctx: RequestContext, scope: Scope) -> None:
        if ctx.service is None:
            return
        refusal = self._refusal()
        if refusal:
            raise Forbidden(refusal.message, code=refusal.code)

    def api_status(self) -> tuple[str, str]:
        return self.status, self.message + (f" ({self.failures} consecutive failed reports)" if self.failures else "")

    def not_serving_reason(self) -> str | None:
        refusal = self._refusal()
        return f"{refusal.code}: {refusal.message}" if refusal else None

    def _pending(self) -> tuple[list[dict[str, Any]], datetime | None]:
        records: list[dict[str, Any]] = []
        latest = None
        for instance, files in instances(self.output_dir).items():
            for rec in iter_chain(files):
                t = datetime.fromisoformat(rec["time"])
                if self.cursor is not None and t < self.cursor:
                    continue
                # The record's place in its journal (what the local report counts) plus its request
                # id (unique even if a wiped volume restarts a chain): an upload retried or sent by
                # several workers is stored once; two local records are never merged into one.
                records.append({"id": f"{instance}/{rec['seq']}/{rec['requestId']}", "time": rec["time"],
                                "serviceName": rec.get("serviceName"), "apiType": rec.get("apiType"),
                                "meters": rec["meters"]})
                latest = t if latest is None or t > latest else latest
                if len(records) >= 5000:
                    return records, latest
        return records, latest

    async def report(self) -> None:
        """One usage report; success resets the failure count, any failure adds to it."""
        loop = asyncio.get_running_loop()
        records, latest = await loop.run_in_executor(None, self._pending)
        try:
            body = await self.client.upload_usage(records)
        except LicenceError as exc:
            self.failures += 1
            self.status, self.message = exc.code, exc.message
            log.warning("Usage report %d failed: %s: %s", self.failures, exc.code, exc.message)
            return
        if latest is not None:
            # Keep a margin (records of other instances may land a little out of time order)
            # unless the batch was full, so that a long backlog still moves forward.
            self.cursor = latest if len(records) >= 5000 else latest - timedelta(minutes=5)
        self.failures = 0
        self.status = str(body.get("status", "Valid"))
        self.message = (f"Usage reported to {self.client.base}: {body.get('accepted', 0)} new record(s)."
                        if self.status == "Valid" else f"The billing endpoint says {self.status}.")

    def background(self) -> list[Callable[[], Awaitable[None]]]:
        async def loop() -> None:
            while True:
                await asyncio.sleep(self.interval)
                try:
                    await self.report()
                except Exception:  # a bug here must not end reporting for the life of the process
                    log.exception("Usage report crashed")

        return [loop]


def build(settings: Settings, service_meters: Mapping[str, Sequence[str]]) -> Mode:
    mode = mode_of(settings)
    if mode == "disconnected":
        return Disconnected(settings, service_meters)
    if mode == "connected":
        return Connected(settings, list(service_meters))
    return Mode()
