"""``/swagger``: the Swagger UI page, with its CSS, JavaScript and icon served from the install.

FastAPI's own page loads Swagger UI from a public CDN and its favicon from FastAPI's web site:
blank in an air-gapped network, and a call to a third party in a connected one. The same page
here points at ``/swagger/assets/...`` on this server. The files come from the
``fastapi-offline`` wheel (MIT), which ships Swagger UI's dist bundle (Apache-2.0) and FastAPI's
favicon (MIT); see docs/models.md, "Third-party web assets". Only the three files the page needs
are served, by name from a fixed table (no directory listing, no path from the request).

``create_app`` passes ``docs_url=None`` and includes ``router``; the OpenAPI document stays
FastAPI's, at ``app.openapi_url`` (``/swagger/v1/swagger.json``).
"""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.responses import FileResponse, HTMLResponse

from airgap.platform.errors import NotFound

PAGE = "/swagger"
ASSETS = "/swagger/assets"

# name under ASSETS -> (file in fastapi_offline/static, media type)
_FILES: dict[str, tuple[str, str]] = {
    "swagger-ui-bundle.js": ("swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
    "swagger-ui.css": ("swagger-ui.css", "text/css; charset=utf-8"),
    "favicon.png": ("favicon.png", "image/png"),
}

# Swagger UI asks an online validator (validator.swagger.io) about the document unless told not to.
_PARAMETERS = {"validatorUrl": None}

router = APIRouter(include_in_schema=False)


def asset_path(name: str):
    """The installed file behind ``/swagger/assets/<name>`` (a ``Traversable``)."""
    return resources.files("fastapi_offline") / "static" / _FILES[name][0]


@router.get(PAGE)
async def swagger_ui(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "").rstrip("/")
    return get_swagger_ui_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title} - Swagger UI",
        swagger_js_url=f"{root}{ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{ASSETS}/swagger-ui.css",
        swagger_favicon_url=f"{root}{ASSETS}/favicon.png",
        swagger_ui_parameters=_PARAMETERS,
    )


@router.get(ASSETS + "/{name}")
async def swagger_asset(name: str) -> FileResponse:
    if name not in _FILES:
        raise NotFound(f"Resource not found: GET {ASSETS}/{name}. The Swagger UI assets are "
                       f"{', '.join(sorted(_FILES))}.")
    # The files are versioned with the installed package: a day of caching is safe and cheap.
    return FileResponse(str(asset_path(name)), media_type=_FILES[name][1],
                        headers={"Cache-Control": "public, max-age=86400"})
