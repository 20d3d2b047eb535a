"""The container's client of the licence authority (``Billing=<url>``, ``ApiKey=<key>``).

Every failure becomes ``LicenceError`` with the Azure status word: ``CouldNotConnect`` when
the authority cannot be reached or answers garbage, otherwise the code the authority sent
(``Invalid``, ``Mismatch``, ``ContainerUseUnauthorized``, ``OutOfQuota``, ``BillingEndpointBusy``).
"""

from __future__ import annotations

import socket
from collections.abc import Sequence
from typing import Any

import httpx

from airgap.platform.licensing.token import LicenceError

KEY_HEADER = "Ocp-Apim-Subscription-Key"
API = "/airgap/v1"


def container_name() -> str:
    return socket.gethostname()


class AuthorityClient:
    def __init__(self, billing: str, api_key: str, timeout: float = 15.0) -> None:
        self.base = billing.rstrip("/")
        self.headers = {KEY_HEADER: api_key}
        self.timeout = timeout

    def _parse(self, response: httpx.Response) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code == 200 and isinstance(body, dict):
            return body
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict) and error.get("code"):
            message = str(error.get("message", ""))
            if response.headers.get("Retry-After"):
                message += f" (Retry-After: {response.headers['Retry-After']} s)"
            raise LicenceError(str(error["code"]), message)
        raise LicenceError("CouldNotConnect", f"{self.base} answered HTTP {response.status_code} without an "
                           "authority error body; is Billing the URL of an airgap authority?")

    def _failure(self, exc: httpx.HTTPError) -> LicenceError:
        return LicenceError("CouldNotConnect", f"Cannot reach the billing endpoint {self.base}: "
                            f"{type(exc).__name__}: {exc or 'no answer'}.")

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            response = httpx.post(self.base + API + path, json=body, headers=self.headers, timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise self._failure(exc) from None
        return self._parse(response)

    async def apost(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await client.post(self.base + API + path, json=body, headers=self.headers)
        except httpx.HTTPError as exc:
            raise self._failure(exc) from None
        return self._parse(response)

    def download_licence(self, services: Sequence[str]) -> str:
        body = self.post("/licence", {"services": list(services), "container": container_name()})
        if not isinstance(body.get("licence"), str):
            raise LicenceError("CouldNotConnect", f"{self.base} answered without a licence.")
        return body["licence"]

    def validate(self, services: Sequence[str]) -> dict[str, Any]:
        return self.post("/validate", {"services": list(services), "container": container_name()})

    async def upload_usage(self, records: list[dict[str, Any]]) -> dict[str, Any]:
        return await self.apost("/usage", {"records": records, "container": container_name()})
