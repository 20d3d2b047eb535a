"""The score server's composition root: a user's ``score.py`` behind azmlinfsrv's routes, on the
airgap platform.

``build_app(config, settings)`` returns the ASGI application one worker process serves:

    MetricsMiddleware (platform/metrics.py: /metrics counts every request by route)
      GatewayMiddleware (platform/gateway.py: request context, gates, usage durable before the
                         first response byte) -- owns /score only, as service ``inference``
        ScoreApp (this module): azmlinfsrv's routes and the platform's housekeeping ones

Routes, as azmlinfsrv 1.5.1 answers them (``tests/scoring/test_differential.py``):
``GET /`` -> ``Healthy`` once ``init()`` has run; ``GET|POST|OPTIONS /score``;
``GET /swagger.json?version=2|3|3.1``; any other path 404 and any other method 405, with
``{"message": ...}`` bodies. airgap adds ``/ready`` (503 until ``init()`` has finished),
``/health`` and ``/ContainerLiveness`` (at once), ``/status`` and ``/metrics``.

Gates on ``/score`` (``server.compose``'s choices, from the same settings): the licensing mode
(``Mounts:License`` or ``Billing``: the licence must cover the service ``inference``) and, with
``Auth:SubscriptionKeys``, a key in ``Authorization: Bearer <key>`` (what Azure ML clients send)
or ``Ocp-Apim-Subscription-Key``. Each ``run()`` that answers below 400 is billed one
``CustomModel.Transactions`` and its request's bytes as ``CustomModel.RequestBytes``.

The script's ``init()`` runs once per worker, in a thread, when the worker starts: liveness answers
meanwhile, ``/score`` waits for it (the gateway's readiness gate). If loading the script or
``init()`` fails, the error goes to the log and the worker exits with code 3, which stops the
whole server with code 3 (``server.py``), as azmlinfsrv does.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from airgap.platform.context import RequestContext
from airgap.platform.errors import ApiError, Rendered, Unauthorized
from airgap.platform.executor import InferencePool
from airgap.platform.gateway import Gate, GatewayMiddleware
from airgap.platform.metering import UsageRecorder
from airgap.platform.metrics import MetricsMiddleware, exposition
from airgap.platform.runtime import Runtime
from airgap.platform.settings import Settings
from airgap.scoring import wire
from airgap.scoring.config import ScoreConfig
from airgap.scoring.cors import Cors
from airgap.scoring.runner import RunInterrupted, RunPool, ScoringTimeout
from airgap.scoring.swagger import Swagger, SwaggerNotFound
from airgap.scoring.user_script import InputError, ScoreRequest, UserScript, UserScriptError

log = logging.getLogger("azmlinfsrv")
airgap_log = logging.getLogger("airgap.scoring")

SERVICE = "inference"
API_TYPE = "CustomModel"
TRANSACTIONS = "CustomModel.Transactions"
REQUEST_BYTES = "CustomModel.RequestBytes"
METERS = (TRANSACTIONS, REQUEST_BYTES)

INTERNAL_ERROR = "An unexpected internal error occurred. Check the logs for more info."
RUN_FAILED = "An unexpected error occurred in scoring script. Check the logs for more info."
NOT_FOUND = ("The requested URL was not found on the server. If you entered the URL manually please check "
             "your spelling and try again.")
METHOD_NOT_ALLOWED = "The method is not allowed for the requested URL."

# Reason phrases and other per-server details are uvicorn's; everything else is azmlinfsrv's.
_FAILED = (b"x-ms-run-function-failed", b"False")
_FAILED_TRUE = (b"x-ms-run-function-failed", b"True")


class ScoringDialect:
    """Gate refusals on /score (licence, key, readiness, usage volume) as azmlinfsrv's error body."""

    def render(self, error: ApiError) -> Rendered:
        return Rendered(error.status, {"message": error.message}, {**error.headers, "x-ms-error-code": error.code})


