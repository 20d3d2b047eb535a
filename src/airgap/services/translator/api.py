"""Text Translation on the wire: 3.0 (bare arrays, integer error codes) and 2026-06-06
(``{"inputs": [...]}`` in, ``{"value": [...]}`` out, string error codes), told apart by
``api-version`` on the same paths. 3.0 is also served under ``/translator/text/v3.0``, the path
the 1.x SDK uses with a cognitiveservices.azure.com endpoint.

Limits are the container's: 100 elements, 10,000 characters each and 50,000 in all (every target
language counted) for translate; 10 / 1,000 / 5,000 for transliterate; 10 elements of 100
characters for the dictionary. Characters are Unicode code points, as Azure counts them.
"""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson
from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from airgap.platform.body import read_bytes, read_json
from airgap.platform.context import RequestContext, request_context
from airgap.platform.errors import BadRequest, PayloadTooLarge, ServiceUnavailable, UnsupportedMediaType
from airgap.platform.responses import JSONResponse
from airgap.services.translator import documents, glossary
from airgap.services.translator import errors as E
from airgap.services.translator.engines import catalog, profanity
from airgap.services.translator.engines.base import EngineUnavailable
from airgap.services.translator.engines.sentences import sentence_lengths
from airgap.services.translator.engines.transliteration import UnsupportedScript
from airgap.services.translator.errors import TranslatorError

if TYPE_CHECKING:
    from airgap.services.translator.service import TranslatorService

V3 = "3.0"
V2026 = "2026-06-06"
VERSIONS = {V3: V3, V2026: V2026, "2025-10-01-preview": V2026}
PREFIX_V3 = "/translator/text/v3.0"

MAX_ELEMENTS, MAX_ELEMENT_CHARS, MAX_TOTAL_CHARS = 100, 10_000, 50_000
TRANSLIT_ELEMENTS, TRANSLIT_ELEMENT_CHARS, TRANSLIT_TOTAL_CHARS = 10, 1_000, 5_000
DICT_ELEMENTS, DICT_ELEMENT_CHARS = 10, 100

# fastText's codes where Azure's differ.
_DETECTED = {"zh": "zh-Hans", "no": "nb", "sh": "hr", "iw": "he", "mn": "mn-Cyrl", "pt": "pt"}
_POS = {"n": "NOUN", "np": "NOUN", "vblex": "VERB", "vbser": "VERB", "vbhaver": "VERB", "vaux": "VERB",
        "vbmod": "MODAL", "adj": "ADJ", "adv": "ADV", "preadv": "ADV", "cnjcoo": "CONJ", "cnjsub": "CONJ",
        "cnjadv": "CONJ", "det": "DET", "predet": "DET", "pr": "PREP", "prn": "PRON", "rel": "PRON"}


# --- request pieces ----------------------------------------------------------------------------

class Query:
    """The query string read case-insensitively (ASP.NET does), repeated keys kept."""

    def __init__(self, request: Request) -> None:
        self.items = [(k.casefold(), v) for k, v in request.query_params.multi_items()]

    def get(self, name: str) -> str | None:
        name = name.casefold()
        return next((v for k, v in self.items if k == name), None)

    def all(self, name: str) -> list[str]:
        name = name.casefold()
        return [v for k, v in self.items if k == name]


def api_version(query: Query, fixed: str | None = None) -> str:
    raw = query.get("api-version")
    if fixed is not None:
        if raw is not None and raw != fixed:
            raise TranslatorError(E.INVALID_API_VERSION, f"This path serves api-version {fixed}, not {raw!r}.")
        return fixed
    if raw is None:
        raise TranslatorError(E.INVALID_API_VERSION, "The api-version query parameter is missing: add "
                              f"api-version=3.0 (or {V2026}).")
    version = VERSIONS.get(raw.strip())
    if version is None:
        raise TranslatorError(E.INVALID_API_VERSION, f"api-version {raw!r} is not served here: use 3.0 or {V2026}.")
    return version


def _error(version: str) -> Callable[..., TranslatorError]:
    def make(number: int, message: str) -> TranslatorError:
        return TranslatorError(number, message, string_code=version == V2026)
    return make


def _flag(query: Query, name: str, fail: Callable[..., TranslatorError]) -> bool:
    raw = query.get(name)
    if raw is None or raw == "":
        return False
    if raw.strip().lower() in ("true", "false"):
        return raw.strip().lower() == "true"
    raise fail(E.INVALID_PARAMETER, f"{name} must be true or false, not {raw!r}.")


def _choice(raw: Any, choices: Sequence[str], default: str, number: int, what: str,
            fail: Callable[..., TranslatorError]) -> str:
    if raw is None or raw == "":
        return default
    if not isinstance(raw, str):
        raise fail(number, f"{what} must be a string, one of {', '.join(choices)}.")
    for choice in choices:
        if choice.lower() == raw.strip().lower():
            return choice
    raise fail(number, f"{what} {raw!r} is not valid: use one of {', '.join(choices)}.")


