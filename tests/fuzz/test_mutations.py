"""Valid requests of every API, damaged by hypothesis: each answer is a success or an Azure error
envelope (``wire.check``), never a 500; an accepted job can be polled; the server survives
(``conftest.survives``: alive, no traceback in its log)."""

from __future__ import annotations

import io
import json
import time

import httpx
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from tests.fuzz.mutate import b64, mutated_bytes, mutated_json, query_string
from tests.fuzz.wire import check

FUZZ = settings(max_examples=40, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
FUZZ_FILES = settings(FUZZ, max_examples=30)

DOCS = [{"id": "1", "text": "Satya Nadella met Marie at Contoso in Paris. The food was great!", "language": "en"},
        {"id": "2", "text": "Call 555-0100 or write to jane@contoso.com.", "language": "en"}]
TA_QUERY = {"model-version": [b"latest"], "showStats": [b"true", b"false"], "stringIndexType": [b"UnicodeCodePoint",
            b"Utf16CodeUnit", b"TextElement_v8"], "loggingOptOut": [b"true"], "opinionMining": [b"true"],
            "domain": [b"phi"], "piiCategories": [b"Email,PhoneNumber"]}

# (path, valid body, query parameters with their valid values)
LANGUAGE = {
    "ta-v3.0-languages": ("/text/analytics/v3.0/languages", {"documents": [{"id": "1", "text": "Bonjour", "countryHint": "FR"}]},
                          TA_QUERY),
    "ta-v3.1-sentiment": ("/text/analytics/v3.1/sentiment", {"documents": DOCS}, TA_QUERY),
    "ta-v3.1-pii": ("/text/analytics/v3.1/entities/recognition/pii", {"documents": DOCS}, TA_QUERY),
    "ta-v3.0-entities": ("/text/analytics/v3.0/entities/recognition/general", {"documents": DOCS}, TA_QUERY),
    "ta-v3.1-keyphrases": ("/text/analytics/v3.1/keyPhrases", {"documents": DOCS}, TA_QUERY),
    "language-sync": ("/language/:analyze-text", {
        "kind": "SentimentAnalysis", "analysisInput": {"documents": DOCS},
        "parameters": {"modelVersion": "latest", "opinionMining": True, "stringIndexType": "Utf16CodeUnit"}},
        {"api-version": [b"2023-04-01", b"2022-05-01"], "showStats": [b"true"]}),
    "language-sync-pii": ("/language/:analyze-text", {
        "kind": "PiiEntityRecognition", "analysisInput": {"documents": DOCS},
        "parameters": {"domain": "phi", "piiCategories": ["Email"], "redactionCharacter": "#"}},
        {"api-version": [b"2023-04-01"]}),
    "language-jobs": ("/language/analyze-text/jobs", {
        "displayName": "fuzz", "analysisInput": {"documents": DOCS},
        "tasks": [{"kind": "ExtractiveSummarization", "taskName": "s", "parameters": {"sentenceCount": 2}},
                  {"kind": "EntityRecognition", "parameters": {"stringIndexType": "TextElements_v8"}}]},
        {"api-version": [b"2023-04-01", b"2022-05-01"]}),
    "ta-v3.1-analyze": ("/text/analytics/v3.1/analyze", {
        "displayName": "fuzz", "analysisInput": {"documents": DOCS},
        "tasks": {"entityRecognitionTasks": [{"parameters": {"model-version": "latest"}}],
                  "keyPhraseExtractionTasks": [{}]}}, {}),
}

# Translator: 3.0 (bare arrays) and 2026-06-06 ({"inputs": ...}) on the same paths.
TRANSLATOR = {
    "translate-3.0": ("/translate", [{"Text": "The house is red."}, {"text": "<b>Le chat</b> est noir."}],
                      {"api-version": [b"3.0"], "to": [b"es", b"fr", b"pt-pt"], "from": [b"en", b"fr", b""],
                       "textType": [b"plain", b"Html"], "includeSentenceLength": [b"true"],
                       "profanityAction": [b"Marked", b"Deleted"]}),
    "translate-2026": ("/translate", {"inputs": [{"text": "The house is red.", "language": "en", "textType": "Html",
                                                  "targets": [{"language": "es", "profanityAction": "Marked"},
                                                              {"language": "fr"}]}]},
                       {"api-version": [b"2026-06-06"]}),
    "transliterate": ("/transliterate", [{"text": "こんにちは"}, {"text": "Привет"}],
                      {"api-version": [b"3.0", b"2026-06-06"], "language": [b"ja", b"ru"],
                       "fromScript": [b"Jpan", b"Cyrl"], "toScript": [b"Latn"]}),
    "breaksentence": ("/breaksentence", [{"text": "Hello. How are you?"}], {"api-version": [b"3.0"],
                                                                            "language": [b"en", b"xx"]}),
    "dictionary": ("/dictionary/lookup", [{"text": "house"}], {"api-version": [b"3.0"], "from": [b"en"],
                                                               "to": [b"es", b"fr"]}),
}


@pytest.mark.parametrize("name", list(TRANSLATOR))
def test_translator_mutated_json(client: httpx.Client, name: str) -> None:
    path, body, params = TRANSLATOR[name]
    required = tuple(k for k in ("api-version", "to", "from", "language", "fromScript", "toScript") if k in params)

    @FUZZ
    @given(payload=st.just(body) | mutated_json(body) | mutated_json(body), query=query_string(params, required))
    def run(payload, query: str) -> None:
        response = client.post(f"{path}?{query}", content=json.dumps(payload, ensure_ascii=False).encode(),
                               headers={"content-type": "application/json"})
        check(response, f"{name} {query!r} {payload!r}"[:3000])

    run()


JSON_TYPES = ["application/json", "application/json; charset=utf-8", "text/json", "application/merge-patch+json",
              "text/plain", "application/octet-stream", "multipart/form-data; boundary=x", "", "application/json; charset=latin-1"]


def _poll_accepted(client: httpx.Client, response: httpx.Response) -> None:
    """An accepted job is never lost: its Operation-Location answers."""
    if response.status_code != 202:
        return
    location = response.headers.get("operation-location")
    assert location, f"202 without Operation-Location: {response.request.url}"
    poll = client.get(location)
    check(poll)
    assert poll.status_code == 200, f"accepted job not found at {location}: {poll.text[:300]}"


@pytest.mark.parametrize("name", list(LANGUAGE))
def test_language_mutated_json(client: httpx.Client, name: str) -> None:
    path, body, params = LANGUAGE[name]

    @FUZZ
    @given(payload=st.just(body) | mutated_json(body) | mutated_json(body), query=query_string(params))
    def run(payload, query: str) -> None:
        response = client.post(f"{path}?{query}", content=json.dumps(payload, ensure_ascii=False).encode(),
                               headers={"content-type": "application/json"})
        check(response, f"{name} {query!r} {payload!r}"[:3000])
        _poll_accepted(client, response)

    run()


@pytest.mark.parametrize("name", ["ta-v3.1-sentiment", "language-sync", "language-jobs"])
def test_language_damaged_body(client: httpx.Client, name: str) -> None:
    path, body, params = LANGUAGE[name]
    valid = orjson.dumps(body)

    @FUZZ
    @given(raw=mutated_bytes(valid) | st.sampled_from([valid.replace(b"Paris", b"Par\xffis"), b"\xef\xbb\xbf" + valid,
                                                       valid.decode().encode("utf-16"), valid[:-1], b"[" * 5000]),
           content_type=st.sampled_from(JSON_TYPES), query=query_string(params))
    def run(raw: bytes, content_type: str, query: str) -> None:
        headers = {"content-type": content_type} if content_type else {}
        response = client.post(f"{path}?{query}", content=raw, headers=headers)
        check(response, f"{name} {content_type} {query!r} {raw[:200]!r}")
        _poll_accepted(client, response)

    run()


# Text an engine must survive: combining marks, emoji and ZWJ sequences, RTL, controls, CRLF, long runs.
TRICKY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300) | st.sampled_from([
    "e\u0301" * 50, "👩\u200d👩\u200d👧" * 20, "שלום עולם. مرحبا بالعالم.", "\r\n\t" * 40, "\x00\x01\x7f", "。" * 300,
    "Mr. A. B. C. D.", "a" * 5120, "Call 555-0100. " * 100, "🇫🇷" * 100, "\u202e" + "evil", " " * 100])
