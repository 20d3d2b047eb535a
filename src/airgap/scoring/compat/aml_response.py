"""``azureml.contrib.services.aml_response``: ``AMLResponse``, the response a script returns.

Behaves as Azure ML's: a Werkzeug response (Flask's ``Response`` base) whose defaults are Flask's
(``text/html`` when no content type is given), ``json_str=True`` writes ``json.dumps(message)`` as
``application/json``, ``message=None`` is ``{}``, ``x-ms-run-function-failed`` is set, and each
``response_headers`` value is split on commas into repeated headers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from werkzeug.wrappers import Response


class AMLResponse(Response):
    """``AMLResponse(message, status_code, response_headers={}, json_str=False)``."""

    default_mimetype = "text/html"  # Flask's, which Azure ML's AMLResponse extends
    json_module = json
    autocorrect_location_header = False

    def __init__(self, message: Any, status_code: int, response_headers: Mapping[str, str] | None = None,
                 json_str: bool = False, run_function_failed: bool = False) -> None:
        response_headers = response_headers or {}
        if message is None:
            super().__init__(json.dumps({}), status=status_code, mimetype="application/json")
        elif json_str:
            super().__init__(json.dumps(message), status=status_code, mimetype="application/json")
        else:
            super().__init__(message, status=status_code)
            if "Content-Type" in response_headers:
                self.headers.remove("Content-Type")  # the loop below sets the script's own
        self.headers["x-ms-run-function-failed"] = run_function_failed
        # Repeated headers are written comma-separated by the script, one header per value here.
        for header, value in response_headers.items():
            for item in value.split(","):
                self.headers.add_header(header, item.strip())
