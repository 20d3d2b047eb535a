"""``GET /swagger.json?version=2|3|3.1``: the scoring API's description, as Azure ML serves it.

A file the user put in the app root wins (``swagger.json`` or ``swagger2.json`` for 2,
``swagger3.json`` for 3, ``swagger3.1.json`` for 3.1); else it is generated from the templates
below, with the ``inference_schema`` input and output schemas of ``run()`` (an empty object schema
for an undecorated ``run``) for the versions those schemas support.

The templates reproduce those of ``azureml-inference-server-http`` 1.5.1 (MIT License,
Copyright (c) Microsoft Corporation), so that generated documents are the same byte for byte.
"""

from __future__ import annotations

import copy
import json
import logging
import os
from typing import Any

from airgap.scoring.config import ScoreConfig

log = logging.getLogger("azmlinfsrv.swagger")

_ERROR_2 = {"description": "The service failed to execute due to an error.",
            "schema": {"$ref": "#/definitions/ErrorResponse"}}
_ERROR_3 = {"description": "The service failed to execute due to an error.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}}
_HEALTH_TEXT = "If service is up and running, this response will be returned with the content 'Healthy'"
_SCORE_OK = "The service processed the input correctly and provided a result prediction, if applicable."
_PAYLOAD = "The input payload for executing the real-time machine learning service."
_DEFAULT_SCHEMAS = {
    "ServiceInput": {"type": "object", "properties": {"param": {"type": "object",
                                                                "additionalProperties": {"type": "object"}}}},
    "ServiceOutput": {"type": "object", "additionalProperties": {"type": "object"}},
    "ErrorResponse": {"type": "object", "properties": {"message": {"type": "string"}}},
}
_BEARER = {"type": "apiKey", "name": "Authorization", "in": "header", "description": "For example: Bearer abc123"}


def _template2(name: str, version: str, prefix: str) -> dict[str, Any]:
    return {
        "swagger": "2.0",
        "info": {"title": name, "description": f"API specification for the Azure Machine Learning service {name}",
                 "version": version},
        "schemes": ["https"],
        "consumes": ["application/json"],
        "produces": ["application/json"],
        "securityDefinitions": {"Bearer": dict(_BEARER)},
        "paths": {
            f"{prefix}/": {"get": {
                "operationId": "ServiceHealthCheck",
                "description": "Simple health check endpoint to ensure the service is up at any given point.",
                "responses": {"200": {"description": _HEALTH_TEXT, "schema": {"type": "string"},
                                      "examples": {"application/json": "Healthy"}},
                              "default": copy.deepcopy(_ERROR_2)}}},
            f"{prefix}/score": {"post": {
                "operationId": "RunMLService",
                "description": "Run web service's model and get the prediction output",
                "security": [{"Bearer": []}],
                "parameters": [{"name": "serviceInputPayload", "in": "body", "description": _PAYLOAD,
                                "schema": {"$ref": "#/definitions/ServiceInput"}}],
                "responses": {"200": {"description": _SCORE_OK, "schema": {"$ref": "#/definitions/ServiceOutput"}},
                              "default": copy.deepcopy(_ERROR_2)}}},
            f"{prefix}/swagger.json": {"get": {
                "operationId": "GetSwaggerSpec",
                "description": "Get the Swagger specification.",
                "parameters": [{"name": "version", "in": "query", "required": False, "type": "integer",
                                "enum": [2, 3]}],
                "responses": {"200": {"description": "The Swagger specification.", "schema": {"type": "string"}},
                              "default": copy.deepcopy(_ERROR_2)}}},
        },
        "definitions": copy.deepcopy(_DEFAULT_SCHEMAS),
    }


def _template3(name: str, version: str, prefix: str) -> dict[str, Any]:
    def json_schema(ref: str) -> dict[str, Any]:
        return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}

    return {
        "openapi": "3.0.3",
        "info": {"title": name, "description": f"API specification for the Azure Machine Learning service {name}",
                 "version": version},
        "security": [{"Bearer": []}],
        "paths": {
            f"{prefix}/": {"get": {
                "operationId": "ServiceHealthCheck",
                "description": "Simple health check endpoint to ensure the service is up at any given point.",
                "responses": {"200": {"description": _HEALTH_TEXT,
                                      "content": {"text/plain": {"schema": {"type": "string", "example": "Healthy"}}}},
                              "default": copy.deepcopy(_ERROR_3)}}},
            f"{prefix}/score": {"post": {
                "operationId": "RunMLService",
                "description": "Run web service's model and get the prediction output",
                "security": [{"Bearer": []}],
                "requestBody": {"description": _PAYLOAD, "content": json_schema("ServiceInput")},
                "responses": {"200": {"description": _SCORE_OK, "content": json_schema("ServiceOutput")},
                              "default": copy.deepcopy(_ERROR_3)}}},
            f"{prefix}/swagger.json": {"get": {
                "operationId": "GetSwaggerSpec",
                "description": "Get the Swagger specification.",
                "parameters": [{"name": "version", "in": "query", "required": False,
                                "schema": {"type": "integer", "enum": [2, 3]}}],
                "responses": {"200": {"description": "The Swagger specification.",
                                      "content": {"text/plain": {"schema": {"type": "string"}}}},
                              "default": copy.deepcopy(_ERROR_3)}}},
        },
        "components": {"schemas": copy.deepcopy(_DEFAULT_SCHEMAS), "securitySchemes": {"Bearer": dict(_BEARER)}},
    }


