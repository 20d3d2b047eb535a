"""``/studio``: the airgap Studio, a web page to try each hosted service (issue 18).

The page is static HTML, CSS and plain JavaScript shipped in this package (no build step, no CDN,
no web fonts). It calls the same public APIs as the Azure SDKs, from the browser, with the key
the user types; the server adds nothing for it beyond these files. Which services the page shows
comes from ``GET /ready`` (its ``services`` object names the hosted ones), not from here.

Files are served by name from a fixed table (no directory listing, no path from the request).
The page carries a Content-Security-Policy that lets the browser load and call only this server,
so even a later edit that names a CDN would fail in the browser rather than leak a request.
"""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter
from starlette.responses import FileResponse

from airgap.platform.errors import NotFound

PAGE = "/studio"
ASSETS = "/studio/assets"

_JS = "text/javascript; charset=utf-8"

# name under ASSETS -> media type; the file has the same name in this package.
FILES: dict[str, str] = {
    "studio.css": "text/css; charset=utf-8",
    "studio.js": _JS,
    "api.js": _JS,
    "code.js": _JS,
    "view.js": _JS,
    "language.js": _JS,
    "translator.js": _JS,
    "speech.js": _JS,
    "ocr.js": _JS,
    "conversations.js": _JS,
    "anomaly.js": _JS,
    "operations.js": _JS,
    "label.js": _JS,
    "project.js": _JS,
    "zip.js": _JS,
    "store.js": _JS,
}

# 'self' only: scripts, styles, fetches; blob: for the synthesised audio and the uploaded image
# drawn under the OCR boxes, which never leave the browser.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' blob: data:; media-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'self'"
)

# The files are versioned with the installed package; an hour of caching keeps an upgrade visible.
CACHE_HEADERS = {"Cache-Control": "public, max-age=3600"}

router = APIRouter(include_in_schema=False)


def file_path(name: str):
    """The installed file (a ``Traversable``) behind ``/studio`` (``index.html``) or an asset."""
    return resources.files(__name__) / name


@router.get(PAGE)
async def studio_page() -> FileResponse:
    return FileResponse(str(file_path("index.html")), media_type="text/html; charset=utf-8",
                        headers={**CACHE_HEADERS, "Content-Security-Policy": CONTENT_SECURITY_POLICY,
                                 "X-Content-Type-Options": "nosniff"})


@router.get(ASSETS + "/{name}")
async def studio_asset(name: str) -> FileResponse:
    if name not in FILES:
        raise NotFound(f"Resource not found: GET {ASSETS}/{name}. The Studio's assets are "
                       f"{', '.join(sorted(FILES))}.")
    return FileResponse(str(file_path(name)), media_type=FILES[name],
                        headers={**CACHE_HEADERS, "X-Content-Type-Options": "nosniff"})
