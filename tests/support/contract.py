"""Check real response bodies against Microsoft's OpenAPI (Swagger 2.0) contracts.

The contracts are the unmodified files under ``../shared/specs`` (see its README).
Swagger 2.0 schemas are not JSON Schema, so each file is converted once into a
JSON Schema 2020-12 resource and validated with ``jsonschema``; ``referencing``
resolves ``$ref`` within and across files (``./common.json#/definitions/X``).

Usage::

    from tests.support.contract import TEXT_ANALYTICS_V3_1, validate_response

    r = httpx.post(url + "/text/analytics/v3.1/languages", json=...)
    validate_response(TEXT_ANALYTICS_V3_1, "/text/analytics/v3.1/languages", "post", r.status_code, r.json())

``path`` may be the spec's own path key (``"/languages"``, ``"/:analyze-text"``) or
the concrete request path: the prefix of the ``x-ms-parameterized-host`` template
(``{Endpoint}/text/analytics/{ApiVersion}``) and ``{jobId}``-style segments are
matched. ``status`` picks the response the spec declares for it, else
``default`` (Swagger's rule). A response declared without a schema (a 202)
requires an empty body. ``validate_definition(spec, "ErrorResponse", body)``
checks a body against one named definition when the operation is not the point.
Both raise ``ContractViolation`` (an ``AssertionError``) listing every problem
with its JSON path, and return the schema name they checked against.

How Azure's Swagger dialect is read:

* ``enum`` with ``x-ms-enum: {modelAsString: true}`` is an *extensible* enum:
  the SDKs accept values outside the list, so only the type is checked.
  ``modelAsString: false`` or no ``x-ms-enum`` keeps the enum strict.
* ``discriminator`` + ``x-ms-discriminator-value``: a reference to a base type
  with a discriminator (e.g. ``AnalyzeTextTaskResult``, property ``kind``)
  dispatches on the discriminator's value to the subtype declaring it (the
  definition name when it declares none), searched among the definitions of
  the base's own file that extend it through ``allOf``. A value no subtype
  declares is a violation: the SDKs could not deserialise it into a result.
* ``x-nullable: true`` also admits ``null``; ``type: file`` admits anything.
* ``strict=True`` (the default) also rejects properties a schema does not
  declare, unless it allows them with ``additionalProperties``: a misspelt
  optional field (``statistic``) then fails instead of passing silently. Within
  ``allOf`` a parent is used in its open form (the child adds fields, in this
  file or another) and the child is closed. Pass ``strict=False`` to allow extras.
* ``format`` is not asserted (``int32``, ``date-time``, ``uri`` are hints here).

Set ``AIRGAP_SPECS`` to use another copy of the specs folder.
"""

from __future__ import annotations

import copy
import json
import os
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012


def _find_specs() -> Path:
    """``AIRGAP_SPECS``, else ``shared/specs`` beside the checkout (CI's layout) or beside any folder
    above it, else the workplace copy: a clone in a temporary folder still finds the contracts."""
    if os.environ.get("AIRGAP_SPECS"):
        return Path(os.environ["AIRGAP_SPECS"])
    here = Path(__file__).resolve()
    for folder in here.parents[2:]:
        if (folder / "shared" / "specs").is_dir():
            return folder / "shared" / "specs"
    return Path("/work/shared/specs")


SPECS = _find_specs()
_DATA_PLANE = "specification/cognitiveservices/data-plane"

TEXT_ANALYTICS_V3_0 = f"{_DATA_PLANE}/TextAnalytics/stable/v3.0/TextAnalytics.json"
TEXT_ANALYTICS_V3_1 = f"{_DATA_PLANE}/TextAnalytics/stable/v3.1/TextAnalytics.json"
LANGUAGE_2023_04_01 = f"{_DATA_PLANE}/Language/stable/2023-04-01/analyzetext.json"
# The 2022-05-01 analyze-text contract is not in ../shared/specs: the stored copies upstream are
# TypeSpec regenerations that contradict the service (KeyPhraseResult.documents is one object,
# not an array). Its synchronous shapes are the 2023-04-01 ones, so those are checked instead.
LANGUAGE_2022_05_01 = LANGUAGE_2023_04_01
LANGUAGE_SPECS = {"2022-05-01": LANGUAGE_2022_05_01, "2023-04-01": LANGUAGE_2023_04_01}
TEXT_ANALYTICS_SPECS = {"v3.0": TEXT_ANALYTICS_V3_0, "v3.1": TEXT_ANALYTICS_V3_1}

_OPEN = "x-open"  # each definition again, open to extra fields and never dispatching: allOf parents
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


class ContractViolation(AssertionError):
    """A body that does not match the contract; the message lists every problem."""


