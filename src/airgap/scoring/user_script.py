"""The user's ``score.py``: loaded, checked and called as Azure ML's inference server does.

- Loaded from ``AML_APP_ROOT``/``AZUREML_ENTRY_SCRIPT`` as the module ``entry_module`` (the name
  ``inference_schema`` keys its schemas by), or ``import main`` when no entry script is set.
- It must define ``init()`` and ``run()``; ``run`` takes named parameters only (no ``*args``,
  ``**kwargs`` or positional-only ones), at least one besides ``request_headers``, and gets
  ``request_headers`` (a dict) when it declares it. A script's ``driver_module`` with a ``run``
  is called in its place (Azure ML SDK driver scripts).
- How ``run`` is called (the input parsers): ``@rawhttp`` with the request object; an
  ``inference_schema`` ``@input_schema`` with the JSON body's members as keyword arguments (POST
  needs ``application/json``: 415 otherwise; 400 for an empty, non-JSON or non-object body, or a
  parameter without a value or default); undecorated with the body decoded as UTF-8 (400 when it
  is not), or on GET with the query parameters as a JSON string.

Every message and quirk here is azmlinfsrv 1.5.1's, checked against it by
``tests/scoring/test_differential.py``.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import logging
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl

from airgap.scoring.compat import aml_request

log = logging.getLogger("azmlinfsrv.user_script")

ENTRY_MODULE = "entry_module"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class UserScriptError(Exception):
    """The script cannot be served (missing function, bad signature, import error)."""


class UserScriptException(UserScriptError):
    """The script's own code raised: at import, in ``init()`` or in ``run()``."""

    def __init__(self, ex: BaseException, message: str | None = None) -> None:
        self.user_ex = ex
        super().__init__(message or "Caught an unhandled exception from the user script")


class InputError(Exception):
    status = 400


class BadInput(InputError):
    status = 400


class UnsupportedInput(InputError):
    status = 415


class UnsupportedMethod(InputError):
    status = 405


@dataclass(frozen=True)
class ScoreRequest:
    """What the input parsers need of one HTTP request (no ASGI, no WSGI)."""

    method: str
    query: bytes
    headers: list[tuple[bytes, bytes]]
    body: bytes
    mimetype: str  # Content-Type without parameters, lower case ("" when absent)
    environ: Callable[[], dict[str, Any]]  # the WSGI environ, built on demand (@rawhttp, forms)