KINDS = ["LanguageDetection", "SentimentAnalysis", "KeyPhraseExtraction", "EntityRecognition", "PiiEntityRecognition"]
INDEX_TYPES = ["TextElements_v8", "UnicodeCodePoint", "Utf16CodeUnit"]


@settings(FUZZ, max_examples=150)
@given(kind=st.sampled_from(KINDS), texts=st.lists(TRICKY_TEXT, min_size=1, max_size=3),
       index=st.sampled_from(INDEX_TYPES), language=st.sampled_from(["en", "fr", "es", "", "xx"]),
       opinion=st.booleans())
def test_language_engines_on_tricky_text(kind: str, texts: list[str], index: str, language: str, opinion: bool,
                                         fuzz_server) -> None:
    documents = [{"id": str(i), "text": text, "language": language} for i, text in enumerate(texts)]
    parameters = {"stringIndexType": index, **({"opinionMining": True} if opinion and kind == "SentimentAnalysis" else {})}
    response = httpx.post(f"{fuzz_server.url}/language/:analyze-text?api-version=2023-04-01&showStats=true", timeout=120,
                          json={"kind": kind, "analysisInput": {"documents": documents}, "parameters": parameters})
    check(response, f"{kind} {index} {language} {texts!r}"[:3000])
    assert response.status_code == 200, response.text[:500]  # a well-formed request: per-document errors only


