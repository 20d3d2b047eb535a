"""The per-request context a handler sees: who it is, and what it used."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request


@dataclass(frozen=True)
class Reading:
    """One billable quantity of one meter, taken while handling one request."""

    meter: str
    quantity: float


@dataclass
class RequestContext:
    """Created by the platform for every API request, before the handler runs.

    A handler's only duty towards billing is ``ctx.meter(name, quantity)``;
    the platform makes the readings durable before the response leaves, and
    drops them if the response is an error (failed requests are not billed).
    """

    request_id: str
    service: str | None = None
    readings: list[Reading] = field(default_factory=list)

    def meter(self, name: str, quantity: float) -> None:
        if quantity < 0:
            raise ValueError(f"meter {name}: negative quantity {quantity}")
        if quantity:
            self.readings.append(Reading(name, quantity))


async def request_context(request: Request) -> RequestContext:
    """FastAPI dependency: the context the platform middleware attached to this request.

    ``async`` on purpose: FastAPI runs a plain ``def`` dependency in a worker thread, one
    thread hop per request for a dictionary lookup.
    """
    ctx = request.scope.get("state", {}).get("airgap.context")
    if ctx is None:  # a route mounted outside the platform middleware (unit tests)
        ctx = RequestContext(request_id="-")
        request.scope.setdefault("state", {})["airgap.context"] = ctx
    return ctx
