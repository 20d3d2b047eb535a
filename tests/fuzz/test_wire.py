"""Malformed HTTP sent byte for byte: invalid UTF-8 in the query and headers, huge and duplicate
query strings, uploads cut short. Requests the HTTP parser itself rejects get its plain 400 (no
application code runs, so no envelope is possible); everything that reaches the app gets the envelope.
"""

from __future__ import annotations

import socket
import time
from pathlib import Path

import httpx
import pytest

from tests.fuzz.test_mutations import PNG
from tests.fuzz.wire import check_response, raw_request
from tests.support.server import ServerProcess

LANGUAGE_BODY = b'{"kind":"LanguageDetection","analysisInput":{"documents":[{"id":"1","text":"Bonjour tout le monde"}]}}'
JSON = b"Content-Type: application/json\r\n"


def send(server: ServerProcess, target: bytes, headers: bytes = JSON, body: bytes = LANGUAGE_BODY,
         method: bytes = b"POST") -> tuple[int, dict[str, str], bytes]:
    request = (method + b" " + target + b" HTTP/1.1\r\nHost: localhost\r\n" + headers
               + b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
    return raw_request(server.port, request)


# (what, request target, extra headers): each reaches the application and must be an envelope or a success.
APP_CASES = [
    ("percent-encoded invalid UTF-8 api-version", b"/language/:analyze-text?api-version=%FF%FE", JSON),
    ("percent-encoded lone surrogate", b"/language/:analyze-text?api-version=%ED%A0%80", JSON),
    ("NUL in query", b"/language/:analyze-text?api-version=2023-04-01%00", JSON),
    ("invalid UTF-8 in Content-Type", b"/language/:analyze-text?api-version=2023-04-01",
     b"Content-Type: application/json\xff\r\n"),
    ("invalid UTF-8 in other headers", b"/language/:analyze-text?api-version=2023-04-01",
     JSON + b"X-Ms-Client-Request-Id: \xff\xfe\r\nOcp-Apim-Subscription-Key: \xc3\r\nAccept-Language: \xe9\r\n"),
    ("duplicate api-version, bad last", b"/language/:analyze-text?api-version=2023-04-01&api-version=bogus", JSON),
    ("duplicate api-version, good last", b"/language/:analyze-text?api-version=bogus&api-version=2023-04-01", JSON),
    ("many query keys", b"/language/:analyze-text?api-version=2023-04-01&" + b"&".join(b"k%d=v" % i for i in range(500)),
     JSON),
    ("4 KB query value", b"/language/:analyze-text?api-version=" + b"9" * 4096, JSON),
    ("duplicate pages", b"/vision/v3.2/read/syncAnalyze?pages=1&pages=x", b"Content-Type: image/png\r\n"),
    ("invalid UTF-8 pages", b"/vision/v3.2/read/syncAnalyze?pages=%C3%28&language=%FF", b"Content-Type: image/png\r\n"),
    ("invalid UTF-8 locale", (b"/documentintelligence/documentModels/prebuilt-read:analyze?api-version=2024-11-30"
                              b"&locale=%FF-%FE&stringIndexType=%C3"), b"Content-Type: image/png\r\n"),
    ("invalid UTF-8 records month", b"/records/usage-logs/%FF/2026", b""),
]


@pytest.mark.parametrize("what,target,headers", APP_CASES, ids=[c[0] for c in APP_CASES])
def test_odd_bytes_reaching_the_app_get_an_envelope(fuzz_server: ServerProcess, what: str, target: bytes,
                                                     headers: bytes) -> None:
    body = PNG if b"image/png" in headers else LANGUAGE_BODY
    method = b"GET" if target.startswith(b"/records") else b"POST"
    status, response_headers, payload = send(fuzz_server, target, headers, body if method == b"POST" else b"", method)
    check_response(status, response_headers, payload, what)


# The HTTP parser refuses these before any application code runs: a 4xx and a live server is the bar.
PARSER_CASES = [
    ("raw invalid UTF-8 in the request line", b"/language/:analyze-text?api-version=\xff\xfe", JSON),
    ("raw invalid UTF-8 in a path", b"/records/usage-logs/\xff/2026", JSON),
    ("100 KB query string", b"/language/:analyze-text?api-version=2023-04-01&x=" + b"a" * 100_000, JSON),
    ("two Content-Length headers", b"/language/:analyze-text?api-version=2023-04-01", JSON + b"Content-Length: 3\r\n"),
    ("negative Content-Length", b"/vision/v3.2/read/syncAnalyze", b"Content-Type: image/png\r\nContent-Length: -5\r\n"),
]


@pytest.mark.parametrize("what,target,headers", PARSER_CASES, ids=[c[0] for c in PARSER_CASES])
def test_requests_the_parser_refuses_are_4xx(fuzz_server: ServerProcess, what: str, target: bytes,
                                             headers: bytes) -> None:
    status, _, payload = send(fuzz_server, target, headers)
    assert 400 <= status < 500, f"{what}: HTTP {status}: {payload[:300]!r}"


# Upload routes; a request cut short must leave no job and no usage record behind.
CUT_SHORT = [
    ("read-async", b"/vision/v3.2/read/analyze", b"image/png", PNG),
    ("read-sync", b"/vision/v3.2/read/syncAnalyze", b"image/png", PNG),
    ("imageanalysis", b"/computervision/imageanalysis:analyze?api-version=2024-02-01&features=read", b"image/png", PNG),
    ("fr-layout", b"/formrecognizer/documentModels/prebuilt-layout:analyze?api-version=2023-07-31",
     b"application/octet-stream", PNG),
    ("di-read-json", b"/documentintelligence/documentModels/prebuilt-read:analyze?api-version=2024-11-30",
     b"application/json", b'{"base64Source": "' + b"QUJD" * 200),
    ("language-jobs", b"/language/analyze-text/jobs?api-version=2023-04-01", b"application/json", LANGUAGE_BODY),
    ("language-sync", b"/language/:analyze-text?api-version=2023-04-01", b"application/json", LANGUAGE_BODY),
]


def _answered(server: ServerProcess, method: str = "POST") -> float:
    """How many requests the server has finished, from its Prometheus counter."""
    text = httpx.get(f"{server.url}/metrics", timeout=30).text
    # Route templates hold braces ({model_id}), so the value is simply the line's last field.
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith("airgap_requests_total{") and f'method="{method}"' in line)