@settings(FUZZ, max_examples=20)
@given(texts=st.lists(TRICKY_TEXT, min_size=1, max_size=3), index=st.sampled_from(INDEX_TYPES),
       count=st.integers(-1, 25), order=st.sampled_from(["Offset", "Rank", "Bogus"]))
def test_language_jobs_on_tricky_text_finish(texts: list[str], index: str, count: int, order: str, fuzz_server) -> None:
    """A job accepted with odd text or task parameters finishes; none of its tasks fails inside the server."""
    body = {"analysisInput": {"documents": [{"id": str(i), "text": t, "language": "en"} for i, t in enumerate(texts)]},
            "tasks": [{"kind": "ExtractiveSummarization", "parameters": {"sentenceCount": count, "sortBy": order,
                                                                          "stringIndexType": index}},
                      {"kind": "PiiEntityRecognition", "parameters": {"stringIndexType": index}},
                      {"kind": "SentimentAnalysis", "parameters": {"opinionMining": True}}]}
    with httpx.Client(base_url=fuzz_server.url, timeout=120) as client:
        response = client.post("/language/analyze-text/jobs?api-version=2023-04-01", json=body)
        check(response, f"{body!r}"[:2000])
        if response.status_code != 202:
            return
        for _ in range(2400):
            poll = client.get(response.headers["operation-location"])
            check(poll)
            state = poll.json()
            if state["status"] not in ("notStarted", "running"):
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the job never finished")
        assert state["status"] == "succeeded", f"{state}"[:2000]


def _png() -> bytes:
    image = Image.new("RGB", (240, 64), "white")
    ImageDraw.Draw(image).text((12, 24), "INVOICE 42", fill="black")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _pdf() -> bytes:
    image = Image.new("RGB", (240, 64), "white")
    ImageDraw.Draw(image).text((12, 24), "TOTAL 7", fill="black")
    out = io.BytesIO()
    image.save(out, "PDF", resolution=72)
    return out.getvalue()


PNG, PDF = _png(), _pdf()
FILE_TYPES = ["application/octet-stream"] * 6 + ["image/png", "image/jpeg", "image/tiff", "application/pdf", "image/x-weird",
              "image/svg+xml", "text/plain", "multipart/form-data; boundary=x", "", "application/json"]
