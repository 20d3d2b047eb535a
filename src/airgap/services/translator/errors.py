"""The Translator's errors: ``{"error": {"code": 400036, "message": ...}}``.

Text Translation 3.0 writes ``code`` as an integer whose first three digits are the HTTP status
(``400036``: the target language is not valid); 2026-06-06 writes it as a string. The numbers are
Azure's documented ones (reference ``status-response-codes``); an error the platform raises (a
413 body, a 503 while the engine process restarts) gets its status followed by ``000``.

Both versions share their paths, so the dialect is picked per request (``for_query``): the
platform's own errors (a missing key, the licence, throttling, readiness, an unknown path) reach a
2026-06-06 client with string codes too, which its SDK's error model declares.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from airgap.platform.errors import ApiError, Dialect, Rendered

# Azure's numbers this service uses, by what went wrong.
INVALID_INPUT = 400000
INVALID_SCOPE = 400001
INVALID_CATEGORY = 400002
INVALID_LANGUAGE = 400003
INVALID_TO_SCRIPT = 400004
INVALID_TEXT = 400005
INVALID_LANGUAGE_SCRIPT = 400006
INVALID_FROM_SCRIPT = 400018
UNSUPPORTED_LANGUAGE = 400019
INVALID_ELEMENT = 400020
INVALID_API_VERSION = 400021
INVALID_PAIR = 400023
INVALID_FROM = 400035
INVALID_TO = 400036
INVALID_OPTIONS = 400042
INVALID_CLIENT_TRACE_ID = 400043
TEXT_TOO_LONG = 400050
INVALID_PARAMETER = 400064
SCRIPT_COUNT_MISMATCH = 400070
INVALID_TEXT_TYPE = 400071
TOO_MANY_ELEMENTS = 400072
INVALID_SCRIPT_PARAMETER = 400073
INVALID_JSON = 400074
INVALID_PAIR_CATEGORY = 400075
REQUEST_TOO_LARGE = 400077
TRANSLITERATION_UNSUPPORTED = 400080

_BY_INNER_CODE = {"InvalidRequestBodyFormat": INVALID_JSON, "EmptyRequest": INVALID_INPUT}


class TranslatorError(ApiError):
    """An error with Azure's Translator number; ``string_code`` for the 2026-06-06 API."""

    def __init__(self, number: int, message: str, *, string_code: bool = False,
                 headers: dict[str, str] | None = None) -> None:
        status = number // 1000
        super().__init__(message, code=str(number), status=status, headers=headers)
        self.number = number
        self.string_code = string_code


def error_number(error: ApiError) -> int:
    number = getattr(error, "number", None)
    if number is not None:
        return number
    if error.status == 400 and error.inner_code in _BY_INNER_CODE:
        return _BY_INNER_CODE[error.inner_code]
    return error.status * 1000


class TranslatorDialect:
    """Integer codes (3.0, the container's documented API); an error raised by the 2026-06-06 API
    module carries ``string_code`` and is written with the number as a string."""

    def __init__(self, string_codes: bool = False) -> None:
        self.string_codes = string_codes

    def render(self, error: ApiError) -> Rendered:
        number = error_number(error)
        as_string = getattr(error, "string_code", False) or self.string_codes
        body = {"error": {"code": str(number) if as_string else number, "message": error.message}}
        return Rendered(error.status, body, {"x-ms-error-code": str(number), **error.headers})

    def for_query(self, query_string: bytes) -> Dialect:
        for key, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
            if key.casefold() == "api-version":
                return TRANSLATOR_STRING_CODES if value.strip() in STRING_CODE_VERSIONS else self
        return self


# The api-versions whose errors carry the number as a string (api.VERSIONS maps them to 2026-06-06).
STRING_CODE_VERSIONS = frozenset({"2026-06-06", "2025-10-01-preview"})
TRANSLATOR = TranslatorDialect()
TRANSLATOR_STRING_CODES = TranslatorDialect(string_codes=True)