class ScoringService:
    """What the platform's runtime and gateway see of the score server: one service owning /score."""

    name = SERVICE
    title = "Custom model (score.py)"
    api_type = API_TYPE
    routes = ("/score",)

    def __init__(self) -> None:
        self.initialised = False
        self.error: str | None = None

    @property
    def ready(self) -> bool:
        return self.initialised

    def load(self) -> None:  # init() is run by ScoreApp's lifespan
        return None

    def close(self) -> None:
        return None


class KeyGate:
    """``Auth:SubscriptionKeys`` on /score: ``Authorization: Bearer <key>`` or ``Ocp-Apim-Subscription-Key``."""

    def __init__(self, keys: Sequence[str]) -> None:
        self.keys = [k.encode() for k in keys]

    async def check(self, ctx: RequestContext, scope: Scope) -> None:
        supplied = b""
        for name, value in scope.get("headers", ()):
            if name == b"authorization" and value[:7].lower() == b"bearer ":
                supplied = value[7:].strip()
                break
            if name == b"ocp-apim-subscription-key":
                supplied = value
        matched = False
        for key in self.keys:  # every key, always: the time taken says nothing about near matches
            matched |= hmac.compare_digest(supplied, key)
        if not matched:
            raise Unauthorized("Access denied: send one of the keys configured in Auth:SubscriptionKeys as "
                               "'Authorization: Bearer <key>' (or in Ocp-Apim-Subscription-Key).",
                               headers={"WWW-Authenticate": "Bearer"})


@dataclass(frozen=True)
class _Route:
    """What platform/metrics.py reads of a route: its path template."""

    path: str


_ROUTES = {p: _Route(p) for p in ("/", "/score", "/swagger.json", "/ready", "/health", "/ContainerLiveness",
                                  "/ContainerReadiness", "/status", "/metrics")}


@dataclass
class Outcome:
    kind: str  # "json", "response", "input", "http", "failed", "timeout", "internal"
    body: Any = None
    elapsed_ms: float = 0.0
    status: int = 200
    message: str = ""


