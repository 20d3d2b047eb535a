"""The per-request context a handler sees: who it is, and what it used."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from starlette.requests import HTTPConnection, Request


@dataclass(frozen=True, slots=True)
class Reading:
    """One billable quantity of one meter, taken while handling one request."""

    meter: str
    quantity: float


class Biller(Protocol):
    """What ``RequestContext.bill`` calls: the platform gateway (``gateway.py``)."""

    async def bill_now(self, ctx: RequestContext, reading: Reading) -> None: ...


@dataclass(slots=True)
class RequestContext:
    """Created by the platform for every API request and websocket connection, before the handler runs.

    Two ways to bill:

    - ``ctx.meter(name, quantity)`` (HTTP handlers): the platform makes the readings durable
      before the response's first byte leaves, and drops them if the response is an error
      (failed requests are not billed).
    - ``await ctx.bill(name, quantity)`` (websocket handlers, or anything whose result leaves
      before the handler returns): one record, durable when the call returns, *before* the
      handler sends the message that carries the result. It raises ``ApiError`` when the unit
      cannot be billed (the licence stopped serving, the output volume is full): the handler
      then withholds the result and closes the connection with the error's message.
    """

    request_id: str
    service: str | None = None
    readings: list[Reading] = field(default_factory=list)
    # What ``bill`` made durable already, in order (for the handler's own accounting and tests).
    billed: list[Reading] = field(default_factory=list)
    biller: Biller | None = field(default=None, repr=False, compare=False)

    def meter(self, name: str, quantity: float) -> None:
        if quantity < 0:
            raise ValueError(f"meter {name}: negative quantity {quantity}")
        if quantity:
            self.readings.append(Reading(name, quantity))

    async def bill(self, name: str, quantity: float) -> None:
        if quantity < 0:
            raise ValueError(f"meter {name}: negative quantity {quantity}")
        if not quantity:
            return
        reading = Reading(name, quantity)
        if self.biller is not None:  # none: a route mounted outside the platform (unit tests)
            await self.biller.bill_now(self, reading)
        self.billed.append(reading)


def context_of(connection: HTTPConnection) -> RequestContext:
    """The context the platform middleware attached to this request or websocket.

    A plain function, cheaper per request than the ``request_context`` dependency.
    """
    state = connection.scope.setdefault("state", {})
    ctx = state.get("airgap.context")
    if ctx is None:  # a route mounted outside the platform middleware (unit tests)
        ctx = state["airgap.context"] = RequestContext(request_id="-")
    return ctx


async def request_context(request: Request) -> RequestContext:
    """FastAPI dependency: the context the platform middleware attached to this request.

    ``async`` on purpose: FastAPI runs a plain ``def`` dependency in a worker thread, one
    thread hop per request for a dictionary lookup.
    """
    return context_of(request)
