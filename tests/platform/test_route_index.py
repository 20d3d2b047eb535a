"""RouteIndex answers as FastAPI's own walk does (200s, path parameters, 404, 405 with Allow), and the
express table holds only ``@express`` endpoints that take just the Request, on paths without parameters."""

from __future__ import annotations

import pytest
from fastapi import APIRouter, FastAPI, Request
from starlette.responses import PlainTextResponse
from starlette.testclient import TestClient

from airgap.platform import route_index
from airgap.platform.route_index import RouteIndex, express


def _app(indexed: bool) -> FastAPI:
    app = FastAPI()
    first, second = APIRouter(), APIRouter()

    @first.get("/a")
    async def a() -> PlainTextResponse:
        return PlainTextResponse("a")

    @first.post("/items/{item}")
    async def item(item: str) -> PlainTextResponse:
        return PlainTextResponse(f"item {item}")

    @second.post("/b")
    @express
    async def b(request: Request) -> PlainTextResponse:
        return PlainTextResponse("b")

    @second.post("/c")
    @express
    async def c(request: Request, n: int = 1) -> PlainTextResponse:  # a parameter FastAPI must solve
        return PlainTextResponse("c")

    @second.get("/{rest:path}")
    async def rest(rest: str) -> PlainTextResponse:
        return PlainTextResponse(f"rest {rest}")

    app.include_router(first)
    app.include_router(second)
    if indexed:
        route_index.install(app)
    return app


CASES = [("GET", "/a"), ("POST", "/items/7"), ("POST", "/items/8"), ("POST", "/b"), ("GET", "/b"),
         ("GET", "/anything/else"), ("DELETE", "/a"), ("POST", "/c"), ("PUT", "/nowhere")]


@pytest.mark.parametrize("rounds", [1, 3])  # the second time a path comes, the index answers
def test_the_index_answers_as_the_walk(rounds):
    plain, indexed = TestClient(_app(False)), TestClient(_app(True))
    for _ in range(rounds):
        for method, path in CASES:
            expected, got = plain.request(method, path), indexed.request(method, path)
            assert (got.status_code, got.text, got.headers.get("allow")) == \
                (expected.status_code, expected.text, expected.headers.get("allow")), (method, path)


def test_the_index_is_first_and_out_of_the_schema():
    app = _app(True)
    assert isinstance(app.router.routes[0], RouteIndex)
    route_index.install(app)  # twice: still one
    assert sum(isinstance(r, RouteIndex) for r in app.router.routes) == 1
    assert set(app.openapi()["paths"]) == set(_app(False).openapi()["paths"])


def test_express_table_takes_only_request_only_endpoints():
    table = route_index.express_table(_app(False))
    assert list(table) == [("POST", "/b")]
    route, endpoint = table[("POST", "/b")]
    assert route.path == "/b" and endpoint.__name__ == "b"
