"""Routing without the walk: which of the app's routes takes a request, remembered per path;
and an express lane for the hottest endpoints.

FastAPI finds a request's route by asking every route in turn, and a router included with
``include_router`` answers by asking each of its own routes, twice (once to match, once to
handle). With every service's routers in one app that walk costs more than the rest of a
short request. ``install(app)`` puts a ``RouteIndex`` first in the app's routes: the first
time it sees a (scope type, method, path) it asks the routes after it, as FastAPI would, and
remembers the first one that matches fully; afterwards it hands such a request straight to that
route (whose own ``matches`` and ``handle`` then run as usual). Paths no route takes fully (404,
405) are not remembered and take FastAPI's usual walk, so its answers do not change.

Express endpoints: an endpoint marked ``@express`` takes the ``Request`` and nothing else and
returns a ``Response``; FastAPI has nothing to solve, validate or convert for it, yet its request
machinery (exit stacks, dependency solving, exception wrappers, the router) costs more than a
short language request itself. The gateway calls such an endpoint directly once the gates have
passed (``GatewayMiddleware(express=...)``), and renders an ``ApiError`` it raises in the path's
dialect as the app's handler would, and any other exception as the app's server-error handler would
(the platform's middleware sits outside FastAPI's own layers: ``app.PlatformApp``). The route stays declared in FastAPI (OpenAPI, 405 for other methods).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import Receive, Scope, Send

Endpoint = Callable[[Request], Awaitable[Response]]
E = TypeVar("E", bound=Callable[..., Any])
# (method, path) -> (the route, for metrics and Request.scope; its endpoint)
ExpressTable = dict[tuple[str, str], tuple[BaseRoute, Endpoint]]

_LIMIT = 4096  # paths with ids in them (jobs) must not grow the index for ever
_SELECTED = "airgap.route_index"


class RouteIndex(BaseRoute):
    include_in_schema = False

    def __init__(self, routes: list[BaseRoute]) -> None:
        self.routes = routes  # the app router's own list: this index is its first element
        self._chosen: dict[tuple[Any, ...], BaseRoute] = {}

    def _find(self, scope: Scope) -> BaseRoute | None:
        for route in self.routes:
            if route is self:
                continue
            match, _ = route.matches(scope)
            if match == Match.FULL:
                return route
        return None

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        kind = scope["type"]
        if kind != "http" and kind != "websocket":
            return Match.NONE, {}
        key = (kind, scope.get("method"), scope["path"], scope.get("root_path", ""))
        route = self._chosen.get(key)
        if route is None:
            route = self._find(scope)
            if route is None:
                return Match.NONE, {}
            if len(self._chosen) >= _LIMIT:
                self._chosen.clear()
            self._chosen[key] = route
        match, child_scope = route.matches(scope)
        if match != Match.FULL:  # cannot happen for the same type, method and path; stay correct anyway
            return Match.NONE, {}
        return Match.FULL, {**child_scope, _SELECTED: route}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await scope.pop(_SELECTED).handle(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        raise NoMatchFound(name, path_params)


_QUERY_LIMIT = 256
_queries: dict[bytes, QueryParams] = {}


class ExpressRequest(Request):
    """The ``Request`` an express endpoint gets: its query parsed once per distinct query string
    (clients send the same ``api-version=...`` again and again; parsing it costs more than the
    lookup). ``QueryParams`` is immutable, so requests can share one."""

    @property
    def query_params(self) -> QueryParams:
        raw = self.scope["query_string"]
        params = _queries.get(raw)
        if params is None:
            params = QueryParams(raw)
            if len(_queries) >= _QUERY_LIMIT:
                _queries.clear()  # ids or free text in queries must not grow it for ever
            _queries[raw] = params
        return params


def express(endpoint: E) -> E:
    """Mark an endpoint ``async def f(request: Request) -> Response`` for the express lane."""
    endpoint.__airgap_express__ = True  # type: ignore[attr-defined]
    return endpoint


def _expressible(endpoint: Any) -> bool:
    if not getattr(endpoint, "__airgap_express__", False) or not inspect.iscoroutinefunction(endpoint):
        return False
    parameters = list(inspect.signature(endpoint).parameters.values())
    return len(parameters) == 1 and parameters[0].annotation in (Request, "Request")


def express_table(app: Any) -> ExpressTable:
    """The app's express endpoints by (method, path); paths with parameters are left out."""
    from fastapi.routing import iter_route_contexts

    table: ExpressTable = {}
    for context in iter_route_contexts(app.routes):
        endpoint, path = context.endpoint, context.path
        if not path or "{" in path or not _expressible(endpoint):
            continue
        for method in context.methods or ():
            table.setdefault((method, path), (context.original_route, endpoint))
    return table


def install(app: Any) -> ExpressTable:
    """Put a ``RouteIndex`` first in ``app``'s routes (once every route is in place); return the
    express table for the gateway."""
    routes = app.router.routes
    if not any(isinstance(r, RouteIndex) for r in routes):
        routes.insert(0, RouteIndex(routes))
    return express_table(app)
