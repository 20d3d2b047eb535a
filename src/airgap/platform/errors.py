"""Errors that become Azure error envelopes.

Exception tree::

    ApiError                    any failure answered with an error envelope
      +-- BadRequest            400: the request itself is wrong (body, parameters)
      +-- NotFound              404: unknown route, job or model
      +-- PayloadTooLarge       413: body over Http:MaxRequestBodyBytes
      +-- UnsupportedMediaType  415: Content-Type the route cannot read
      +-- Forbidden             403: licence expired, quota used up, service not licensed
      +-- Unauthorized          401: inbound key required and missing or wrong
      +-- ServiceUnavailable    503: engines still loading, output disk full, ...

Each API family renders an ``ApiError`` in its own dialect (the Language and
Vision APIs use string codes with an ``innererror``; Translator 3.0 uses
integer codes). The dialect is chosen by path prefix; see ``Dialect``.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from airgap.platform.routing import PathTable


class ApiError(Exception):
    status = 500
    code = "InternalServerError"

    def __init__(
        self,
        message: str,
        *,
        inner_code: str | None = None,
        code: str | None = None,
        status: int | None = None,
        headers: Mapping[str, str] | None = None,
        target: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.inner_code = inner_code
        self.target = target
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.headers = dict(headers or {})


def unexpected_error() -> ApiError:
    """What a client is told of a failure the code did not foresee (the details go to the log)."""
    return ApiError("The server failed while handling this request; the error is in the server log.",
                    code="InternalServerError")


class BadRequest(ApiError):
    status = 400
    code = "InvalidRequest"


class Unauthorized(ApiError):
    status = 401
    code = "Unauthorized"


class Forbidden(ApiError):
    status = 403
    code = "Forbidden"


class NotFound(ApiError):
    status = 404
    code = "NotFound"


class MethodNotAllowed(ApiError):
    status = 405
    code = "MethodNotAllowed"


class PayloadTooLarge(ApiError):
    status = 413
    code = "InvalidRequest"


class UnsupportedMediaType(ApiError):
    status = 415
    code = "InvalidRequest"


class ServiceUnavailable(ApiError):
    status = 503
    code = "ServiceUnavailable"


@dataclass(frozen=True)
class Rendered:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


class Dialect(Protocol):
    """How one API family writes an error on the wire. A dialect may also have
    ``for_query(query_string: bytes) -> Dialect`` to pick the writing per request
    (``DialectMap.for_request``)."""

    def render(self, error: ApiError) -> Rendered: ...


class AzureDialect:
    """``{"error": {"code", "message", "innererror"?: {"code", "message"}}}``.

    Used by Text Analytics v3.x, Language, Vision and Document Intelligence.
    The Language API also sends the code in the ``x-ms-error-code`` header.
    Text Analytics v3.0's contract spells the codes in lowerCamel.
    """

    def __init__(self, lower_camel: bool = False) -> None:
        self.lower_camel = lower_camel

    def render(self, error: ApiError) -> Rendered:
        spell = lower_camel if self.lower_camel else str
        body: dict[str, Any] = {"code": spell(error.code), "message": error.message}
        if error.target:
            body["target"] = error.target
        if error.inner_code:
            body["innererror"] = {"code": spell(error.inner_code), "message": error.message}
        headers = {"x-ms-error-code": error.code, **error.headers}
        return Rendered(error.status, {"error": body}, headers)


class NestedCodeDialect(AzureDialect):
    """The Azure envelope of APIs that put a specific code under a general one (Image Analysis,
    Form Recognizer / Document Intelligence).

    Shared code (the upload reader, the document decoder) raises errors with one specific
    ``code`` such as ``InvalidImageFormat``; here such a 4xx is written as ``InvalidRequest``
    with the specific code, renamed through ``vocabulary`` (else ``default_inner``, else as
    it is), as its ``innererror``. Errors that already carry an inner code pass unchanged.
    """

    def __init__(self, vocabulary: Mapping[str, str] | None = None, default_inner: str | None = None) -> None:
        super().__init__()
        self.vocabulary = dict(vocabulary or {})
        self.default_inner = default_inner

    def render(self, error: ApiError) -> Rendered:
        nest = error.status in (400, 413, 415) and error.inner_code is None and (
            error.code in self.vocabulary or error.code != "InvalidRequest")
        if nest:
            error = copy.copy(error)
            error.inner_code = self.vocabulary.get(error.code, self.default_inner or error.code)
            error.code = "InvalidRequest"
        return super().render(error)


def lower_camel(code: str) -> str:
    return code[:1].lower() + code[1:]


AZURE = AzureDialect()


class DialectMap:
    """Picks the dialect for a path: the longest registered prefix wins, by whole path segment
    (``platform/routing.py``)."""

    def __init__(self, default: Dialect = AZURE) -> None:
        self._default = default
        self._table: PathTable[Dialect] = PathTable()

    def register(self, prefix: str, dialect: Dialect, owner: str = "") -> None:
        self._table.add(prefix, dialect, owner or prefix)

    def for_path(self, path: str) -> Dialect:
        found = self._table.lookup(path)
        return self._default if found is None else found

    def for_request(self, path: str, query_string: bytes) -> Dialect:
        """The dialect of one request: its path's, narrowed by the query where the dialect has
        ``for_query`` (an API whose versions share paths and tell themselves apart by
        ``api-version``, each writing errors its own way)."""
        dialect = self.for_path(path)
        narrow = getattr(dialect, "for_query", None)
        return dialect if narrow is None else narrow(query_string)