def _text_items(body: Any, keys: Sequence[str], fail: Callable[..., TranslatorError],
                limit: tuple[int, int]) -> list[dict[str, str]]:
    """A 3.0 body: a JSON array of objects with ``Text`` (any case) and maybe other string fields."""
    if not isinstance(body, list):
        raise fail(E.INVALID_INPUT, 'The request body must be a JSON array of objects: [{"Text": "..."}].')
    if not body:
        raise fail(E.INVALID_INPUT, 'The request body is an empty array: send at least one {"Text": "..."}.')
    if len(body) > limit[0]:
        raise fail(E.TOO_MANY_ELEMENTS, f"The request has {len(body)} elements; at most {limit[0]} are allowed.")
    items = []
    for index, element in enumerate(body):
        if not isinstance(element, dict):
            raise fail(E.INVALID_ELEMENT, f"Element {index} is not an object with a Text property.")
        folded = {str(k).casefold(): v for k, v in element.items()}
        item = {}
        for key in keys:
            value = folded.get(key.casefold())
            if value is None:
                raise fail(E.INVALID_ELEMENT, f"Element {index} has no {key} property.")
            if not isinstance(value, str):
                raise fail(E.INVALID_TEXT, f"Element {index}: {key} must be a string.")
            if len(value) > limit[1]:
                raise fail(E.TEXT_TOO_LONG, f"Element {index} has {len(value):,} characters; at most "
                           f"{limit[1]:,} are allowed per element.")
            item[key] = value
        items.append(item)
    return items


# --- the shared translation pipeline -----------------------------------------------------------

@dataclass
class Target:
    language: str
    script: str | None = None
    profanity_action: str = "NoAction"
    profanity_marker: str = "Asterisk"


@dataclass
class Item:
    text: str
    source: str | None  # None: detect
    html: bool = False
    targets: list[Target] = field(default_factory=list)
    from_script: str | None = None
    detected: tuple[str, float] | None = None
    source_text: str | None = None  # the text in the language's default script, when from_script was given
    passthrough: bool = False  # no language to translate from: the text comes back as it is
    results: list[dict[str, Any]] = field(default_factory=list)


class Translation:
    """One request's translations: languages resolved, detection, routes, engine calls."""

    def __init__(self, service: TranslatorService, fail: Callable[..., TranslatorError]) -> None:
        self.service = service
        self.fail = fail
        self.known = {code.lower(): code for code in service.router.languages()}
        self.systems: list[str] = []
        self.suggested: str | None = None  # suggestedFrom: the source when detection finds none served

    def language(self, raw: str, number: int, what: str) -> str:
        code = self.known.get(raw.strip().lower())
        if code is None:
            served = ", ".join(sorted(self.known.values()))
            raise self.fail(number, f"The {what} language {raw!r} is not served here; GET /languages?api-version=3.0 "
                            f"lists what is (installed: {served}).")
        return code

    async def run(self, items: list[Item], include_sentence_length: bool) -> None:
        service = self.service
        pool = service.runtime.pool
        undetected = [it for it in items if it.source is None]
        if undetected:
            detections = await pool.run(service.detector.name, service.detector.detect,
                                        [it.text for it in undetected], [None] * len(undetected))
            for it, detection in zip(undetected, detections, strict=True):
                code = _DETECTED.get(detection.language or "", detection.language or "")
                it.detected = (code or "en", round(float(detection.confidence), 2))
                it.source = (self.known.get(code.lower()) if code else None) or self.suggested
                if it.source is None and not code:
                    it.passthrough = True  # no letters (numbers, symbols, empty): nothing to translate
        # Group the work by (source, target, html) so each engine gets one batch per direction.
        groups: dict[tuple[str, str, bool], list[tuple[Item, int]]] = {}
        for it in items:
            for index, target in enumerate(it.targets):
                source = target.language if it.passthrough else it.source
                if source is None:
                    detected = it.detected[0] if it.detected else "?"
                    raise self.fail(E.UNSUPPORTED_LANGUAGE, f"The text of an element was detected as {detected!r}, "
                                    f"which no installed engine translates; pass from= to say its language.")
                groups.setdefault((source, target.language, it.html), []).append((it, index))
                it.results.append({})
        for (source, target, html), members in groups.items():
            if source == target:
                outputs = [it.source_text or it.text for it, _ in members]
                system = "none"
            else:
                route = service.router.route(source, target)
                if route is None:
                    raise self.fail(E.UNSUPPORTED_LANGUAGE, f"No installed engine translates {source} to {target}, "
                                    "directly or through a pivot language.")
                texts = [it.source_text or it.text for it, _ in members]
                try:
                    outputs = await pool.run(route.system, service.router.translate, route, texts, html)
                except EngineUnavailable as exc:
                    raise ServiceUnavailable(f"Translation engine unavailable: {exc}. Retry shortly.",
                                             headers={"Retry-After": "2"}) from exc
                system = route.system
            if system not in self.systems:
                self.systems.append(system)
            for (it, index), output in zip(members, outputs, strict=True):
                wanted = it.targets[index]
                output = profanity.apply(output, target, wanted.profanity_action, wanted.profanity_marker)
                it.results[index] = {"text": output, "to": target, "system": system}
        for it in items:
            for index, target in enumerate(it.targets):
                result = it.results[index]
                if target.script:
                    converted = await self._transliterate(target.language, target.script, result["text"])
                    result["transliteration"] = {"text": converted, "script": target.script}
                if include_sentence_length:
                    result["sentLen"] = {"srcSentLen": sentence_lengths(it.source or "en", it.source_text or it.text),
                                         "transSentLen": sentence_lengths(target.language, result["text"])}

    async def _transliterate(self, language: str, to_script: str, text: str) -> str:
        translit = self.service.transliterator
        scripts = translit.scripts(language)
        from_script = next((s for s, targets in scripts.items() if to_script in targets and s != "Latn"), None)
        if from_script is None:
            raise self.fail(E.INVALID_TO_SCRIPT, f"toScript {to_script!r} is not available for {language}.")
        done = await self.service.runtime.pool.run(translit.name, translit.transliterate, language, from_script,
                                                   to_script, [text])
        return done[0].text

    async def prepare_source_script(self, items: list[Item]) -> None:
        """``fromScript``: the input is in another script than its language's; convert it first."""
        translit = self.service.transliterator
        for it in items:
            if it.from_script is None:
                continue
            if it.source is None:
                raise self.fail(E.INVALID_FROM_SCRIPT, "fromScript needs from= (the language of the text).")
            scripts = translit.scripts(it.source)
            targets = scripts.get(it.from_script)
            if not targets:
                raise self.fail(E.INVALID_FROM_SCRIPT, f"fromScript {it.from_script!r} is not available for {it.source}.")
            done = await self.service.runtime.pool.run(translit.name, translit.transliterate, it.source,
                                                       it.from_script, targets[0], [it.text])
            it.source_text = done[0].text