def _state(server: ServerProcess) -> tuple[list[str], list[tuple[str, int]]]:
    output = Path(server.output_dir)
    jobs = sorted(str(p.relative_to(output)) for p in (output / "jobs").rglob("*.json")) \
        if (output / "jobs").exists() else []
    usage = sorted((str(p.relative_to(output)), p.stat().st_size) for p in (output / "usage").rglob("*.jsonl"))
    return jobs, usage


@pytest.mark.parametrize("name,target,content_type,body", CUT_SHORT, ids=[c[0] for c in CUT_SHORT])
def test_chunked_upload_cut_short_leaves_nothing(fuzz_server: ServerProcess, name: str, target: bytes,
                                                 content_type: bytes, body: bytes) -> None:
    before_state, before_count = _state(fuzz_server), _answered(fuzz_server)
    with socket.create_connection(("127.0.0.1", fuzz_server.port), timeout=30) as sock:
        sock.sendall(b"POST " + target + b" HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + content_type
                     + b"\r\nTransfer-Encoding: chunked\r\n\r\n")
        half = body[: len(body) // 2]
        sock.sendall(b"%x\r\n" % len(half) + half + b"\r\n")  # one chunk, then the client goes away
    # Wait (bounded) until the server has finished with the request, then look at what it left.
    for _ in range(600):
        if _answered(fuzz_server) > before_count:
            break
        time.sleep(0.05)
    else:
        raise AssertionError(f"{name}: the server never finished the cut-short request")
    assert _state(fuzz_server) == before_state, f"{name}: a cut-short upload left a job or a usage record"


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"])
def test_every_route_answers_other_methods_with_an_envelope(fuzz_server: ServerProcess, method: str) -> None:
    spec = httpx.get(f"{fuzz_server.url}/swagger/v1/swagger.json", timeout=30).json()
    paths = [p.replace("{", "").replace("}", "") for p in spec["paths"]] + ["/records/usage-logs", "/status", "/ready"]
    with httpx.Client(base_url=fuzz_server.url, timeout=60) as client:
        for path in paths:
            response = client.request(method, path, content=b"{}")
            check_response(response.status_code, response.headers, response.content, f"{method} {path}")
