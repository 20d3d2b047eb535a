"""The file of an image or document request (Vision, Document Intelligence): raw bytes,
base64 in JSON, or a URL.

A URL is fetched now, at submit, only from the hosts the operator allowed
(``url_source``); otherwise it is refused, as an air-gapped server has nowhere
to fetch from.
"""

from __future__ import annotations

import base64
import binascii

from starlette.requests import Request

from airgap.platform.body import media_type, read_bytes
from airgap.platform.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType
from airgap.platform.settings import Settings
from airgap.platform.url_source import UrlPolicy, fetch

BINARY_TYPES = {"application/octet-stream", "application/pdf", "image/jpeg", "image/png", "image/bmp",
                "image/tiff", "image/jpg"}


async def read_input(request: Request, settings: Settings) -> bytes:
    limit = settings.max_file_bytes
    try:
        return await _read_input(request, limit, UrlPolicy(settings.url_source_hosts, settings.url_source_timeout,
                                                           limit))
    except PayloadTooLarge:
        raise PayloadTooLarge(
            f"The file is larger than {limit:,} bytes, the limit of this server (setting Http:MaxFileBytes); "
            "send a smaller file or fewer pages.", code="InvalidImageSize") from None


async def _read_input(request: Request, limit: int, urls: UrlPolicy) -> bytes:
    kind = media_type(request)
    if kind in ("application/json", "text/json"):
        import orjson

        raw = await read_bytes(request, limit)
        try:
            body = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise BadRequest(f"Request body is not valid JSON: {exc.msg}.", code="InvalidRequest") from None
        if not isinstance(body, dict):
            raise BadRequest("The JSON body must be an object with 'url', 'urlSource' or 'base64Source'.",
                             code="InvalidRequest")
        encoded = body.get("base64Source")
        if isinstance(encoded, str):
            try:
                return base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                raise BadRequest("base64Source is not valid base64.", code="InvalidRequest") from None
        url = body.get("url") or body.get("urlSource") or body.get("source")  # source: Form Recognizer v2.1
        if isinstance(url, str) and url:
            return await fetch(url, urls)
        raise BadRequest("The JSON body has no image: give 'url' or 'base64Source', or send the file's bytes "
                         "as application/octet-stream.", code="InvalidRequest")
    if kind and kind not in BINARY_TYPES and not kind.startswith("image/"):
        raise UnsupportedMediaType(
            f"Content-Type '{kind}' is not supported; send the image or PDF as application/octet-stream, "
            "or a JSON body.", code="UnsupportedMediaType")
    return await read_bytes(request, limit)
