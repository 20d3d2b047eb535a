"""CORS for ``AML_CORS_ORIGINS`` / ``--access_control_allow_origins``, as azmlinfsrv answers it.

azmlinfsrv hands the comma-separated origins to flask-cors (``CORS(blueprint, methods=["GET",
"POST"], origins=[...])``, every other option at its default) on its own routes (``/``, ``/score``,
``/swagger.json``; not on Flask's 404 and 405). What that does, kept here:

- an origin with any of ``*\\]?$^[]()`` is a regular expression (``*`` alone: any origin), matched
  with ``re.match`` ignoring case (a prefix match); any other is compared ignoring case;
- a request whose ``Origin`` matches gets ``Access-Control-Allow-Origin: <its origin>``; one whose
  ``Origin`` matches none gets nothing; one without ``Origin`` gets ``*`` when any origin is
  allowed, else the first of the literal origins in sorted order;
- an ``OPTIONS`` request whose ``Access-Control-Request-Method`` is within ``"GET, POST"`` (a
  substring test) also gets ``Access-Control-Allow-Methods: GET, POST`` and the requested headers
  back, sorted, in ``Access-Control-Allow-Headers``;
- ``Vary: Origin`` unless the answer is ``*``, when more than one origin is configured or one is a
  regular expression;
- nothing is added to a response whose script already set ``Access-Control-Allow-Origin``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_REGEX_HINT = frozenset("*\\]?$^[]()")
METHODS = "GET, POST"


class Cors:
    def __init__(self, origins: Iterable[str]) -> None:
        raw = [".*" if o == "*" else o for o in origins]
        self.any_origin = ".*" in raw
        self.patterns: list[str | re.Pattern[str]] = [
            re.compile(o, re.IGNORECASE) if not _REGEX_HINT.isdisjoint(o) else o for o in raw]
        self.literals = sorted(o for o in self.patterns if isinstance(o, str))
        self.vary = len(self.patterns) > 1 or any(isinstance(o, re.Pattern) for o in self.patterns)

    def _matches(self, origin: str) -> bool:
        folded = origin.casefold()
        for pattern in self.patterns:
            if isinstance(pattern, re.Pattern):
                if pattern.match(origin):
                    return True
            elif pattern.casefold() == folded:
                return True
        return False

    def headers(self, method: str, request_headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        origin = acl_method = acl_headers = None
        for name, value in request_headers:
            if name == b"origin":
                origin = value.decode("latin-1")
            elif name == b"access-control-request-method":
                acl_method = value.decode("latin-1")
            elif name == b"access-control-request-headers":
                acl_headers = value.decode("latin-1")
        if origin:
            if not self._matches(origin):
                return []
            allowed = origin
        elif self.any_origin:
            allowed = "*"
        elif self.literals:
            allowed = self.literals[0]  # flask-cors sets them all, then keeps the first
        else:
            return []
        out = [(b"access-control-allow-origin", allowed.encode("latin-1"))] if allowed else []
        if method == "OPTIONS" and acl_method and acl_method.upper() in METHODS:
            if acl_headers:
                requested = ", ".join(sorted(h.strip() for h in acl_headers.split(",")))
                if requested:
                    out.append((b"access-control-allow-headers", requested.encode("latin-1")))
            out.append((b"access-control-allow-methods", METHODS.encode()))
        if allowed != "*" and self.vary:
            out.append((b"vary", b"Origin"))
        return out