def _meter(ctx: RequestContext, characters: int) -> dict[str, str]:
    from airgap.services.translator.service import TRANSLATED_CHARACTERS

    ctx.meter(TRANSLATED_CHARACTERS, characters)
    return {"X-Metered-Usage": str(characters), "X-RequestId": ctx.request_id}


# --- routes ------------------------------------------------------------------------------------

def _query_params(*names: str) -> dict[str, Any]:
    return {"parameters": [{"name": n, "in": "query", "required": n == "api-version", "schema": {"type": "string"}}
                           for n in ("api-version", *names)]}


_JSON_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {}}}}}


def build_router(service: TranslatorService) -> APIRouter:
    router = APIRouter(tags=["Translator"])
    operations: list[tuple[str, str, Callable, tuple[str, ...], bool]] = [
        ("/translate", "POST", _translate, ("to", "from", "textType", "category", "profanityAction",
                                             "profanityMarker", "includeAlignment", "includeSentenceLength",
                                             "suggestedFrom", "fromScript", "toScript", "allowFallback",
                                             "ClientTraceId"), True),
        ("/transliterate", "POST", _transliterate, ("language", "fromScript", "toScript", "ClientTraceId"), True),
        ("/detect", "POST", _detect, ("ClientTraceId",), True),
        ("/breaksentence", "POST", _breaksentence, ("language", "script", "ClientTraceId"), True),
        ("/dictionary/lookup", "POST", _lookup, ("from", "to", "ClientTraceId"), True),
        ("/dictionary/examples", "POST", _examples, ("from", "to", "ClientTraceId"), True),
        ("/languages", "GET", _languages, ("scope", "ClientTraceId"), False),
    ]
    for path, method, handler, params, has_body in operations:
        for prefix, fixed in (("", None), (PREFIX_V3, V3)):
            extra = _query_params(*params)
            if has_body:
                extra.update(_JSON_BODY)
            router.add_api_route(prefix + path, _endpoint(service, handler, fixed), methods=[method],
                                 name=f"translator{'-v3' if fixed else ''}{path.replace('/', '-')}",
                                 summary=f"Translator {path[1:]} (3.0{'' if fixed else ' and 2026-06-06'})",
                                 openapi_extra=extra)
    return router


def _endpoint(service: TranslatorService, handler: Callable, fixed: str | None):
    async def endpoint(request: Request, ctx: RequestContext = Depends(request_context)) -> Response:
        query = Query(request)
        version = api_version(query, fixed)
        return await handler(service, request, query, version, ctx)

    return endpoint


async def _body(service: TranslatorService, request: Request) -> Any:
    return await read_json(request, service.runtime.settings.max_request_bytes)


def _results(version: str, values: list[Any], headers: dict[str, str]) -> JSONResponse:
    return JSONResponse({"value": values} if version == V2026 else values, headers=headers)


