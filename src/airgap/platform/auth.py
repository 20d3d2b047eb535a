"""Optional inbound auth (``Auth:SubscriptionKeys``), off by default as in Azure's containers.

When keys are configured, every API request must carry one of them in
``Ocp-Apim-Subscription-Key`` (what the Azure SDKs send from ``AzureKeyCredential``).
The gateway runs gates only on service routes, so health, status, metrics and usage
report routes stay open for probes and operators.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence

from starlette.types import Scope

from airgap.platform.context import RequestContext
from airgap.platform.errors import Unauthorized

HEADER = b"ocp-apim-subscription-key"
DENIED = ("Access denied due to invalid subscription key. Send one of the keys configured in "
          "Auth:SubscriptionKeys in the Ocp-Apim-Subscription-Key header.")


class SubscriptionKeyGate:
    def __init__(self, keys: Sequence[str]) -> None:
        self.keys = [k.encode() for k in keys]

    async def check(self, ctx: RequestContext, scope: Scope) -> None:
        supplied = next((v for k, v in scope.get("headers", ()) if k.lower() == HEADER), b"")
        # Compare against every key, always: the time taken says nothing about which one nearly matched.
        matched = False
        for key in self.keys:
            matched |= hmac.compare_digest(supplied, key)
        if not matched:
            raise Unauthorized(DENIED, headers={"WWW-Authenticate": 'ApiKey header="Ocp-Apim-Subscription-Key"'})
