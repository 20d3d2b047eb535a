"""LUIS prediction, as the LUIS container answers it: v3.0 (``/luis/prediction/v3.0`` and
``/luis/v3.0``, slots and versions, GET and POST) and v2.0 (``/luis/v2.0/apps/{appId}``, GET with
``q=`` and POST with the utterance as a JSON string), over the apps loaded from ``Mounts:Input``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, Request

from airgap.platform.body import read_json
from airgap.platform.context import RequestContext, request_context
from airgap.platform.errors import ApiError, BadRequest, NotFound
from airgap.platform.responses import JSONResponse
from airgap.services.conversations.input_mount import SLOTS, LoadedApp, app_key
from airgap.services.conversations.luis_wire import v2_result, v3_result

if TYPE_CHECKING:
    from airgap.services.conversations.service import ConversationsService

PREFIX = "/luis"
V3_PREFIXES = ("/luis/prediction/v3.0", "/luis/v3.0")
V2_PREFIX = "/luis/v2.0"
MAX_QUERY = 500  # characters, LUIS's documented limit (414 above it)


class QueryTooLong(ApiError):
    status = 414
    code = "QueryTooLong"


def _flag(request: Request, name: str) -> bool:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return False
    value = raw.strip().lower()
    if value not in ("true", "false"):
        raise BadRequest(f"The {name} query parameter must be true or false, not {raw!r}.", code="BadArgument")
    return value == "true"


def _query(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(f"{where} is required: the utterance to predict.", code="BadArgument")
    if len(value) > MAX_QUERY:
        raise QueryTooLong(f"The query has {len(value)} characters; LUIS accepts at most {MAX_QUERY}.")
    return value


def build_router(service: ConversationsService) -> APIRouter:
    router = APIRouter(tags=["LUIS prediction"])

    def loaded(app_id: str, slot: str | None = None, version: str | None = None) -> LoadedApp:
        if slot is not None and slot.lower() not in SLOTS:
            raise BadRequest(f"Slot '{slot}' is not a LUIS slot; use production or staging.", code="BadArgument")
        key = app_key(slot, version)
        found = service.luis_apps.get((app_id.lower(), key))
        if found is not None:
            return found
        reason = service.luis_errors.get((app_id.lower(), key))
        where = f"slot {slot.lower()}" if slot is not None else f"version {version}"
        name = f"{app_id}_{slot.upper()}" if slot is not None else f"{app_id}_v{version}"
        raise NotFound(reason or f"No LUIS app {app_id} is loaded for {where}. Put the app's exported JSON in "
                       f"Mounts:Input as {name}.json (or gzipped, {name}.gz) and restart.")

    async def predict(ctx: RequestContext, target: LoadedApp, text: str, now: datetime | None) -> Any:
        prediction = await service.runtime.pool.run("luis", target.model.predict, text, now, True)
        ctx.meter(service.luis_meter, 1)
        return prediction

    async def v3(request: Request, ctx: RequestContext, target: LoadedApp) -> JSONResponse:
        verbose, show_all = _flag(request, "verbose"), _flag(request, "show-all-intents")
        _flag(request, "log")  # checked, not kept: the offline server logs no queries for active learning
        now = None
        if request.method == "POST":
            body = await read_json(request, service.runtime.settings.max_request_bytes)
            if not isinstance(body, dict):
                raise BadRequest("The request body must be a JSON object with a query.", code="BadArgument")
            text = _query(body.get("query"), "query")
            if body.get("externalEntities") or body.get("dynamicLists"):
                raise BadRequest("externalEntities and dynamicLists are not served by this offline LUIS.",
                                 code="BadArgument")
            options = body.get("options") or {}
            if not isinstance(options, dict):
                raise BadRequest("options must be an object.", code="BadArgument")
            now = _reference(options.get("datetimeReference"))
        else:
            text = _query(request.query_params.get("query"), "The query parameter query")
        prediction = await predict(ctx, target, text, now)
        return JSONResponse(v3_result(text, prediction, target.app.kinds, verbose=verbose, show_all_intents=show_all))

    def get_and_post(path: str, summary: str):
        """GET and POST as two routes: one route with both methods gives the OpenAPI document the
        same operationId twice, which FastAPI refuses."""
        def register(endpoint):
            for method in ("GET", "POST"):
                router.add_api_route(path, endpoint, methods=[method], summary=summary,
                                     operation_id=f"{endpoint.__name__}_{method.lower()}_{path}")
            return endpoint
        return register

    for prefix in V3_PREFIXES:
        @get_and_post(prefix + "/apps/{app_id}/slots/{slot}/predict", "LUIS v3.0 prediction on a slot")
        async def v3_slot(request: Request, app_id: str, slot: str,
                          ctx: RequestContext = Depends(request_context)) -> JSONResponse:
            return await v3(request, ctx, loaded(app_id, slot=slot))

        @get_and_post(prefix + "/apps/{app_id}/versions/{version}/predict", "LUIS v3.0 prediction on a trained version")
        async def v3_version(request: Request, app_id: str, version: str,
                             ctx: RequestContext = Depends(request_context)) -> JSONResponse:
            return await v3(request, ctx, loaded(app_id, version=version))

    async def v2(request: Request, ctx: RequestContext, target: LoadedApp) -> JSONResponse:
        verbose = _flag(request, "verbose")
        _flag(request, "log")
        if _flag(request, "spellCheck"):
            raise BadRequest("spellCheck=true needs Bing Spell Check, which is not available offline.",
                             code="BadArgument")
        offset = request.query_params.get("timezoneOffset")
        now = None
        if offset not in (None, ""):
            try:
                now = (datetime.now(UTC) + timedelta(minutes=float(offset))).replace(tzinfo=None)
            except (ValueError, OverflowError):
                raise BadRequest(f"timezoneOffset must be a number of minutes, not {offset!r}.",
                                 code="BadArgument") from None
        if request.method == "POST":
            body = await read_json(request, service.runtime.settings.max_request_bytes)
            text = _query(body, "The request body (the utterance as a JSON string)")
        else:
            text = _query(request.query_params.get("q"), "The query parameter q")
        prediction = await predict(ctx, target, text, now)
        return JSONResponse(v2_result(text, prediction, target.app.kinds, verbose=verbose))

    @get_and_post(V2_PREFIX + "/apps/{app_id}", "LUIS v2.0 prediction")
    async def v2_slot(request: Request, app_id: str, ctx: RequestContext = Depends(request_context)) -> JSONResponse:
        staging = _flag(request, "staging")
        return await v2(request, ctx, loaded(app_id, slot="staging" if staging else "production"))

    @get_and_post(V2_PREFIX + "/apps/{app_id}/versions/{version}", "LUIS v2.0 prediction on a trained version")
    async def v2_version(request: Request, app_id: str, version: str,
                         ctx: RequestContext = Depends(request_context)) -> JSONResponse:
        return await v2(request, ctx, loaded(app_id, version=version))

    return router


def _reference(raw: Any) -> datetime | None:
    """``options.datetimeReference``: the moment relative dates resolve against."""
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        raise BadRequest(f"options.datetimeReference {raw!r} is not an ISO 8601 date and time.",
                         code="BadArgument") from None
    return moment.replace(tzinfo=None)

