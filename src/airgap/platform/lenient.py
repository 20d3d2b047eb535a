"""Lenient where Azure is lenient: names and values matched without regard to case.

Azure's front door and containers (ASP.NET) match paths, query parameter names and enum values
case-insensitively: ``/text/analytics/V3.1/languages?Api-Version=...``, ``features=READ``,
``stringIndexType=UnicodeCodePoint`` (Document Intelligence spells it ``unicodeCodePoint``),
``locale=EN-us`` all work there. Our handlers compare exactly, so this module does the
canonicalising once:

* ``LenientMiddleware`` (pure ASGI, outermost in ``create_app``) rewrites a request's path to the
  case of the one route template it matches case-insensitively, when it matches none exactly
  (parameter values keep their case), and the query string's parameter *names* to the spelling
  the handlers read (``QUERY_NAMES`` plus every query parameter a route declares). A path that
  matches a route exactly, and every value, pass untouched.
* ``choice`` and ``locale_tag`` are for the handlers that parse enum values and locales.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import unquote_plus

from starlette.routing import compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

# Query parameter names the handlers read (as ``query.get("...")``) whether or not a route declares
# them in its OpenAPI parameters; tests/platform/test_lenient.py checks the handlers read no other.
QUERY_NAMES = (
    "api-version", "model-version", "modelVersion", "stringIndexType", "showStats", "loggingOptOut",
    "opinionMining", "domain", "piiCategories", "$top", "top", "$skip", "skip",
    "language", "pages", "readingOrder", "features", "locale", "outputContentFormat", "includeTextDetails",
    # Translator
    "from", "to", "suggestedFrom", "textType", "category", "allowFallback", "profanityAction", "profanityMarker",
    "fromScript", "toScript", "scope", "includeSentenceLength", "includeAlignment", "sourceLanguage", "targetLanguage",
    # Conversations: CLU authoring's import format; LUIS prediction
    "format", "q", "query", "verbose", "show-all-intents", "log", "spellCheck", "staging", "timezoneOffset",
)


def choice(raw: str | None, choices: Iterable[str]) -> str | None:
    """``raw`` spelled as the one of ``choices`` it equals case-insensitively; else ``raw`` as it is
    (so the caller's own message names what was sent). ``None`` stays ``None``."""
    if raw is None:
        return None
    folded = raw.strip().casefold()
    return next((c for c in choices if c.casefold() == folded), raw)


_TAG_PART = re.compile(r"^[A-Za-z0-9]{1,8}$")


def locale_tag(raw: str | None) -> str | None:
    """A BCP 47 tag in its canonical case: ``EN-us`` -> ``en-US``, ``zh-hans`` -> ``zh-Hans``,
    ``sr-latn-rs`` -> ``sr-Latn-RS``; ``_`` read as ``-``. Not a tag: returned as it is."""
    if raw is None:
        return None
    parts = raw.strip().replace("_", "-").split("-")
    if not parts or not all(_TAG_PART.match(p) for p in parts) or not parts[0].isalpha():
        return raw
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())  # script
        elif len(part) == 2 and part.isalpha() or len(part) == 3 and part.isdigit():
            out.append(part.upper())  # region
        else:
            out.append(part.lower())
    return "-".join(out)


class _Template:
    def __init__(self, path: str) -> None:
        self.source = path
        regex, self.format, _ = compile_path(path)
        self.exact = regex.pattern
        self.folded = re.compile(regex.pattern, re.IGNORECASE)

    def canonical(self, path: str) -> str | None:
        match = self.folded.match(path)
        if match is None:
            return None
        groups = match.groupdict()
        return re.sub(r"\{(\w+)\}", lambda m: groups[m.group(1)], self.format)


def _any_of(templates: Sequence[_Template]) -> re.Pattern[str] | None:
    exact = "|".join(f"(?:{re.sub(r'[(][?]P<[^>]+>', '(?:', t.exact)})" for t in templates)
    return re.compile(exact) if exact else None


class _Tables:
    """Routes in two tiers: specific templates first, then catch-alls (``{rest:path}``), so that
    ``/formrecognizer/v2.1/Layout/analyze`` finds ``.../layout/analyze``, not the v2.1 catch-all."""

    def __init__(self, paths: Sequence[str], query_names: Iterable[str]) -> None:
        templates = [_Template(p) for p in dict.fromkeys(paths)]
        self.tiers = [[t for t in templates if ":path}" not in t.source],
                      [t for t in templates if ":path}" in t.source]]
        self.exact = [_any_of(tier) for tier in self.tiers]
        self.names = {n.casefold(): n for n in query_names}

    def path(self, path: str) -> str:
        for tier, exact in zip(self.tiers, self.exact):
            if exact is not None and exact.match(path):
                return path
            for template in tier:
                found = template.canonical(path)
                if found is not None:
                    return found
        return path

    def query(self, query_string: bytes) -> bytes:
        if not query_string:
            return query_string
        changed = False
        parts = query_string.split(b"&")
        for i, part in enumerate(parts):
            raw_name, eq, value = part.partition(b"=")
            try:
                name = unquote_plus(raw_name.decode("ascii"), errors="strict")
            except (UnicodeDecodeError, ValueError):
                continue  # not a name we know; the handler sees it as sent
            canonical = self.names.get(name.casefold())
            if canonical is not None and canonical != name:
                parts[i] = canonical.encode() + eq + value
                changed = True
        return b"&".join(parts) if changed else query_string


def _route_paths_and_queries(app: Any) -> tuple[list[str], set[str]]:
    """Every route's path template and the query parameter names routes declare."""
    routes = list(getattr(app, "routes", ()))
    try:  # FastAPI >= 0.150 nests included routers; this walks them.
        from fastapi.routing import iter_route_contexts
        routes = list(iter_route_contexts(routes))
    except ImportError:
        pass
    paths: list[str] = []
    names: set[str] = set()
    for route in routes:
        path = getattr(route, "path", None)
        if isinstance(path, str) and path.startswith("/"):
            paths.append(path)
        extra = getattr(route, "openapi_extra", None) or {}
        names.update(p["name"] for p in extra.get("parameters", ()) if p.get("in") == "query" and "name" in p)
        dependant = getattr(route, "dependant", None)
        for field in getattr(dependant, "query_params", ()) or ():
            names.add(getattr(field, "alias", None) or field.name)
    return paths, names


class LenientMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._tables: _Tables | None = None

    def tables(self, application: Any) -> _Tables:
        # Routes are all in place before the first request; built once, on it.
        if self._tables is None:
            paths, names = _route_paths_and_queries(application)
            self._tables = _Tables(paths, {*QUERY_NAMES, *names})
        return self._tables

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and "app" in scope:
            tables = self.tables(scope["app"])
            path = tables.path(scope["path"])
            query = tables.query(scope.get("query_string", b""))
            if path != scope["path"] or query is not scope.get("query_string", b""):
                scope = {**scope, "path": path, "query_string": query}
        await self.app(scope, receive, send)