def _parse_value(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def query_parameters(query: bytes) -> dict[str, Any]:
    """azmlinfsrv's GET input: every query parameter parsed as JSON if it is, repeated ones as a list."""
    import werkzeug.urls  # noqa: F401 - registers the "werkzeug.url_quote" codec error handler

    grouped: dict[str, list[str]] = {}
    # As Werkzeug's request.args: invalid percent-escapes stay encoded (raw bytes must be UTF-8).
    for key, value in parse_qsl(query.decode(), keep_blank_values=True, errors="werkzeug.url_quote"):
        grouped.setdefault(key, []).append(value)
    return {k: _parse_value(v[0]) if len(v) == 1 else [_parse_value(x) for x in v] for k, v in grouped.items()}


class InputParser:
    def __call__(self, request: ScoreRequest) -> dict[str, Any]:
        if request.method == "GET":
            return self.get(request)
        if request.method == "POST":
            return self.post(request)
        raise UnsupportedMethod(request.method)

    def get(self, request: ScoreRequest) -> dict[str, Any]:
        raise NotImplementedError

    def post(self, request: ScoreRequest) -> dict[str, Any]:
        raise NotImplementedError


class RawRequestInput(InputParser):
    """``@rawhttp``: the request object, whatever the method."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, request: ScoreRequest) -> dict[str, Any]:
        return {self.name: aml_request.AMLRequest(request.environ())}


class JsonStringInput(InputParser):
    """Undecorated ``run(data)``: the body as text; GET: the query parameters as a JSON string."""

    def __init__(self, name: str) -> None:
        self.name = name

    def get(self, request: ScoreRequest) -> dict[str, Any]:
        return {self.name: json.dumps(query_parameters(request.query))}

    def post(self, request: ScoreRequest) -> dict[str, Any]:
        body = request.body
        if request.mimetype in FORM_TYPES:
            # Flask's request.data is empty for form bodies (the form parser took them), and a
            # form over its limits is refused by it (413): both kept, through Werkzeug itself.
            body = aml_request.AMLRequest(request.environ()).data
        try:
            return {self.name: str(body, "utf-8")}
        except UnicodeDecodeError as ex:
            raise BadInput(f"Input cannot be decoded as UTF-8: {ex}") from None


class ObjectInput(InputParser):
    """``@input_schema``: the JSON object's members as keyword arguments."""

    def __init__(self, parameters: Iterable[inspect.Parameter]) -> None:
        self.parameters = list(parameters)

    def get(self, request: ScoreRequest) -> dict[str, Any]:
        return self._extract(query_parameters(request.query))

    def post(self, request: ScoreRequest) -> dict[str, Any]:
        mt = request.mimetype
        if not (mt == "application/json" or (mt.startswith("application/") and mt.endswith("+json"))):
            raise UnsupportedInput("Expects Content-Type to be application/json")
        body = request.body
        try:
            value = json.loads(body)
        except json.JSONDecodeError as ex:
            if body:
                raise BadInput(f"POST body could not be decoded as JSON: {ex}") from None
            raise BadInput("POST body is empty. Expecting a JSON dictionary.") from None
        if not isinstance(value, dict):
            raise BadInput("POST body should be a JSON dictionary.")
        return self._extract(value)

    def _extract(self, body: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for parameter in self.parameters:
            value = body.get(parameter.name, parameter.default)
            if value is inspect.Parameter.empty:
                raise BadInput(f"A value is not provided for the {parameter.name!r} parameter.")
            out[parameter.name] = value
        return out


class UserScript:
    """The loaded script: ``init()``, ``run()`` and how to call it."""

    parser: InputParser
    run_function: Callable[..., Any]
    init_function: Callable[[], Any]
    wants_headers: bool

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.module: ModuleType | None = None

    def load(self) -> None:
        _forget_previous()
        if self.path:
            try:
                spec = importlib.util.spec_from_file_location(ENTRY_MODULE, self.path)
                if spec is None or spec.loader is None:
                    raise FileNotFoundError(f"[Errno 2] No such file or directory: {self.path!r}")
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
            except BaseException as ex:
                raise UserScriptException(
                    ex, "Failed to import user script because it raised an unhandled exception") from ex
        else:
            try:
                import main as module  # type: ignore[import-not-found]
            except BaseException as ex:
                raise UserScriptException(
                    ex, "Failed to import user script because it raised an unhandled exception") from ex
        if not hasattr(module, "init"):
            raise UserScriptError(f"User script at {module.__file__} does not have a init() function defined.")
        if not hasattr(module, "run"):
            raise UserScriptError(f"User script at {module.__file__} does not have a run() function defined.")
        self.module = module
        driver = getattr(module, "driver_module", None)
        if isinstance(driver, ModuleType) and hasattr(driver, "run"):
            self.run_function = driver.run
            log.info("Found driver script at %s and the score script at %s", module.__file__, driver.__file__)
        else:
            self.run_function = module.run
            log.info("Found user script at %s", module.__file__)
        self.init_function = module.init
        self._analyse()

    def _analyse(self) -> None:
        from inference_schema.schema_util import is_schema_decorated

        params = list(inspect.signature(self.run_function).parameters.values())
        if any(p.kind not in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params):
            raise UserScriptError("run() cannot accept positional-only arguments, *args, or **kwargs.")
        self.wants_headers = any(p.name == "request_headers" for p in params)
        params = [p for p in params if p.name != "request_headers"]
        if not params:
            if self.wants_headers:
                raise UserScriptError('run() needs to accept an argument other than "request_headers".')
            raise UserScriptError("run() needs to accept an argument for input data.")
        decorated = is_schema_decorated(self.run_function)
        if aml_request._rawHttpRequested and decorated:
            raise UserScriptError("run() cannot be decorated with both @rawhttp and @input_schema")
        if aml_request._rawHttpRequested:
            self.parser = RawRequestInput(params[0].name)
            log.info("run() is decorated with @rawhttp. Server will invoke it with the flask request object.")
        elif decorated:
            self.parser = ObjectInput(params)
            log.info("run() is decorated with @input_schema. Server will invoke it with the following "
                     "arguments: %s.", ", ".join(p.name for p in params))
        else:
            self.parser = JsonStringInput(params[0].name)
            log.info("run() is not decorated. Server will invoke it with the input in JSON string.")

    @property
    def is_raw(self) -> bool:
        return isinstance(self.parser, RawRequestInput)

    def init(self) -> None:
        log.info("Invoking user's init function")
        try:
            self.init_function()
        except BaseException as ex:
            raise UserScriptException(ex) from ex
        log.info("Users's init has completed successfully")

    def call(self, arguments: dict[str, Any], headers: list[tuple[bytes, bytes]]) -> Any:
        if self.wants_headers:
            return self.run_function(**arguments, request_headers=header_dict(headers))
        return self.run_function(**arguments)


def _forget_previous() -> None:
    """What an earlier script loaded in this process left behind: the ``@rawhttp`` flag and the
    ``inference_schema`` schemas registered under ``entry_module`` (in-process tests load several)."""
    aml_request._rawHttpRequested = False
    try:
        from inference_schema import schema_util
    except ImportError:
        return
    for registry in (schema_util.__functions_schema__, schema_util.__versions__):
        for key in [k for k in registry if k.startswith(ENTRY_MODULE + ".")]:
            del registry[key]


def header_dict(headers: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """``dict(request.headers)`` as a script sees it under azmlinfsrv (WSGI names, repeats joined)."""
    out: dict[str, str] = {}
    for raw_name, raw_value in headers:
        name = raw_name.decode("latin-1").replace("_", "-").title()
        value = raw_value.decode("latin-1")
        out[name] = f"{out[name]},{value}" if name in out else value
    return out


def add_paths(app_root: str, source_dir: str | None) -> None:
    """``sys.path`` as azmlinfsrv sets it: the app root, then the source directory under it."""
    sys.path.append(app_root)
    if source_dir:
        sys.path.append(os.path.join(app_root, source_dir))
