"""``create_app(settings)``: one ASGI application with the services the settings enable."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware import Middleware
from starlette.types import ASGIApp

from airgap import __version__
from airgap.platform import health, lenient, processes, records_routes, route_index, studio, swagger
from airgap.platform.errors import ApiError, BadRequest, MethodNotAllowed, NotFound, unexpected_error
from airgap.platform.executor import InferencePool
from airgap.platform.gateway import Gate, GatewayMiddleware
from airgap.platform.jobs import JobRunner, JobStore, job_root
from airgap.platform.metering import UsageRecorder
from airgap.platform.metrics import MetricsMiddleware
from airgap.platform.responses import JSONResponse, error_response
from airgap.platform.runtime import Runtime
from airgap.platform.settings import Settings
from airgap.services import registry
from airgap.services.base import Service

log = logging.getLogger("airgap.app")


def create_app(
    settings: Settings,
    *,
    recorder: UsageRecorder | None = None,
    gates: Sequence[Gate] = (),
    runtime: Runtime | None = None,
) -> FastAPI:
    runtime = runtime or Runtime(settings=settings, pool=InferencePool(settings.threads))
    if runtime.jobs is None:
        runtime.jobs = JobRunner(JobStore(job_root(settings.output_dir, settings.shared_dir)),
                                 ready=lambda: runtime.ready, recorder=recorder,
                                 processes=settings.job_processes, threads=runtime.pool)
    for service_class in registry.resolve(settings.services):
        host(runtime, service_class(runtime))
    # Engine processes (platform/processes.py): the server's supervisor under `airgap serve`,
    # else one of this app's own, started and stopped with it.
    supervisor = processes.attach(runtime)
    if runtime.processes:
        gates = [processes.ProcessGate(runtime.processes), *gates]

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if supervisor is not None:
            supervisor.start()
        # Load models in the background so that /ContainerLiveness answers at once
        # and /ready says 503 until every engine is in memory.
        loading = asyncio.get_running_loop().run_in_executor(None, _load_all, runtime)
        runtime.loaded = asyncio.Event()
        loading.add_done_callback(lambda _: runtime.loaded.set())
        job_runner = asyncio.create_task(runtime.jobs.run_forever(), name="job-runner")
        chores = [asyncio.create_task(chore()) for chore in runtime.background]
        try:
            yield
        finally:
            for chore in chores:
                chore.cancel()
            job_runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await job_runner
            loading.cancel()
            for service in runtime.services:
                try:
                    service.close()
                except Exception:  # one service failing to close must not keep the others open
                    log.exception("Closing the %s service failed", service.name)
            if supervisor is not None:
                await asyncio.to_thread(supervisor.stop)
            runtime.pool.shutdown()
            if recorder is not None:
                recorder.close()

    app = PlatformApp(
        title="airgap",
        version=__version__,
        summary="Azure AI services containers, offline. Wire-compatible with the official Azure SDKs.",
        docs_url=None,  # platform/swagger.py serves /swagger with its assets from the install
        openapi_url="/swagger/v1/swagger.json",
        redoc_url=None,
        default_response_class=JSONResponse,
        lifespan=lifespan,
        # FastAPI's native OpenTelemetry: nothing here exports it (offline), yet it looks the global
        # providers up on every request; off, like the rest of FastAPI's middleware we do not use.
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
    )
    app.state.runtime = runtime
    app.include_router(health.router)
    app.include_router(swagger.router)
    app.include_router(studio.router)
    app.include_router(records_routes.router)
    for service in runtime.services:
        for router in service.routers():
            app.include_router(router)

    express = route_index.install(app)  # routes found by path, not by a walk; @express endpoints called directly
    _install_error_handlers(app, runtime)
    app.platform_middleware = [
        Middleware(lenient.LenientMiddleware),  # outermost: path and query names in canonical case
        Middleware(MetricsMiddleware),
        Middleware(GatewayMiddleware, runtime=runtime, gates=gates, recorder=recorder, express=express),
    ]
    return app


class PlatformApp(FastAPI):
    """FastAPI with the platform's middleware (``platform_middleware``, outermost first) around its
    own layers rather than inside them.

    FastAPI wraps user middleware in its server-error, exception-telemetry and body-limit layers;
    on a request as short as a one-document detection those pass-through layers cost about as much
    as the detection. Outside them, the gateway's express lane (``route_index.py``) reaches an
    endpoint past all of them; everything else still goes through every FastAPI layer, with the
    handlers ``_install_error_handlers`` installs. The gateway therefore answers an express
    endpoint's unforeseen exception itself, as the server-error handler would."""

    platform_middleware: list[Middleware] = []

    def build_middleware_stack(self) -> ASGIApp:
        app = super().build_middleware_stack()
        for cls, args, kwargs in reversed(self.platform_middleware):
            app = cls(app, *args, **kwargs)
        return app


def host(runtime: Runtime, service: Service) -> None:
    """Wire one service through the contract, the same way for every service.

    Its routes and dialects go into the path tables (a prefix another service declared
    already stops the start here, with both names); its job kinds onto the job runner.
    """
    runtime.services.append(service)
    for prefix in service.routes:
        runtime.owners.add(prefix, service, service.name)
        runtime.dialects.register(prefix, service.dialect, service.name)
    for prefix, dialect in service.dialects.items():
        runtime.dialects.register(prefix, dialect, service.name)
    if runtime.jobs is not None:
        for kind in service.job_kinds():
            runtime.jobs.register(kind)


def _load_all(runtime: Runtime) -> None:
    for service in runtime.services:
        try:
            service.load()
        except Exception as exc:  # a broken model install must show on /ready, not kill the process
            log.exception("Loading the %s service failed", service.name)
            runtime.load_error = f"{service.name}: {type(exc).__name__}: {exc}"
            return
    # Models are millions of long-lived objects; a full garbage collection walking them all
    # stalls every request in flight (p99 in the hundreds of ms). Freezing moves what is
    # loaded now out of the collector's sight; requests' own garbage is still collected.
    gc.collect()
    gc.freeze()
    log.info("All engines loaded: %s (%d objects frozen out of garbage collection)",
             ", ".join(s.name for s in runtime.services), gc.get_freeze_count())


def _install_error_handlers(app: FastAPI, runtime: Runtime) -> None:
    def respond(request: Request, error: ApiError) -> JSONResponse:
        dialect = runtime.dialects.for_request(request.url.path, request.scope.get("query_string", b""))
        return error_response(error, dialect)

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        return respond(request, exc)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err.get('loc', ()))}: {err.get('msg')}" for err in exc.errors()
        )
        return respond(request, BadRequest(f"Invalid request: {problems}.", inner_code="InvalidParameterValue"))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        target = f"{request.method} {request.url.path}"
        if exc.status_code == 404:
            error: ApiError = NotFound(f"Resource not found: {target}. GET /swagger lists the routes served here.")
        elif exc.status_code == 405:
            allowed = (exc.headers or {}).get("Allow")
            hint = f" Allowed: {allowed}." if allowed else ""
            error = MethodNotAllowed(f"Method not allowed: {target}.{hint} GET /swagger lists the methods each route takes.")
        else:
            error = ApiError(str(exc.detail), status=exc.status_code, code="InvalidRequest")
        # Starlette's own headers (a 405's Allow, which HTTP requires) must survive the rewrite.
        error.headers = {**(exc.headers or {}), **error.headers}
        return respond(request, error)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("Unhandled error on %s %s", request.method, request.url.path)
        return respond(request, unexpected_error())