# (version, its aliases, the user files that replace it, in order)
_BUILDERS = (
    ("2", ("2", "2.0"), ("swagger.json", "swagger2.json")),
    ("3", ("3", "3.0"), ("swagger3.json",)),
    ("3.1", ("3.1",), ("swagger3.1.json",)),
)
VALID_VERSIONS = frozenset(alias for _, aliases, _ in _BUILDERS for alias in aliases)


class SwaggerNotFound(Exception):
    pass


class Swagger:
    """The documents of one script, serialised once: ``body(version)`` is the response body."""

    def __init__(self, config: ScoreConfig, run_function: Any) -> None:
        self.bodies: dict[str, bytes] = {}
        self.supported: list[str] = []
        skipped: list[str] = []
        for version, aliases, files in _BUILDERS:
            document = self._user_file(config.app_root, version, files)
            if document is None:
                document = _generate(config, version, run_function)
            if document is None:
                skipped.append(version)
                continue
            body = json.dumps(document).encode()
            for alias in aliases:
                self.bodies[alias] = body
            self.supported.append(version)
        self.supported.sort()
        skipped.sort()
        if self.supported and skipped:
            log.info("Swaggers are prepared for versions [%s] and skipped for versions [%s].",
                     ", ".join(self.supported), ", ".join(skipped))
        elif self.supported:
            log.info("Swaggers are prepared for the following versions: [%s].", ", ".join(self.supported))
        else:
            log.info("No swagger is prepared.")

    @staticmethod
    def _user_file(app_root: str, version: str, files: tuple[str, ...]) -> Any:
        for name in files:
            path = os.path.join(app_root, name)
            try:
                with open(path, encoding="utf-8") as f:
                    document = json.load(f)
            except FileNotFoundError:
                continue
            log.info("Loaded user's swagger file for version [%s] from %s", version, path)
            return document
        return None

    def body(self, version: str) -> bytes:
        supported = ", ".join(self.supported)
        if version not in VALID_VERSIONS:
            raise SwaggerNotFound(f"Swagger version [{version}] is not valid. Supported versions: [{supported}].")
        body = self.bodies.get(version)
        if body is None:
            raise SwaggerNotFound(f"Swagger version [{version}] is not supported for the scoring script. "
                                  f"Supported swagger versions: [{supported}].")
        return body


def _generate(config: ScoreConfig, version: str, run_function: Any) -> dict[str, Any] | None:
    from inference_schema.schema_util import (
        get_input_schema,
        get_output_schema,
        get_supported_versions,
        is_schema_decorated,
    )

    aliases = next(a for v, a, _ in _BUILDERS if v == version)
    if all(alias not in get_supported_versions(run_function) for alias in aliases):
        return None
    if is_schema_decorated(run_function):
        input_schema, output_schema = get_input_schema(run_function), get_output_schema(run_function)
    else:
        input_schema = output_schema = {"type": "object", "example": {}}
    prefix = f"/{config.service_path_prefix.strip('/')}" if config.service_path_prefix else ""
    if version == "2":
        document = _template2(config.service_name, config.service_version, prefix)
        document["definitions"]["ServiceInput"] = input_schema
        document["definitions"]["ServiceOutput"] = output_schema
        return document
    document = _template3(config.service_name, config.service_version, prefix)
    document["components"]["schemas"]["ServiceInput"] = input_schema
    document["components"]["schemas"]["ServiceOutput"] = output_schema
    if version == "3.1":
        document["openapi"] = "3.1.0"
    return document