async def _translate(service: TranslatorService, request: Request, query: Query, version: str,
                     ctx: RequestContext) -> Response:
    fail = _error(version)
    run = Translation(service, fail)
    body = await _body(service, request)
    if version == V2026:
        items = _items_2026(body, run, fail)
        include_sentence_length = False
    else:
        items = _items_3_0(body, query, run, fail)
        include_sentence_length = _flag(query, "includeSentenceLength", fail)
        _flag(query, "includeAlignment", fail)  # Apertium knows no alignment: accepted, none returned
    total = sum(len(it.text) * len(it.targets) for it in items)
    if total > MAX_TOTAL_CHARS:
        raise fail(E.REQUEST_TOO_LARGE, f"The request has {total:,} characters counting every target language; "
                   f"at most {MAX_TOTAL_CHARS:,} are allowed.")
    await run.prepare_source_script(items)
    await run.run(items, include_sentence_length)
    headers = _meter(ctx, total)
    headers["X-MT-System"] = ",".join(run.systems)
    values = []
    for it in items:
        value: dict[str, Any] = {}
        if it.detected is not None:
            value["detectedLanguage"] = {"language": it.detected[0], "score": it.detected[1]}
        if version == V2026:  # a target's script is the script of its text
            value["translations"] = [{"language": r["to"], "text": r.get("transliteration", r)["text"],
                                      "sourceCharacters": len(it.text)} for r in it.results]
        else:
            value["translations"] = [{k: v for k, v in r.items() if k != "system"} for r in it.results]
            if it.source_text is not None:
                value["sourceText"] = {"text": it.source_text}
        values.append(value)
    return _results(version, values, headers)


def _items_3_0(body: Any, query: Query, run: Translation, fail: Callable[..., TranslatorError]) -> list[Item]:
    targets_raw = [t.strip() for value in query.all("to") for t in value.split(",") if t.strip()]
    if not targets_raw:
        raise fail(E.INVALID_TO, "The to query parameter is missing: say which language(s) to translate into "
                   "(to=es, or to=es&to=fr).")
    texts = _text_items(body, ("Text",), fail, (MAX_ELEMENTS, MAX_ELEMENT_CHARS))
    targets = [run.language(t, E.INVALID_TO, "target") for t in targets_raw]
    source_raw = query.get("from")
    source = run.language(source_raw, E.INVALID_FROM, "source") if source_raw else None
    suggested = query.get("suggestedFrom")
    html = _choice(query.get("textType"), ("plain", "html"), "plain", E.INVALID_TEXT_TYPE, "textType", fail) == "html"
    action, marker = _options(query.get("category"), query.get("allowFallback"), query.get("profanityAction"),
                              query.get("profanityMarker"), fail)
    to_script = query.get("toScript")
    from_script = query.get("fromScript")
    items = []
    for t in texts:
        item = Item(t["Text"], source, html, [Target(lang, to_script, action, marker) for lang in targets],
                    from_script)
        items.append(item)
    if suggested and source is None:
        try:
            fallback = run.language(suggested, E.INVALID_FROM, "suggested source")
        except TranslatorError:
            fallback = None
        run.suggested = fallback
    return items


def _options(category: str | None, allow_fallback: str | None, action: str | None, marker: str | None,
             fail: Callable[..., TranslatorError]) -> tuple[str, str]:
    fallback = (allow_fallback or "true").strip().lower() != "false"
    if category and category.strip().lower() != "general" and not fallback:
        raise fail(E.INVALID_CATEGORY, f"Category {category!r} is not available offline (only general); "
                   "allowFallback=true uses the general system.")
    return (_choice(action, ("NoAction", "Marked", "Deleted"), "NoAction", E.INVALID_OPTIONS, "profanityAction", fail),
            _choice(marker, ("Asterisk", "Tag"), "Asterisk", E.INVALID_OPTIONS, "profanityMarker", fail))


def _items_2026(body: Any, run: Translation, fail: Callable[..., TranslatorError]) -> list[Item]:
    if not isinstance(body, dict) or not isinstance(body.get("inputs"), list):
        raise fail(E.INVALID_INPUT, 'The request body must be {"inputs": [{"text": ..., "targets": [...]}]}.')
    inputs = body["inputs"]
    if not inputs:
        raise fail(E.INVALID_INPUT, "inputs is empty: send at least one input.")
    if len(inputs) > MAX_ELEMENTS:
        raise fail(E.TOO_MANY_ELEMENTS, f"The request has {len(inputs)} inputs; at most {MAX_ELEMENTS} are allowed.")
    items = []
    for index, element in enumerate(inputs):
        if not isinstance(element, dict):
            raise fail(E.INVALID_ELEMENT, f"inputs[{index}] is not an object.")
        text = element.get("text")
        if not isinstance(text, str):
            raise fail(E.INVALID_TEXT, f"inputs[{index}].text must be a string.")
        if len(text) > MAX_ELEMENT_CHARS:
            raise fail(E.TEXT_TOO_LONG, f"inputs[{index}] has {len(text):,} characters; at most "
                       f"{MAX_ELEMENT_CHARS:,} are allowed per input.")
        source_raw = element.get("language")
        if source_raw is not None and not isinstance(source_raw, str):
            raise fail(E.INVALID_FROM, f"inputs[{index}].language must be a string.")
        source = run.language(source_raw, E.INVALID_FROM, "source") if source_raw else None
        text_type = element.get("textType")
        html = _choice(text_type if isinstance(text_type, str) else None, ("plain", "html"), "plain",
                       E.INVALID_TEXT_TYPE, "textType", fail) == "html"
        raw_targets = element.get("targets")
        if not isinstance(raw_targets, list) or not raw_targets:
            raise fail(E.INVALID_TO, f"inputs[{index}].targets must list at least one target language.")
        targets = []
        for t_index, target in enumerate(raw_targets):
            where = f"inputs[{index}].targets[{t_index}]"
            if not isinstance(target, dict) or not isinstance(target.get("language"), str):
                raise fail(E.INVALID_TO, f"{where}.language is missing.")
            deployment = target.get("deploymentName")
            if deployment is not None and str(deployment).lower() != "general" and target.get("allowFallback") is False:
                raise fail(E.INVALID_CATEGORY, f"{where}: deploymentName {deployment!r} is not available offline "
                           "(only general); allowFallback=true uses it.")
            action = _choice(target.get("profanityAction"), ("NoAction", "Marked", "Deleted"), "NoAction",
                             E.INVALID_OPTIONS, "profanityAction", fail)
            marker = _choice(target.get("profanityMarker"), ("Asterisk", "Tag"), "Asterisk", E.INVALID_OPTIONS,
                             "profanityMarker", fail)
            script = target.get("script")
            targets.append(Target(run.language(target["language"], E.INVALID_TO, "target"),
                                  script if isinstance(script, str) else None, action, marker))
        script = element.get("script")
        items.append(Item(text, source, html, targets, script if isinstance(script, str) else None))
    return items