def validate_response(spec: str | Path, path: str, method: str, status: int, body: Any,
                      *, strict: bool = True) -> str:
    """Validate ``body`` as the ``status`` response of ``method path`` in ``spec``.

    Returns a description of the schema used (e.g. ``"#/definitions/LanguageResult"``).
    """
    contract = _contract(_resolve(spec))
    template, operation = contract.operation(path, method)
    response = contract.response(operation, status)
    where = f"{method.upper()} {template} -> {status}"
    if response is None:
        declared = ", ".join(operation.get("responses", {}))
        raise ContractViolation(f"{where}: the contract declares no such response (declared: {declared}).")
    schema = response.get("schema")
    if schema is None:
        if body not in (None, b"", ""):
            raise ContractViolation(f"{where}: the contract declares no body, got {body!r:.200}.")
        return "(no body)"
    converted = contract.convert(schema, strict)
    _check(contract, converted, body, where, strict)
    return schema.get("$ref", "(inline schema)")


def validate_definition(spec: str | Path, name: str, body: Any, *, strict: bool = True) -> str:
    """Validate ``body`` against ``#/definitions/<name>`` of ``spec``."""
    contract = _contract(_resolve(spec))
    if name not in contract.raw.get("definitions", {}):
        raise KeyError(f"{name} is not a definition of {spec}")
    ref = f"#/definitions/{name}"
    _check(contract, contract.convert({"$ref": ref}, strict), body, ref, strict)
    return ref


def declared_headers(spec: str | Path, path: str, method: str, status: int) -> set[str]:
    """Header names (lower case) the contract declares for that response."""
    contract = _contract(_resolve(spec))
    _, operation = contract.operation(path, method)
    response = contract.response(operation, status) or {}
    return {name.lower() for name in response.get("headers", {})}


def _check(contract: _Contract, schema: dict, body: Any, where: str, strict: bool) -> None:
    validator = jsonschema.Draft202012Validator(schema, registry=_registry(strict))
    errors = sorted(validator.iter_errors(body), key=lambda e: e.json_path)
    if errors:
        lines = [f"  at {e.json_path}: {e.message}" for e in errors[:20]]
        raise ContractViolation(f"{where} ({contract.name}): body violates the contract:\n" + "\n".join(lines)
                                + f"\nbody: {json.dumps(body)[:2000]}")


def _resolve(spec: str | Path) -> Path:
    path = Path(spec)
    path = path if path.is_absolute() else SPECS / path
    if not path.is_file():
        raise FileNotFoundError(f"contract file {path} not found (set AIRGAP_SPECS to the specs folder)")
    return path.resolve()


@cache
def _contract(path: Path) -> _Contract:
    return _Contract(path)


@cache
def _registry(strict: bool) -> Registry:
    def retrieve(uri: str) -> Resource:
        contract = _contract(Path(uri.removeprefix("file://")))
        return Resource(contents=contract.document(strict), specification=DRAFT202012)

    return Registry(retrieve=retrieve)


