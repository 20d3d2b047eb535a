"""The authority's HTTP API: what containers call with ``Billing=<url>`` and ``ApiKey=<key>``.

Routes (the key travels in ``Ocp-Apim-Subscription-Key``, as Azure's do)::

    GET  /                     issuer, key id and public key (PEM): for operators, never trusted by containers
    POST /airgap/v1/licence    {"services": [...], "container": "..."} -> {"licence": "<JWT>", ...}
    POST /airgap/v1/validate   {"services": [...]}                     -> {"status": "Valid", ...}
    POST /airgap/v1/usage      {"records": [...], "container": "..."}  -> {"status": "Valid", "accepted": n}

Failures are ``{"error": {"code", "message"}}`` with the Azure status word as code: 401
``Invalid`` (unknown key), 403 ``Mismatch`` / ``ContainerUseUnauthorized`` / ``OutOfQuota``,
429 ``BillingEndpointBusy`` once a client has sent too many unknown keys.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel, Field

from airgap import __version__
from airgap.authority.store import Resource, Store
from airgap.platform.licensing import token as lic
from airgap.platform.licensing.token import LicenceError

log = logging.getLogger("airgap.authority")

KEY_HEADER = "Ocp-Apim-Subscription-Key"
API = "/airgap/v1"
_STATUS = {"Invalid": 401, "Mismatch": 403, "ContainerUseUnauthorized": 403, "OutOfQuota": 403,
           "BillingEndpointBusy": 429}


class FailureLimiter:
    """At most ``limit`` unknown-key attempts per client in any ``window`` seconds."""

    def __init__(self, limit: int = 10, window: float = 60.0) -> None:
        self.limit, self.window = limit, window
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> int:
        """Seconds the client must wait, or 0 when it may try."""
        with self._lock:
            times = self._prune(client, time.monotonic())
            if len(times) < self.limit:
                return 0
            return max(1, int(times[0] + self.window - time.monotonic()) + 1)

    def failed(self, client: str) -> None:
        with self._lock:
            if len(self._seen) > 10_000:  # forget clients whose failures have all aged out
                now = time.monotonic()
                self._seen = {c: t for c, t in self._seen.items() if t and t[-1] > now - self.window}
            self._prune(client, time.monotonic()).append(time.monotonic())

    def _prune(self, client: str, now: float) -> deque[float]:
        times = self._seen.setdefault(client, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times


class LicenceRequest(BaseModel):
    services: list[str] = Field(default_factory=list)
    container: str | None = None


class MeterReading(BaseModel):
    name: str
    quantity: float = Field(ge=0)


class UsageRecord(BaseModel):
    id: str = Field(min_length=1, max_length=200)
    time: AwareDatetime
    serviceName: str | None = None
    apiType: str | None = None
    meters: list[MeterReading]


class UsageUpload(BaseModel):
    records: list[UsageRecord] = Field(default_factory=list, max_length=10_000)
    container: str | None = None


class _Refused(Exception):
    def __init__(self, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        self.code, self.message, self.headers = code, message, headers or {}


def create_authority_app(store: Store, limiter: FailureLimiter | None = None) -> FastAPI:
    store.check()
    limiter = limiter or FailureLimiter()
    app = FastAPI(title="airgap licence authority", version=__version__, docs_url="/swagger",
                  openapi_url="/swagger/v1/swagger.json", redoc_url=None)

    @app.exception_handler(_Refused)
    async def refused(request: Request, exc: _Refused) -> JSONResponse:
        return JSONResponse({"error": {"code": exc.code, "message": exc.message}},
                            status_code=_STATUS.get(exc.code, 400), headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return JSONResponse({"error": {"code": "InvalidRequest", "message": f"Invalid request: {problems}."}},
                            status_code=400)

    def resource_for(request: Request) -> Resource:
        client = request.client.host if request.client else "-"
        wait = limiter.retry_after(client)
        if wait:
            raise _Refused("BillingEndpointBusy", f"Too many requests with unknown API keys from {client}; "
                           f"retry after {wait} s.", {"Retry-After": str(wait)})
        key = request.headers.get(KEY_HEADER, "")
        try:
            resource = store.authenticate(key) if key else None
        except LicenceError as exc:
            raise _Refused(exc.code, exc.message) from None
        if resource is None:
            limiter.failed(client)
            log.warning("Unknown API key from %s", client)
            raise _Refused("Invalid", f"The API key is not valid for this authority; pass the key of a "
                           f"resource as ApiKey (sent as {KEY_HEADER}).")
        return resource

    def check_services(resource: Resource, services: list[str]) -> None:
        missing = [s for s in services if s not in resource.services]
        if missing:
            raise _Refused("Mismatch", f"Resource {resource.id} does not include the service(s) "
                           f"{', '.join(missing)}; it covers {', '.join(resource.services)}.")

    def check_quota(resource: Resource) -> None:
        exhausted = store.exhausted(resource, lic.utcnow())
        if exhausted:
            q = exhausted[0]
            raise _Refused("OutOfQuota", f"Resource {resource.id} has used its quota of {q.limit:g} for "
                           f"meter {q.meter} in this plan period.")

    @app.get("/")
    def info() -> dict[str, Any]:
        public = store.signing_key.public_key()
        return {"issuer": store.issuer, "keyId": lic.key_id(public),
                "publicKey": lic.public_key_pem(public).decode(), "api": API}

    # Plain ``def`` routes: FastAPI runs them in its thread pool, and SQLite's busy_timeout
    # queues concurrent writers.
    @app.post(f"{API}/licence")
    def licence(body: LicenceRequest, request: Request) -> dict[str, Any]:
        resource = resource_for(request)
        check_services(resource, body.services)
        check_quota(resource)
        token = store.issue_licence(resource, body.services or list(resource.services), body.container)
        issued = lic.verify(token, [store.signing_key.public_key()])
        log.info("Issued licence %s for resource %s to %s", issued.id, resource.id, body.container or "-")
        return {"licence": token, "id": issued.id, "resource": resource.id,
                "notBefore": lic.iso(issued.not_before), "expires": lic.iso(issued.expires)}

    @app.post(f"{API}/validate")
    def validate(body: LicenceRequest, request: Request) -> dict[str, Any]:
        resource = resource_for(request)
        check_services(resource, body.services)
        check_quota(resource)
        return {"status": "Valid", "resource": resource.id, "services": list(resource.services)}

    @app.post(f"{API}/usage")
    def usage(body: UsageUpload, request: Request) -> dict[str, Any]:
        resource = resource_for(request)
        records = [{**r.model_dump(), "time": r.time.isoformat()} for r in body.records]
        accepted = store.add_usage(resource, records, body.container)
        status = "Valid"
        if store.exhausted(resource, lic.utcnow()):
            status = "OutOfQuota"
        return {"status": status, "accepted": accepted, "duplicates": len(records) - accepted}

    return app
