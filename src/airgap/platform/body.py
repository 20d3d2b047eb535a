"""Reading request bodies safely: size limit, content type, UTF-8, JSON.

Every failure is an ``ApiError`` with a message that says what to change, so a
malformed request can never reach an engine or produce a 500.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import ClientDisconnect, Request

from airgap.platform.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType

JSON_TYPES = {"application/json", "text/json"}


def _header(request: Request, name: bytes) -> str | None:
    """The first value of header ``name`` (lower case), read from the ASGI scope: what
    ``request.headers.get`` answers, without building its mapping on every request."""
    for key, value in request.scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None


def media_type(request: Request) -> str:
    return (_header(request, b"content-type") or "").split(";", 1)[0].strip().lower()


async def read_bytes(request: Request, limit: int) -> bytes:
    """The whole body, refusing anything over ``limit`` bytes, chunked uploads included."""
    declared = _header(request, b"content-length")
    if declared is not None:
        try:
            size = int(declared)
        except ValueError:
            raise BadRequest(f"Content-Length {declared!r} is not a number.", inner_code="InvalidRequestBodyFormat") from None
        if size > limit:
            raise _too_large(size, limit)
    chunks: list[bytes] = []
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit:
                raise _too_large(received, limit, at_least=True)
            chunks.append(chunk)
    except ClientDisconnect:
        # The client hung up mid-body (a chunked upload cut short): an error, so nothing is billed or
        # queued, and a 400 as Kestrel answers "Unexpected end of request content", not a logged 500.
        raise BadRequest(f"The connection closed after {received:,} bytes, before the request body was complete; "
                         "send the whole body.", inner_code="InvalidRequestBodyFormat") from None
    return b"".join(chunks)


def _too_large(size: int, limit: int, at_least: bool = False) -> PayloadTooLarge:
    amount = f"at least {size:,}" if at_least else f"{size:,}"
    return PayloadTooLarge(
        f"Request payload is {amount} bytes; the limit is {limit:,} bytes (setting Http:MaxRequestBodyBytes). "
        "Send fewer or shorter documents per request.",
        inner_code="InvalidDocumentBatch",
    )


async def read_json(request: Request, limit: int) -> Any:
    """Parse a JSON body; wrong content type, empty body, bad UTF-8 and bad JSON are 4xx."""
    kind = media_type(request)
    # A missing Content-Type is read as JSON (curl without -H); a declared other type is refused.
    if kind and kind not in JSON_TYPES and not kind.endswith("+json"):
        raise UnsupportedMediaType(
            f"Content-Type '{kind}' is not supported here; send the body as application/json.",
            inner_code="InvalidRequestBodyFormat",
        )
    raw = await read_bytes(request, limit)
    # RFC 8259 lets a parser ignore a UTF-8 byte order mark; PowerShell and .NET tools write one,
    # and the .NET JSON reader behind Azure's containers skips it.
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    if not raw.strip():
        raise BadRequest("Request body must be present: send a JSON object.", inner_code="EmptyRequest")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(
            f"Request body is not valid UTF-8 (byte {exc.start} cannot be decoded); encode the JSON as UTF-8.",
            inner_code="InvalidRequestBodyFormat",
        ) from None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise BadRequest(
            f"Request body is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.",
            inner_code="InvalidRequestBodyFormat",
        ) from None
