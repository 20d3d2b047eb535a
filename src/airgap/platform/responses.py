"""JSON responses (orjson) and error envelopes as responses."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

from airgap.platform.errors import ApiError, Dialect


class JSONResponse(Response):
    media_type = "application/json; charset=utf-8"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def error_response(error: ApiError, dialect: Dialect) -> JSONResponse:
    rendered = dialect.render(error)
    return JSONResponse(rendered.body, status_code=rendered.status, headers=rendered.headers)