READ_QUERY = {"language": [b"en"], "pages": [b"1", b"1-2", b"1,3"], "readingOrder": [b"natural", b"basic"],
              "model-version": [b"latest", b"2022-04-30"]}
IA_QUERY = {"api-version": [b"2024-02-01", b"2023-10-01"], "features": [b"read", b"read", b"read,caption", b"tags"],
            "language": [b"en"], "gender-neutral-caption": [b"true"], "smartcrops-aspect-ratios": [b"0.9,1.33"]}
DOC_QUERY = {"pages": [b"1", b"1-3"], "locale": [b"en-US", b"en"], "stringIndexType": [b"textElements",
             b"unicodeCodePoint", b"utf16CodeUnit"], "features": [b"keyValuePairs", b"barcodes", b"ocrHighResolution"]}
UPLOADS = {
    "read-sync": ("/vision/v3.2/read/syncAnalyze", READ_QUERY),
    "read-async": ("/vision/v3.2/read/analyze", READ_QUERY),
    "imageanalysis": ("/computervision/imageanalysis:analyze", IA_QUERY, ("api-version", "features")),
    "fr-layout": ("/formrecognizer/documentModels/prebuilt-layout:analyze",
                  {**DOC_QUERY, "api-version": [b"2023-07-31", b"2022-08-31"]}),
    "di-read": ("/documentintelligence/documentModels/prebuilt-read:analyze",
                {**DOC_QUERY, "api-version": [b"2024-11-30"], "outputContentFormat": [b"markdown", b"text"]}),
}


ODD_URLS = ["http://[::1", "http://127.0.0.1:99999/x", "http://127.0.0.1:abc/", "http://127.0.0.1:9/x.png", "ftp://127.0.0.1/x",
            "http://user:pw@127.0.0.1:9/x", "http://127.0.0.1:9/\x00", "http:///x", "//127.0.0.1/x", "http://0x7f000001:9/",
            "http://127.0.0.1:9/" + "a" * 9000, "file:///etc/passwd", "http://127.0.0.1:0/", "http://example.com/x.png", ""]


@st.composite
def upload_body(draw: st.DrawFn) -> tuple[bytes, str]:
    """Raw file bytes under some content type, or a JSON body carrying them (base64Source, url)."""
    valid = draw(st.sampled_from([PNG, PDF]))
    data = draw(st.just(valid) | mutated_bytes(valid))
    shape = draw(st.sampled_from(["raw", "raw", "raw", "base64", "json", "url"]))
    if shape == "raw":
        return data, draw(st.sampled_from(FILE_TYPES))
    if shape == "url":
        key = draw(st.sampled_from(["url", "urlSource"]))
        return json.dumps({key: draw(st.sampled_from(ODD_URLS) | st.text(max_size=30))}).encode(), "application/json"
    if shape == "base64":
        encoded = draw(st.sampled_from([b64(data), b64(data)[:-3], "***" + b64(data), b64(data).replace("A", "-")]))
        return orjson.dumps({"base64Source": encoded}), "application/json"
    return json.dumps(draw(mutated_json({"urlSource": "http://127.0.0.1:9/x.png", "base64Source": b64(PNG)}))).encode(), \
        "application/json"


@pytest.mark.parametrize("name", list(UPLOADS))
def test_upload_routes_damaged_files(client: httpx.Client, name: str) -> None:
    path, params, *required = UPLOADS[name]

    @FUZZ_FILES
    @given(body=upload_body(), query=query_string(params, *required))
    def run(body: tuple[bytes, str], query: str) -> None:
        data, content_type = body
        headers = {"content-type": content_type} if content_type else {}
        response = client.post(f"{path}?{query}", content=data, headers=headers)
        check(response, f"{name} {content_type} {query!r} {data[:120]!r}")
        _poll_accepted(client, response)

    run()


@st.composite
def path_segment(draw: st.DrawFn) -> str:
    from urllib.parse import quote

    raw = draw(st.sampled_from(["03", "3", "00", "13", "0x3", "-1", "2026", "99999999999999999999", "", " ", "١٢",
                                "²", "%FF", "..", "01.0"]) | st.text(max_size=12))
    return quote(raw, safe="") or "%20"