class ScoreApp:
    def __init__(self, config: ScoreConfig, service: ScoringService, runtime: Runtime, *,
                 script: UserScript | None = None, pool: RunPool | None = None,
                 on_fatal: Callable[[int], None] | None = None, on_recycle: Callable[[], None] | None = None,
                 recorder: UsageRecorder | None = None) -> None:
        self.config = config
        self.service = service
        self.runtime = runtime
        self.script = script or UserScript(config.script_path)
        self.pool = pool or RunPool(config.run_threads, config.scoring_timeout_ms)
        self.on_fatal = on_fatal or _exit_process
        self.on_recycle = on_recycle or _recycle_process
        self.recorder = recorder
        self.swagger: Swagger | None = None
        self.initialised: asyncio.Event | None = None
        self._recycling = False
        version = config.server_version
        self._server_version = [(b"x-ms-server-version", version.encode("latin-1"))] if version else []
        self._chores: list[asyncio.Task] = []
        self.cors = Cors(config.cors_origins) if config.cors_origins else None

    # -- start and stop --------------------------------------------------------------------

    async def lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.initialised = asyncio.Event()
                self.runtime.loaded = self.initialised
                loop = asyncio.get_running_loop()
                threading.Thread(target=self._initialise, args=(loop,), name="score-init", daemon=True).start()
                self._chores = [asyncio.create_task(chore()) for chore in self.runtime.background]
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                for chore in self._chores:
                    chore.cancel()
                self.pool.shutdown()
                self.runtime.pool.shutdown()
                if self.recorder is not None:
                    self.recorder.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    def _initialise(self, loop: asyncio.AbstractEventLoop) -> None:
        """Load the script and run ``init()`` (a thread at start); a failure ends the worker with 3."""
        try:
            self.script.load()
        except UserScriptError:
            log.error(traceback.format_exc())
            self._fatal(loop, f"the scoring script could not be loaded: {_last_line()}")
            return
        try:
            self.script.init()
        except UserScriptError:
            log.error("User's init function failed")
            log.error("Encountered Exception %s", traceback.format_exc())
            self._log_model_dir()
            self._fatal(loop, f"init() failed: {_last_line()}")
            return
        try:
            self.swagger = Swagger(self.config, self.script.run_function)
        except Exception:  # a schema the templates cannot hold: the worker cannot serve it either
            log.error(traceback.format_exc())
            self._fatal(loop, "the swagger documents could not be built")
            return
        log.info("Scoring timeout is set to %s", self.config.scoring_timeout_ms)
        log.info("Worker with pid %s ready for serving traffic", os.getpid())
        self.service.initialised = True
        loop.call_soon_threadsafe(self._set_initialised)

    def _set_initialised(self) -> None:
        if self.initialised is not None:
            self.initialised.set()

    def _fatal(self, loop: asyncio.AbstractEventLoop, reason: str) -> None:
        self.service.error = reason
        self.runtime.load_error = reason
        loop.call_soon_threadsafe(self._set_initialised)
        self.on_fatal(3)

    def _log_model_dir(self) -> None:
        model_dir = self.config.model_dir
        if not model_dir or not os.path.exists(model_dir):
            return
        log.info("Model Directory Contents:")
        lines = 0
        for root, dirs, files in os.walk(model_dir):
            dirs.sort()
            depth = root[len(model_dir):].count(os.sep)
            log.info("%s%s%s", "    " * depth, os.path.basename(root.rstrip(os.sep)), os.sep)
            for name in sorted(files):
                log.info("%s%s", "    " * (depth + 1), name)
                lines += 1
                if lines >= 200:
                    log.info("Output Truncated. First 200 lines shown.")
                    return

    async def _wait_initialised(self) -> bool:
        if self.service.initialised:
            return True
        if self.initialised is None or self.service.error:
            return False
        try:
            await asyncio.wait_for(self.initialised.wait(), self.config.worker_timeout_s)
        except TimeoutError:
            return False
        return self.service.initialised

    # -- dispatch ---------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        path = scope["path"]
        route = _ROUTES.get(path)
        if route is not None:
            scope["route"] = route
        method = scope["method"]
        if path == "/score":
            if method in ("GET", "POST", "OPTIONS", "HEAD"):
                await self.score(scope, receive, send)
            else:
                await self._plain_error(send, 405, METHOD_NOT_ALLOWED)
        elif path == "/":
            if method in ("GET", "HEAD"):
                await self.health(scope, send)
            elif method == "OPTIONS":
                await self.options(scope, send)
            else:
                await self._plain_error(send, 405, METHOD_NOT_ALLOWED)
        elif path == "/swagger.json":
            if method in ("GET", "HEAD"):
                await self.swagger_json(scope, send)
            elif method == "OPTIONS":
                await self.options(scope, send)
            else:
                await self._plain_error(send, 405, METHOD_NOT_ALLOWED)
        elif route is not None:
            await self.housekeeping(scope, send, path)
        else:
            await self._plain_error(send, 404, NOT_FOUND)

    # -- azmlinfsrv's routes ------------------------------------------------------------------

    def _ids(self, scope: Scope) -> tuple[list[tuple[bytes, bytes]], str | None]:
        """azmlinfsrv's request-id headers for the response, or the 431 message for bad ones."""
        request_id = legacy = client = trace = None
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                request_id = value
            elif name == b"x-ms-request-id":
                legacy = value
            elif name == b"x-ms-client-request-id":
                client = value
            elif name == b"traceid":
                trace = value
        out = list(self._server_version)
        problem = None
        if request_id is None:
            # The id the gateway gave this request (its apim-request-id, the usage record's id): one
            # random UUID4 per request, which is what azmlinfsrv makes up here.
            ctx = scope.get("state", {}).get("airgap.context")
            request_id = (ctx.request_id if ctx is not None else str(_uuid4())).encode()
        if len(request_id) > wire.HEADER_LIMIT:
            problem = f"x-request-id must not exceed {wire.HEADER_LIMIT} characters"
        else:
            client = client or b""
            if legacy:
                log.warning("x-ms-request-id header has been deprecated and will be removed from future versions "
                            "of the server. Please use x-ms-client-request-id.")
                client = client or legacy
            else:
                legacy = client or request_id
            if request_id:
                out.append((b"x-request-id", request_id))
            if len(legacy) <= wire.HEADER_LIMIT and len(client) <= wire.HEADER_LIMIT:
                if legacy:
                    out.append((b"x-ms-request-id", legacy))
                if client:
                    out.append((b"x-ms-client-request-id", client))
            else:
                problem = (f"x-ms-request-id and x-ms-client-request-id must not exceed {wire.HEADER_LIMIT} "
                           "characters")
        if trace is not None:
            out.append((b"traceid", trace))
        if self.cors is not None:
            out.extend(self.cors.headers(scope["method"], scope["headers"]))
        return out, problem

    async def health(self, scope: Scope, send: Send) -> None:
        ids, problem = self._ids(scope)
        if problem:
            await self._send(send, scope, 431, wire.json_message(problem), [(b"content-type", wire.JSON), _FAILED], ids)
            return
        if not await self._wait_initialised():
            await self._not_ready(scope, send, ids)
            return
        await self._send(send, scope, 200, b"Healthy", [(b"content-type", wire.HTML)], ids)

    async def options(self, scope: Scope, send: Send) -> None:
        """Flask's automatic OPTIONS answer for a GET route."""
        ids, problem = self._ids(scope)
        if problem:
            await self._send(send, scope, 431, wire.json_message(problem), [(b"content-type", wire.JSON), _FAILED], ids)
            return
        await self._send(send, scope, 200, b"", [(b"content-type", wire.HTML), (b"allow", b"HEAD, OPTIONS, GET")], ids)

    async def swagger_json(self, scope: Scope, send: Send) -> None:
        started = time.perf_counter()
        ids, problem = self._ids(scope)
        if problem:
            await self._send(send, scope, 431, wire.json_message(problem), [(b"content-type", wire.JSON), _FAILED], ids)
            return
        if not await self._wait_initialised() or self.swagger is None:
            await self._not_ready(scope, send, ids)
            return
        version = "2"
        for key, value in _query_pairs(scope.get("query_string", b"")):
            if key == "version":
                version = value
                break
        try:
            status, body = 200, self.swagger.body(version)
        except SwaggerNotFound as exc:
            status, body = 404, wire.json_message(str(exc))
        await self._send(send, scope, status, body, [(b"content-type", wire.JSON), _FAILED], ids)
        self._access_log(scope, status, started, len(body))

    async def _not_ready(self, scope: Scope, send: Send, ids: list[tuple[bytes, bytes]]) -> None:
        reason = self.service.error or "init() has not finished"
        await self._send(send, scope, 503, wire.json_message(
            f"The scoring script is not ready ({reason}); retry when GET /ready returns 200."),
            [(b"content-type", wire.JSON), _FAILED, (b"retry-after", b"2")], ids)

    async def score(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        ids, problem = self._ids(scope)
        if problem:
            length = await self._send(send, scope, 431, wire.json_message(problem),
                                      [(b"content-type", wire.JSON), _FAILED], ids)
            self._access_log(scope, 431, started, length)
            return
        try:
            body = await self._read_body(scope, receive)
        except _ClientGone:
            self._access_log(scope, 499, started, None)
            return
        if body is None:
            message = (f"The request body is larger than {self.config.max_body_bytes} bytes, the limit of this server "
                       "(AIRGAP_SCORE_MAX_BODY_BYTES).")
            length = await self._send(send, scope, 413, wire.json_message(message),
                                      [(b"content-type", wire.JSON), _FAILED], ids)
            self._access_log(scope, 413, started, length)
            return
        if not await self._wait_initialised():
            await self._not_ready(scope, send, ids)
            return
        script = self.script
        method = scope["method"]
        if method not in ("GET", "POST") and not script.is_raw:
            # Flask answers OPTIONS itself, and HEAD (which it adds to GET routes) reaches the parser.
            if method == "OPTIONS":
                length = await self._send(send, scope, 200, b"", [(b"content-type", wire.HTML), _FAILED], ids)
                self._access_log(scope, 200, started, length)
                return
            length = await self._send(send, scope, 405, wire.json_message("Method not allowed"),
                                      [(b"content-type", wire.JSON), _FAILED], ids)
            self._access_log(scope, 405, started, length)
            return
        headers = scope["headers"]
        content_type = b""
        for name, value in headers:
            if name == b"content-type":
                content_type = value
                break
        request = ScoreRequest(method=method, query=scope.get("query_string", b""), headers=headers, body=body,
                               mimetype=_mimetype(content_type), environ=wire.environ_factory(scope, body))
        try:
            outcome: Outcome = await self.pool.submit(lambda call: self._work(call, request))
        except ScoringTimeout as exc:
            log.error("Encountered Exception: %s", f"Scoring timeout after {exc.timeout_ms} ms")
            outcome = Outcome("timeout", message=str(exc))
            if self.pool.overloaded:
                self._recycle()
        status, length = await self._answer(scope, send, outcome, ids, len(body))
        self._access_log(scope, status, started, length)

    def _work(self, call: Any, request: ScoreRequest) -> Outcome:
        """In a run thread: parse the input, call run(), serialise its output."""
        script = self.script
        try:
            arguments = script.parser(request)
        except InputError as exc:
            return Outcome("input", status=exc.status, message=str(exc.args[0]) if exc.args else "")
        except Exception as exc:
            http = _http_exception(exc)
            if http is not None:
                return Outcome("input", status=http[0], message=http[1])
            log.error("Encountered Exception: %s", traceback.format_exc())
            return Outcome("internal")
        call.start_clock()
        t0 = time.perf_counter()
        try:
            output = script.call(arguments, request.headers)
        except RunInterrupted:
            raise
        except TimeoutError:  # azmlinfsrv takes any TimeoutError out of run() for its own timeout
            log.error("Encountered Exception: %s", traceback.format_exc())
            return Outcome("timeout", message=f"Scoring timeout after {self.config.scoring_timeout_ms} ms")
        except Exception:
            log.error("Encountered Exception: %s", traceback.format_exc())
            return Outcome("failed")
        elapsed_ms = (time.perf_counter() - t0) * 1000
        if wire.is_response(output):
            return Outcome("response", output, elapsed_ms)
        try:
            body = json.dumps(output if output is not None else {}).encode()
        except Exception:
            log.error("Encountered Exception: %s", traceback.format_exc())
            return Outcome("internal")
        return Outcome("json", body, elapsed_ms)

    async def _answer(self, scope: Scope, send: Send, outcome: Outcome, ids: list[tuple[bytes, bytes]],
                      request_bytes: int) -> tuple[int, int]:
        """Send the answer for ``outcome``; its status and body length (for the access log)."""
        kind = outcome.kind
        if kind == "json":
            self._meter(scope, request_bytes)
            exec_ms = (b"x-ms-run-fn-exec-ms", b"%.3f" % outcome.elapsed_ms)
            length = await self._send(send, scope, 200, outcome.body, [(b"content-type", wire.JSON), _FAILED, exec_ms],
                                      ids)
            return 200, length
        if kind == "response":
            return await self._send_response(scope, send, outcome, ids, request_bytes)
        if kind == "input":
            status, message, failed = outcome.status, outcome.message, _FAILED
        elif kind == "timeout":
            status, message, failed = 500, outcome.message, _FAILED_TRUE
        elif kind == "failed":
            status, message, failed = 500, RUN_FAILED, _FAILED_TRUE
        else:
            status, message, failed = 500, INTERNAL_ERROR, _FAILED
        length = await self._send(send, scope, status, wire.json_message(message),
                                  [(b"content-type", wire.JSON), failed], ids)
        return status, length

    async def _send_response(self, scope: Scope, send: Send, outcome: Outcome, ids: list[tuple[bytes, bytes]],
                             request_bytes: int) -> tuple[int, int]:
        """A response object from run(): as it is, with azmlinfsrv's headers added."""
        response = outcome.body
        if response.status_code >= 500:
            response.headers["x-ms-run-function-failed"] = True
        response.headers.add("x-ms-run-fn-exec-ms", f"{outcome.elapsed_ms:.3f}")
        if self.cors is not None and response.headers.get("Access-Control-Allow-Origin"):
            ids = [(k, v) for k, v in ids if not k.startswith(b"access-control-") and k != b"vary"]
        for name, value in ids:
            response.headers.add(name.decode("latin-1"), value.decode("latin-1"))
        env = wire.environ(scope, b"")
        try:
            status, headers, app_iter = wire.response_parts(response, env)
        except Exception:
            log.error("Encountered Exception: %s", traceback.format_exc())
            length = await self._send(send, scope, 500, wire.json_message(INTERNAL_ERROR),
                                      [(b"content-type", wire.JSON), _FAILED], ids)
            return 500, length
        if status < 400:
            self._meter(scope, request_bytes)
        log.info("run() output is HTTP Response")
        await send({"type": "http.response.start", "status": status, "headers": headers})
        size = 0
        async for chunk in wire.iterate(app_iter, self._in_pool):
            if chunk:
                size += len(chunk)
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        return status, size

    async def _in_pool(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await self.pool.submit(lambda call: fn(*args))

    def _meter(self, scope: Scope, request_bytes: int) -> None:
        ctx = scope.get("state", {}).get("airgap.context")
        if ctx is None:
            return
        # The usage record carries the id the client sees in x-request-id: the gateway's when the
        # client sent none, else the client's own (which a client may repeat).
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                ctx.request_id = value.decode("latin-1")
                break
        ctx.meter(TRANSACTIONS, 1)
        ctx.meter(REQUEST_BYTES, request_bytes)

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes | None:
        limit = self.config.max_body_bytes
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    if int(value) > limit:
                        return None
                except ValueError:
                    pass
                break
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                raise _ClientGone  # the body was cut short: nothing to score, nobody to answer
            chunk = message.get("body", b"")
            if chunk:
                size += len(chunk)
                if size > limit:
                    return None
                chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def _access_log(self, scope: Scope, status: int, started: float, length: int | None) -> None:
        if not log.isEnabledFor(logging.INFO):
            return
        path = scope["path"]
        query = scope.get("query_string", b"")
        if query:
            path += "?" + query.decode("latin-1")
        log.info("%s %s %d %.3fms %s", scope["method"], path, status, (time.perf_counter() - started) * 1000,
                 "None" if length is None else length)

    async def _send(self, send: Send, scope: Scope, status: int, body: bytes, head: list[tuple[bytes, bytes]],
                    ids: list[tuple[bytes, bytes]]) -> int:
        """One complete answer; returns its Content-Length (a HEAD answer has the header, not the body)."""
        headers = [head[0], (b"content-length", str(len(body)).encode()), *head[1:], *ids]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})
        return len(body)

    async def _plain_error(self, send: Send, status: int, message: str) -> None:
        """Flask's own 404 and 405 (no route matched): azmlinfsrv's body, without its request ids."""
        body = wire.json_message(message)
        await send({"type": "http.response.start", "status": status, "headers": [
            (b"content-type", wire.JSON), (b"content-length", str(len(body)).encode()), _FAILED]})
        await send({"type": "http.response.body", "body": body})

    def _recycle(self) -> None:
        if self._recycling:
            return
        self._recycling = True
        airgap_log.warning("%d run() calls past the scoring timeout are still running in this worker; the worker "
                           "restarts (its init() runs again in the new one).", self.pool.stuck)
        self.on_recycle()

    # -- airgap's housekeeping routes ----------------------------------------------------------

    async def housekeeping(self, scope: Scope, send: Send, path: str) -> None:
        if scope["method"] not in ("GET", "HEAD"):
            await self._plain_error(send, 405, METHOD_NOT_ALLOWED)
            return
        content_type = b"application/json"
        if path in ("/ready", "/ContainerReadiness"):
            status, payload = self.readiness()
            body = json.dumps(payload).encode()
        elif path in ("/health", "/ContainerLiveness"):
            status, body = 200, b'{"status": "alive"}'
        elif path == "/status":
            api_status, message = self.runtime.api_status()
            status = 200
            body = json.dumps({"service": API_TYPE, "apiStatus": api_status, "apiStatusMessage": message}).encode()
        else:  # /metrics
            body, media = exposition()
            status, content_type = 200, media.encode()
        await send({"type": "http.response.start", "status": status, "headers": [
            (b"content-type", content_type), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})

    def readiness(self) -> tuple[int, dict[str, Any]]:
        state = "ready" if self.service.initialised else ("failed" if self.service.error else "loading")
        body: dict[str, Any] = {"status": "ready" if state == "ready" else "notReady", "services": {SERVICE: state}}
        reasons = []
        if state == "loading":
            reasons.append("The scoring script's init() has not finished.")
        elif state == "failed":
            reasons.append(f"The scoring script cannot serve: {self.service.error}.")
        not_serving = self.runtime.not_serving_reason()
        if not_serving:
            body["status"] = "notReady"
            reasons.insert(0, not_serving)
        if reasons:
            body["reason"] = " ".join(reasons)
        return (200 if body["status"] == "ready" else 503), body


class _ClientGone(Exception):
    pass


def _query_pairs(query: bytes) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    import werkzeug.urls  # noqa: F401 - the "werkzeug.url_quote" error handler, as request.args uses

    try:
        return parse_qsl(query.decode(), keep_blank_values=True, errors="werkzeug.url_quote")
    except UnicodeDecodeError:
        return []


def _mimetype(content_type: bytes) -> str:
    if not content_type:
        return ""
    return content_type.decode("latin-1").split(";", 1)[0].strip().lower()


def _http_exception(exc: BaseException) -> tuple[int, str] | None:
    """A Werkzeug HTTP error raised while reading a form body (413 past Flask's form limits)."""
    from werkzeug.exceptions import HTTPException

    if isinstance(exc, HTTPException) and exc.code is not None:
        return exc.code, str(exc.description)
    return None


def _last_line() -> str:
    exc = sys.exc_info()[1]
    cause = getattr(exc, "user_ex", None) or exc
    return f"{type(cause).__name__}: {cause}" if cause is not None else "unknown error"


def _uuid4() -> Any:
    import uuid

    return uuid.uuid4()


def _exit_process(code: int) -> None:
    for handler in logging.getLogger().handlers + log.handlers:
        try:
            handler.flush()
        except Exception:  # noqa: BLE001 - exiting anyway
            pass
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _recycle_process() -> None:
    """Graceful stop of this worker (uvicorn's SIGTERM handling); the supervisor starts a new one."""
    os.kill(os.getpid(), signal.SIGTERM)


def build_app(config: ScoreConfig, settings: Settings, **kwargs: Any) -> ASGIApp:
    """The platform around a ScoreApp, chosen from the settings as ``server.compose`` chooses."""
    from airgap.platform.licensing import modes as licensing

    service = ScoringService()
    mode = licensing.build(settings, {SERVICE: list(METERS)})
    runtime = Runtime(settings=settings, pool=InferencePool(1), api_status=mode.api_status,
                      not_serving_reason=mode.not_serving_reason, background=mode.background())
    runtime.services.append(service)
    runtime.owners.add("/score", service, SERVICE)
    runtime.dialects.register("/score", ScoringDialect(), SERVICE)
    recorder: UsageRecorder | None = None
    if config.usage_records:
        from airgap.platform.usage.recorder import JournalRecorder

        recorder = mode.wrap(JournalRecorder(settings.output_dir, api_types={SERVICE: API_TYPE}))
    gates: list[Gate] = [mode]
    if settings.subscription_keys:
        gates.insert(0, KeyGate(settings.subscription_keys))
    inner = ScoreApp(config, service, runtime, recorder=recorder, **kwargs)
    app: ASGIApp = GatewayMiddleware(inner, runtime=runtime, gates=gates, recorder=recorder)
    app = MetricsMiddleware(app)
    app.score_app = inner  # type: ignore[attr-defined] - for tests and the server
    return app


__all__ = ["API_TYPE", "METERS", "SERVICE", "ScoreApp", "build_app"]