class _Contract:
    """One Swagger file: its raw JSON, operations and its JSON Schema conversion."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.uri = path.as_uri()
        self.name = str(path.relative_to(SPECS)) if path.is_relative_to(SPECS) else str(path)
        self.raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        definitions = self.raw.get("definitions", {})
        self.discriminated = {name for name, d in definitions.items() if "discriminator" in d}
        self._documents: dict[bool, dict] = {}

    # --- operations ---------------------------------------------------------------------

    def operation(self, path: str, method: str) -> tuple[str, dict]:
        method = method.lower()
        paths = self.raw.get("paths", {})
        host = self.raw.get("x-ms-parameterized-host", {}).get("hostTemplate", "")
        prefix = host.split("}", 1)[1] if host.startswith("{") else ""
        candidates = [key for key in paths if key == path]
        if not candidates:
            candidates = [key for key in paths if re.fullmatch(_template_regex(prefix + key), path)
                          or re.fullmatch(_template_regex(key), path)]
        for key in candidates:
            if method in paths[key]:
                return key, paths[key][method]
        known = sorted(f"{m.upper()} {k}" for k, ops in paths.items() for m in ops if m in _METHODS)
        raise KeyError(f"{method.upper()} {path} is not an operation of {self.name}; it has: {', '.join(known)}")

    def response(self, operation: dict, status: int) -> dict | None:
        responses = operation.get("responses", {})
        response = responses.get(str(status), responses.get("default"))
        if response is not None and "$ref" in response:  # a shared #/responses/X
            response = self._pointer(response["$ref"])
        return response

    # --- conversion ---------------------------------------------------------------------

    def document(self, strict: bool) -> dict:
        """The whole file as a JSON Schema resource: ``definitions`` closed, ``x-open`` open."""
        if strict not in self._documents:
            definitions = self.raw.get("definitions", {})
            closed = {name: self.convert(d, strict) for name, d in definitions.items()}
            for name in self.discriminated:
                closed[name] = self._dispatch(name, strict)
            opened = {name: self.convert(d, strict, closed=False) for name, d in definitions.items()}
            self._documents[strict] = {"definitions": closed, _OPEN: opened}
        return self._documents[strict]

    def convert(self, schema: Any, strict: bool, closed: bool = True) -> Any:
        """One Swagger schema as JSON Schema; every ``$ref`` made absolute."""
        if not isinstance(schema, dict):
            return schema
        out: dict[str, Any] = {}
        for key, value in schema.items():
            if key in ("properties", "patternProperties"):
                out[key] = {name: self.convert(s, strict) for name, s in value.items()}
            elif key in ("items", "additionalProperties", "not"):
                out[key] = ([self.convert(s, strict) for s in value] if isinstance(value, list)
                            else self.convert(value, strict))
            elif key == "allOf":
                out[key] = [self.convert(self._parent(s), strict, closed=False) for s in value]
            elif key in ("anyOf", "oneOf"):
                out[key] = [self.convert(s, strict) for s in value]
            elif key == "$ref":
                out[key] = urljoin(self.uri, value)
            elif key == "type" and value == "file":
                continue
            elif key in ("discriminator", "example", "x-ms-examples") or key.startswith("x-"):
                continue  # Swagger/autorest annotations; meaning handled below
            elif key in ("exclusiveMinimum", "exclusiveMaximum") and isinstance(value, bool):
                continue  # Swagger's boolean flag on minimum/maximum; converted below
            else:
                out[key] = value
        # Swagger 2.0 writes an open bound as minimum + exclusiveMinimum: true; JSON Schema as a number.
        for bound, flag in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
            if schema.get(flag) is True and bound in out:
                out[flag] = out.pop(bound)
        if "enum" in out and schema.get("x-ms-enum", {}).get("modelAsString"):
            del out["enum"]  # extensible enum: SDKs accept any string
        if strict and closed and isinstance(schema.get("properties"), dict) and "additionalProperties" not in schema:
            out["unevaluatedProperties"] = False
        if schema.get("x-nullable"):
            out = {"anyOf": [out, {"type": "null"}]}
        return out

    def _parent(self, part: dict) -> dict:
        """An ``allOf`` parent by reference is used in its open form (in whichever file it is)."""
        ref = part.get("$ref")
        if not ref:
            return part
        target, fragment = urldefrag(urljoin(self.uri, ref))
        if fragment.startswith("/definitions/"):
            return {**part, "$ref": f"{target}#/{_OPEN}/{fragment.removeprefix('/definitions/')}"}
        return part

    def _dispatch(self, base: str, strict: bool) -> dict:
        """A reference to ``base`` validates as the subtype its discriminator names."""
        definitions = self.raw["definitions"]
        prop = definitions[base]["discriminator"]
        values: dict[str, str] = {}
        if "x-ms-discriminator-value" in definitions[base]:  # a base is a value only if it says so
            values[definitions[base]["x-ms-discriminator-value"]] = f"{self.uri}#/{_OPEN}/{base}"
        for name in self._descendants(base):
            values[definitions[name].get("x-ms-discriminator-value", name)] = f"{self.uri}#/definitions/{name}"
        # The chosen subtype is closed here even when other types extend it further.
        closed = {"unevaluatedProperties": False} if strict else {}
        branches = [
            {"if": {"properties": {prop: {"const": value}}, "required": [prop]}, "then": {"$ref": ref, **closed}}
            for value, ref in values.items()
        ]
        schema: dict[str, Any] = {
            "$ref": f"{self.uri}#/{_OPEN}/{base}",
            "required": [prop],
            "properties": {prop: {"enum": sorted(values)}},
            "allOf": branches,
        }
        # No unevaluatedProperties at this level: a failed branch would report its fields again.
        return schema

    def _descendants(self, base: str) -> list[str]:
        definitions = self.raw["definitions"]
        found: list[str] = []
        frontier = [base]
        while frontier:
            parent = frontier.pop()
            for name, d in definitions.items():
                parents = {self._local_name(p.get("$ref")) for p in d.get("allOf", [])}
                if parent in parents and name not in found and name != base:
                    found.append(name)
                    frontier.append(name)
        return found

    def _local_name(self, ref: str | None) -> str | None:
        if not ref:
            return None
        target, fragment = urldefrag(urljoin(self.uri, ref))
        if target != self.uri or not fragment.startswith("/definitions/"):
            return None
        return fragment.removeprefix("/definitions/")

    def _pointer(self, ref: str) -> Any:
        node: Any = self.raw
        for part in ref.removeprefix("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return copy.deepcopy(node)


def _template_regex(template: str) -> str:
    parts = re.split(r"(\{[^}]+\})", template)
    return "".join("[^/]+" if p.startswith("{") and p.endswith("}") else re.escape(p) for p in parts)