async def _transliterate(service: TranslatorService, request: Request, query: Query, version: str,
                         ctx: RequestContext) -> Response:
    fail = _error(version)
    language, from_script, to_script = query.get("language"), query.get("fromScript"), query.get("toScript")
    if not language:
        raise fail(E.INVALID_LANGUAGE, "The language query parameter is missing (e.g. language=ja).")
    if not from_script:
        raise fail(E.INVALID_FROM_SCRIPT, "The fromScript query parameter is missing (e.g. fromScript=Jpan).")
    if not to_script:
        raise fail(E.INVALID_TO_SCRIPT, "The toScript query parameter is missing (e.g. toScript=Latn).")
    translit = service.transliterator
    known = {code.lower(): code for code in translit.support}
    code = known.get(language.strip().lower())
    if code is None:
        raise fail(E.TRANSLITERATION_UNSUPPORTED, f"Transliteration is not available for {language!r}; "
                   "GET /languages?api-version=3.0&scope=transliteration lists what is.")
    scripts = translit.scripts(code)
    from_script = next((s for s in scripts if s.lower() == from_script.strip().lower()), from_script)
    if from_script not in scripts:
        raise fail(E.INVALID_FROM_SCRIPT, f"fromScript {from_script!r} is not available for {code}: use "
                   f"{', '.join(scripts)}.")
    to_script = next((s for s in scripts[from_script] if s.lower() == to_script.strip().lower()), to_script)
    if to_script not in scripts[from_script]:
        raise fail(E.INVALID_TO_SCRIPT, f"{code} text in {from_script} converts to {', '.join(scripts[from_script])}, "
                   f"not {to_script!r}.")
    body = await _body(service, request)
    if version == V2026:
        if not isinstance(body, dict) or not isinstance(body.get("inputs"), list):
            raise fail(E.INVALID_INPUT, 'The request body must be {"inputs": [{"text": "..."}]}.')
        body = body["inputs"]
    texts = [t["Text"] for t in _text_items(body, ("Text",), fail, (TRANSLIT_ELEMENTS, TRANSLIT_ELEMENT_CHARS))]
    total = sum(len(t) for t in texts)
    if total > TRANSLIT_TOTAL_CHARS:
        raise fail(E.REQUEST_TOO_LARGE, f"The request has {total:,} characters; transliterate takes at most "
                   f"{TRANSLIT_TOTAL_CHARS:,}.")
    try:
        done = await service.runtime.pool.run(translit.name, translit.transliterate, code, from_script, to_script, texts)
    except UnsupportedScript as exc:
        raise fail(E.TRANSLITERATION_UNSUPPORTED, str(exc)) from None
    headers = _meter(ctx, total)
    return _results(version, [{"text": d.text, "script": d.script} for d in done], headers)


def _v3_only(version: str, operation: str) -> None:
    if version != V3:
        raise TranslatorError(E.INVALID_API_VERSION, f"{operation} exists in api-version 3.0 only.", string_code=True)


async def _detect(service: TranslatorService, request: Request, query: Query, version: str,
                  ctx: RequestContext) -> Response:
    _v3_only(version, "detect")
    fail = _error(version)
    texts = [t["Text"] for t in _text_items(await _body(service, request), ("Text",), fail,
                                            (MAX_ELEMENTS, MAX_TOTAL_CHARS))]
    total = sum(len(t) for t in texts)
    if total > MAX_TOTAL_CHARS:
        raise fail(E.REQUEST_TOO_LARGE, f"The request has {total:,} characters; at most {MAX_TOTAL_CHARS:,}.")
    detector = service.detector
    detections = await service.runtime.pool.run(detector.name, detector.detect, texts, [None] * len(texts))
    translatable = {code.lower() for code in service.router.sources()}
    transliterable = {code.lower() for code in service.transliterator.support}
    values = []
    for detection in detections:
        code = _DETECTED.get(detection.language or "", detection.language or "") or "en"
        values.append({"language": code, "score": round(float(detection.confidence), 2),
                       "isTranslationSupported": code.lower() in translatable,
                       "isTransliterationSupported": code.lower() in transliterable})
    return JSONResponse(values, headers=_meter(ctx, total))