@FUZZ
@given(month=path_segment(), year=path_segment(), tail=st.sampled_from(["", "/", "/extra"]))
def test_records_odd_month_year(month: str, year: str, tail: str, fuzz_server) -> None:
    response = httpx.get(f"{fuzz_server.url}/records/usage-logs/{month}/{year}{tail}", timeout=60)
    check(response)


@FUZZ
@given(job_id=st.text(max_size=40) | st.sampled_from(["..", "../../etc/passwd", "a" * 300, "%00", "pending"]),
       query=query_string({"api-version": [b"2023-04-01", b"2024-11-30", b"2023-07-31"], "showStats": [b"true"],
                           "top": [b"5"], "skip": [b"1"]}))
def test_job_polls_with_odd_ids(job_id: str, query: str, fuzz_server) -> None:
    from urllib.parse import quote

    segment = quote(job_id, safe="") or "x"
    for path in (f"/language/analyze-text/jobs/{segment}", f"/text/analytics/v3.1/analyze/jobs/{segment}",
                 f"/vision/v3.2/read/analyzeResults/{segment}",
                 f"/documentintelligence/documentModels/prebuilt-read/analyzeResults/{segment}",
                 f"/formrecognizer/documentModels/prebuilt-layout/analyzeResults/{segment}"):
        check(httpx.get(f"{fuzz_server.url}{path}?{query}", timeout=60))
    check(httpx.post(f"{fuzz_server.url}/language/analyze-text/jobs/{segment}:cancel?{query}", timeout=60))


def test_fixture_files_are_readable(client: httpx.Client) -> None:
    """The valid bases of the mutations really are valid, so the fuzzers start from a success."""
    assert client.post("/vision/v3.2/read/syncAnalyze", content=PNG,
                       headers={"content-type": "image/png"}).status_code == 200
    response = client.post("/documentintelligence/documentModels/prebuilt-read:analyze?api-version=2024-11-30",
                           content=PDF, headers={"content-type": "application/pdf"})
    assert response.status_code == 202, response.text
    for name, (path, body, _) in LANGUAGE.items():
        version = "?api-version=2023-04-01" if path.startswith("/language") else ""
        response = client.post(path + version, json=body)
        assert response.status_code in (200, 202), f"{name}: {response.text[:300]}"




POLL_QUERY = {"showStats": [b"true"],
              "top": [b"1", b"5"], "skip": [b"0", b"1"], "$top": [b"2"], "$skip": [b"1"]}


def test_real_job_polls_with_odd_queries(client: httpx.Client) -> None:
    """Odd paging and flags on the polls of real jobs of every job API."""
    submissions = [
        ("/language/analyze-text/jobs?api-version=2023-04-01", {"json": LANGUAGE["language-jobs"][1]}),
        ("/text/analytics/v3.1/analyze", {"json": LANGUAGE["ta-v3.1-analyze"][1]}),
        ("/vision/v3.2/read/analyze", {"content": PNG, "headers": {"content-type": "image/png"}}),
        ("/documentintelligence/documentModels/prebuilt-layout:analyze?api-version=2024-11-30",
         {"content": PDF, "headers": {"content-type": "application/pdf"}}),
    ]
    locations = []
    for path, kwargs in submissions:
        response = client.post(path, **kwargs)
        assert response.status_code == 202, f"{path}: {response.text[:300]}"
        location = response.headers["operation-location"]
        locations.append(location + ("&" if "?" in location else "?"))

    @FUZZ
    @given(index=st.integers(0, len(locations) - 1), query=query_string(POLL_QUERY, required=()),
           cancel=st.booleans())
    def run(index: int, query: str, cancel: bool) -> None:
        location = locations[index]
        check(client.get(location + query))
        if cancel and "/language/" in location:
            path, _, given = location.partition("?")
            check(client.post(f"{path}:cancel?{given}{query}"))

    run()
