"""The four Language wire contracts as test parameters: paths, bodies, result sets, validation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from tests.support.contract import LANGUAGE_SPECS, TEXT_ANALYTICS_SPECS, validate_definition, validate_response

VERSIONS = ("v3.0", "v3.1", "2022-05-01", "2023-04-01")


@dataclass(frozen=True)
class Contract:
    """How one wire contract asks for one Language feature and where its result set sits.

    ``version`` is ``v3.0``/``v3.1`` (Text Analytics, ``operation`` in the path) or
    ``2022-05-01``/``2023-04-01`` (Language API, ``kind`` in the body).
    """

    version: str
    kind: str = "LanguageDetection"
    operation: str = "languages"

    @property
    def is_language_api(self) -> bool:
        return not self.version.startswith("v3")

    @property
    def spec(self) -> str:
        return (LANGUAGE_SPECS if self.is_language_api else TEXT_ANALYTICS_SPECS)[self.version]

    @property
    def path(self) -> str:
        return "/language/:analyze-text" if self.is_language_api else f"/text/analytics/{self.version}/{self.operation}"

    def params(self, show_stats: bool = False) -> dict[str, str]:
        params = {"api-version": self.version} if self.is_language_api else {}
        if show_stats:
            params["showStats"] = "true"
        return params

    def body(self, documents: Any) -> dict[str, Any]:
        if self.is_language_api:
            return {"kind": self.kind, "analysisInput": {"documents": documents}, "parameters": {}}
        return {"documents": documents}

    def result_set(self, body: dict[str, Any]) -> dict[str, Any]:
        if self.is_language_api:
            assert body["kind"] == f"{self.kind}Results"
            return body["results"]
        return body

    def spell(self, code: str) -> str:
        """Error codes as this contract's enum spells them (v3.0: lowerCamel)."""
        return code[:1].lower() + code[1:] if self.version == "v3.0" else code

    def validate(self, response: httpx.Response) -> None:
        body = response.json()
        if self.version == "v3.0" and response.status_code >= 400:
            # The v3.0 file declares the bare TextAnalyticsError as its error response, but the
            # service (and the SDK's generated v3.0 client) wraps it: {"error": TextAnalyticsError}.
            assert set(body) == {"error"}, body
            validate_definition(self.spec, "TextAnalyticsError", body["error"])
            return
        validate_response(self.spec, self.path, "post", response.status_code, body)


def contracts(kind: str = "LanguageDetection", operation: str = "languages") -> list[Contract]:
    """One ``Contract`` per API version for a feature (``kind`` on the Language API, ``operation`` on v3.x)."""
    return [Contract(v, kind, operation) for v in VERSIONS]


def post_v3(server, version: str, operation: str, query: str = "", *, documents: list) -> httpx.Response:
    """``POST /text/analytics/{version}/{operation}`` with ``documents``."""
    return httpx.post(f"{server.url}/text/analytics/{version}/{operation}{query}",
                      json={"documents": documents}, timeout=60)


def post_language(server, version: str, kind: str, parameters: dict | None = None, *, documents: list,
                  query: str = "") -> httpx.Response:
    """``POST /language/:analyze-text?api-version={version}`` of one ``kind`` over ``documents``."""
    body = {"kind": kind, "analysisInput": {"documents": documents}, "parameters": parameters or {}}
    return httpx.post(f"{server.url}/language/:analyze-text?api-version={version}{query}", json=body, timeout=60)