async def _breaksentence(service: TranslatorService, request: Request, query: Query, version: str,
                         ctx: RequestContext) -> Response:
    _v3_only(version, "breaksentence")
    fail = _error(version)
    texts = [t["Text"] for t in _text_items(await _body(service, request), ("Text",), fail,
                                            (MAX_ELEMENTS, MAX_TOTAL_CHARS))]
    total = sum(len(t) for t in texts)
    if total > MAX_TOTAL_CHARS:
        raise fail(E.REQUEST_TOO_LARGE, f"The request has {total:,} characters; at most {MAX_TOTAL_CHARS:,}.")
    language = query.get("language")
    values: list[dict[str, Any]] = [{} for _ in texts]
    if language:
        languages = [language.strip()] * len(texts)
    else:
        detector = service.detector
        detections = await service.runtime.pool.run(detector.name, detector.detect, texts, [None] * len(texts))
        languages = []
        for value, detection in zip(values, detections, strict=True):
            code = _DETECTED.get(detection.language or "", detection.language or "") or "en"
            value["detectedLanguage"] = {"language": code, "score": round(float(detection.confidence), 2)}
            languages.append(code)
    lengths = await service.runtime.pool.run("sentencex", lambda: [sentence_lengths(lang, text)
                                                                  for lang, text in zip(languages, texts)])
    for value, sent_len in zip(values, lengths, strict=True):
        value["sentLen"] = sent_len
    return JSONResponse(values, headers=_meter(ctx, total))


def _dictionary_pair(service: TranslatorService, query: Query, fail: Callable[..., TranslatorError]) -> tuple[str, str]:
    run = Translation(service, fail)
    source_raw, target_raw = query.get("from"), query.get("to")
    if not source_raw:
        raise fail(E.INVALID_FROM, "The from query parameter is missing.")
    if not target_raw:
        raise fail(E.INVALID_TO, "The to query parameter is missing.")
    pair = (run.language(source_raw, E.INVALID_FROM, "source"), run.language(target_raw, E.INVALID_TO, "target"))
    if not service.apertium.has_dictionary(pair):
        raise fail(E.INVALID_PAIR, f"No bilingual dictionary is installed for {pair[0]} to {pair[1]}; "
                   "GET /languages?api-version=3.0&scope=dictionary lists the pairs that have one.")
    return pair


async def _lookup(service: TranslatorService, request: Request, query: Query, version: str,
                  ctx: RequestContext) -> Response:
    _v3_only(version, "dictionary/lookup")
    fail = _error(version)
    pair = _dictionary_pair(service, query, fail)
    texts = [t["Text"] for t in _text_items(await _body(service, request), ("Text",), fail,
                                            (DICT_ELEMENTS, DICT_ELEMENT_CHARS))]
    engine = service.apertium
    words = [t.strip() for t in texts]
    try:
        entries = await service.runtime.pool.run(engine.name, engine.lookup, pair, words)
        reverse = (pair[1], pair[0])
        back_words = sorted({t["lemma"] for per_word in entries for e in per_word for t in e["targets"]})
        back = {}
        if back_words and engine.has_dictionary(reverse):
            found = await service.runtime.pool.run(engine.name, engine.lookup, reverse, back_words)
            back = {w: f for w, f in zip(back_words, found, strict=True)}
    except EngineUnavailable as exc:
        raise ServiceUnavailable(f"Dictionary engine unavailable: {exc}. Retry shortly.",
                                 headers={"Retry-After": "2"}) from exc
    values = []
    for word, per_word in zip(words, entries, strict=True):
        translations: list[dict[str, Any]] = []
        for entry in per_word if any(ch.isalnum() for ch in word) else []:
            pos = _POS.get(entry["tags"][0] if entry["tags"] else "", "OTHER")
            for target in entry["targets"]:
                lemma = target["lemma"]
                if any(t["normalizedTarget"] == lemma.lower() and t["posTag"] == pos for t in translations):
                    continue
                backs = []
                for back_entry in back.get(lemma, []):
                    if back_entry["tags"][:1] != target["tags"][:1]:
                        continue  # "casa" the noun, not "casar" the verb
                    for source in back_entry["targets"]:
                        text = source["lemma"]
                        if text.lower() not in {b["normalizedText"] for b in backs}:
                            backs.append({"normalizedText": text.lower(), "displayText": text,
                                          "numExamples": 0, "frequencyCount": 0})
                translations.append({"normalizedTarget": lemma.lower(), "displayTarget": lemma, "posTag": pos,
                                     "confidence": 0.0, "prefixWord": "", "backTranslations": backs})
        for t in translations:  # no frequencies in a rule-based dictionary: an even share each
            t["confidence"] = round(1.0 / len(translations), 4)
        values.append({"normalizedSource": word.lower(), "displaySource": word, "translations": translations})
    return JSONResponse(values, headers=_meter(ctx, sum(len(t) for t in texts)))


