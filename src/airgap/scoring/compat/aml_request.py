"""``azureml.contrib.services.aml_request``: ``rawhttp`` and ``AMLRequest``.

``@rawhttp`` on ``run()`` asks for the whole HTTP request instead of the decoded body. As in
Azure ML's server, applying it anywhere in the script sets one process-wide flag
(``_rawHttpRequested``), read once when the script is analysed.

``run(request)`` then receives an ``AMLRequest``: a Werkzeug request (the class Flask's request
extends), so that what scripts do with the request object under Azure ML (``get_data()``,
``get_json()``, ``json``, ``args``, ``form``, ``files``, ``headers``, ``method``, ``stream``) works
the same here. Form and upload limits are Flask's defaults (500,000 bytes of form fields, 1,000
parts).
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request

_rawHttpRequested = False


def rawhttp(func: Any) -> Any:
    """Decorator for ``run()``: call it with the whole HTTP request (an ``AMLRequest``)."""
    global _rawHttpRequested
    _rawHttpRequested = True
    return func


class AMLRequest(Request):
    """The request object ``@rawhttp`` scripts receive (a Werkzeug ``Request``)."""

    def __init__(self, environ: dict[str, Any] | None = None, populate_request: bool = True,
                 shallow: bool = False) -> None:
        super().__init__(environ if environ is not None else {}, populate_request, shallow)