async def _examples(service: TranslatorService, request: Request, query: Query, version: str,
                    ctx: RequestContext) -> Response:
    _v3_only(version, "dictionary/examples")
    fail = _error(version)
    _dictionary_pair(service, query, fail)
    items = _text_items(await _body(service, request), ("Text", "Translation"), fail,
                        (DICT_ELEMENTS, DICT_ELEMENT_CHARS))
    # Apertium's dictionaries hold no example sentences: every pair is answered, with none.
    values = [{"normalizedSource": it["Text"].strip().lower(), "normalizedTarget": it["Translation"].strip().lower(),
               "examples": []} for it in items]
    return JSONResponse(values, headers=_meter(ctx, sum(len(it["Text"]) + len(it["Translation"]) for it in items)))


SCOPES = ("translation", "transliteration", "dictionary")


async def _languages(service: TranslatorService, request: Request, query: Query, version: str,
                     ctx: RequestContext) -> Response:
    fail = _error(version)
    raw = query.get("scope")
    scopes = [s.strip().lower() for s in raw.split(",")] if raw else list(SCOPES)
    for scope in scopes:
        if scope not in SCOPES:
            raise fail(E.INVALID_SCOPE, f"scope {scope!r} is not valid: use {', '.join(SCOPES)} (comma-separated).")
    display = catalog.display_language(request.headers.get("accept-language"))
    body = languages_body(service, tuple(s for s in SCOPES if s in scopes), display, version)
    data = orjson.dumps(body)
    etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "X-RequestId": ctx.request_id}
    if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(data, media_type="application/json; charset=utf-8", headers=headers)


def languages_body(service: TranslatorService, scopes: tuple[str, ...], display: str, version: str) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if "translation" in scopes:
        body["translation"] = {}
        for code in sorted(service.router.languages()):
            entry: dict[str, Any] = {"name": catalog.name(code, display), "nativeName": catalog.native_name(code),
                                     "dir": catalog.direction(code)}
            if version == V2026:
                entry["models"] = []
            body["translation"][code] = entry
    if "transliteration" in scopes:
        body["transliteration"] = {}
        for code in sorted(service.transliterator.support):
            scripts = []
            for from_script, to_scripts in service.transliterator.scripts(code).items():
                scripts.append({
                    **_script(from_script, code, display),
                    "toScripts": [_script(s, code, display) for s in to_scripts],
                })
            body["transliteration"][code] = {"name": catalog.name(code, display),
                                             "nativeName": catalog.native_name(code), "scripts": scripts}
    if "dictionary" in scopes and version == V3:
        body["dictionary"] = {}
        pairs = sorted(p for p in service.apertium.modes if service.apertium.has_dictionary(p))
        for source in sorted({s for s, _ in pairs}):
            body["dictionary"][source] = {
                "name": catalog.name(source, display), "nativeName": catalog.native_name(source),
                "dir": catalog.direction(source),
                "translations": [{"name": catalog.name(t, display), "nativeName": catalog.native_name(t),
                                  "dir": catalog.direction(t), "code": t} for s, t in pairs if s == source],
            }
    if version == V2026:
        body["models"] = []
    return body


def _script(script: str, language: str, display: str) -> dict[str, str]:
    return {"code": script, "name": catalog.script_name(script, display),
            "nativeName": catalog.script_native_name(script, language), "dir": catalog.script_direction(script)}


# --- synchronous document translation ----------------------------------------------------------

DOCUMENT_PATH = "/translator/document:translate"
MAX_DOCUMENT_BYTES = 10_000_000  # Azure's limit for a synchronous request's document: 10 MB
_DOCUMENT_VERSION = re.compile(r"^20\d\d-\d\d-\d\d(-preview)?$")


def _multipart(body: bytes, content_type: str) -> dict[str, tuple[str | None, str | None, bytes]]:
    """The parts of a multipart/form-data body: name -> (file name, content type, bytes)."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    if not message.is_multipart():
        raise BadRequest("The request body is not multipart/form-data: send the file as the form field "
                         "'document' (curl -F \"document=@file.docx;type=...\").", inner_code="InvalidDocument")
    parts = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name:
            payload = part.get_payload(decode=True) or b""
            parts[str(name)] = (part.get_filename(), part.get_content_type() if part.get("content-type") else None,
                                payload)
    return parts


def build_document_router(service: TranslatorService) -> APIRouter:
    router = APIRouter(tags=["Translator documents"])

    async def translate_document(request: Request, ctx: RequestContext = Depends(request_context)) -> Response:
        query = Query(request)
        version = query.get("api-version")
        if not version or not _DOCUMENT_VERSION.match(version.strip()):
            raise BadRequest(f"api-version {version!r} is missing or not valid: use e.g. api-version=2024-05-01.",
                             code="InvalidArgument", inner_code="InvalidApiVersion")
        target_raw, source_raw = query.get("targetLanguage"), query.get("sourceLanguage")
        known = {code.lower(): code for code in service.router.languages()}
        if not target_raw or target_raw.strip().lower() not in known:
            raise BadRequest(f"targetLanguage {target_raw!r} is missing or not served here; GET "
                             "/languages?api-version=3.0 lists the languages.", code="InvalidArgument",
                             inner_code="InvalidTargetDocumentLanguage")
        target = known[target_raw.strip().lower()]
        content_type = request.headers.get("content-type", "")
        if not content_type.lower().startswith("multipart/form-data"):
            raise UnsupportedMediaType("Send the document as multipart/form-data in the field 'document'.",
                                       inner_code="InvalidContentType")
        body = await read_bytes(request, service.runtime.settings.max_file_bytes)
        parts = _multipart(body, content_type)
        if "document" not in parts:
            raise BadRequest("The form has no 'document' field: send the file as -F \"document=@file;type=...\".",
                             code="InvalidRequest", inner_code="MissingDocument")
        filename, part_type, data = parts["document"]
        if len(data) > MAX_DOCUMENT_BYTES:
            raise PayloadTooLarge(f"The document has {len(data):,} bytes; synchronous translation takes at most "
                                  f"{MAX_DOCUMENT_BYTES:,}.", inner_code="DocumentTooLarge")
        terms = None
        if "glossary" in parts:
            try:
                terms = glossary.parse(*parts["glossary"])
            except glossary.GlossaryError as exc:
                raise BadRequest(str(exc), code="InvalidArgument", inner_code="InvalidGlossary") from None
        try:
            fmt = documents.detect_format(filename, part_type)
            text = await service.runtime.pool.run("documents", documents.text_of, fmt, data)
        except documents.DocumentWithoutText as exc:
            raise BadRequest(str(exc), code="InvalidRequest", inner_code="DocumentHasNoText") from None
        except documents.UnsupportedDocument as exc:
            raise UnsupportedMediaType(str(exc), inner_code="InvalidDocumentFormat") from None
        except documents.DocumentToolMissing as exc:
            raise ServiceUnavailable(str(exc)) from exc
        if source_raw:
            source = known.get(source_raw.strip().lower())
            if source is None:
                raise BadRequest(f"sourceLanguage {source_raw!r} is not served here.", code="InvalidArgument",
                                 inner_code="InvalidSourceDocumentLanguage")
        else:
            sample = text[:2000]
            [detection] = await service.runtime.pool.run(service.detector.name, service.detector.detect,
                                                         [sample], [None])
            code = _DETECTED.get(detection.language or "", detection.language or "")
            source = known.get(code.lower()) if code else None
            if source is None:
                raise BadRequest(f"The document's language ({code or 'unknown'}) is not served here; pass "
                                 "sourceLanguage.", code="InvalidArgument", inner_code="InvalidSourceDocumentLanguage")
        route = service.router.route(source, target) if source != target else None
        if source != target and route is None:
            raise BadRequest(f"No installed engine translates {source} to {target}.", code="InvalidArgument",
                             inner_code="UnsupportedLanguagePair")

        def translate(texts: Sequence[str], markup: bool) -> list[str]:
            return list(texts) if route is None else service.router.translate(route, texts, markup)

        forced = terms.wrap(translate) if terms is not None and route is not None else translate
        try:
            out = await service.runtime.pool.run(route.system if route else "none", documents.translate_document,
                                                 fmt, data, forced)
        except documents.DocumentWithoutText as exc:
            raise BadRequest(str(exc), code="InvalidRequest", inner_code="DocumentHasNoText") from None
        except documents.UnsupportedDocument as exc:
            raise UnsupportedMediaType(str(exc), inner_code="InvalidDocumentFormat") from None
        except documents.DocumentToolMissing as exc:
            raise ServiceUnavailable(str(exc)) from exc
        except EngineUnavailable as exc:
            raise ServiceUnavailable(f"Translation engine unavailable: {exc}. Retry shortly.",
                                     headers={"Retry-After": "2"}) from exc
        from airgap.services.translator.service import DOCUMENT_CHARACTERS

        billed = len(text)
        ctx.meter(DOCUMENT_CHARACTERS, billed)
        headers = {"X-Metered-Usage": str(billed), "X-RequestId": ctx.request_id,
                   "X-MT-System": route.system if route else "none"}
        return Response(out, media_type=fmt.content_type, headers=headers)

    router.add_api_route(DOCUMENT_PATH, translate_document, methods=["POST"], name="translator-document-translate",
                         summary="Translate one document synchronously (text, HTML, Markdown, DOCX, PDF)",
                         openapi_extra={"parameters": [
                             {"name": n, "in": "query", "required": n in ("api-version", "targetLanguage"),
                              "schema": {"type": "string"}}
                             for n in ("api-version", "sourceLanguage", "targetLanguage")]})
    return router
