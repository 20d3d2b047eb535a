"""The same score.py scripts and requests against Microsoft's azmlinfsrv 1.5.1 and ``airgap score``.

Each case sends one request to both servers (started once per script, as subprocesses) and
compares status, headers and body. Normalised, because they must differ:

- ``Date``, ``Server``, ``Connection``, ``Keep-Alive``: each HTTP server's own (gunicorn's sync
  workers close every connection; uvicorn keeps it open); reason phrases are not compared;
- ``x-ms-server-version``: ``azmlinfsrv/1.5.1`` there, ``airgap/<version>`` here (present in both);
- ``x-ms-run-fn-exec-ms``: a duration (checked to be milliseconds with three decimals);
- ``x-request-id`` and ``x-ms-request-id`` that the server made up: random UUID4s (checked to be
  one, and the same in both headers, as azmlinfsrv makes them);
- ``apim-request-id``: every airgap response has one (the platform's gateway); azmlinfsrv has none;
- ``Allow``'s order: Flask writes a set, in an order that changes with each process's hash seed.

Everything else, header order aside (repeated headers keep theirs), must be equal.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import pytest

from tests.scoring.support import UUID, Reply

DROPPED = {"date", "server", "connection", "keep-alive", "apim-request-id"}
GENERATED_ID_HEADERS = ("x-request-id", "x-ms-request-id")


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


def normalise(reply: Reply, sent: dict[str, str]) -> tuple[int, list[tuple[str, str]], bytes]:
    sent_values = set(sent.values())
    generated = None
    headers = []
    for name, value in reply.headers:
        if name in DROPPED:
            continue
        if name == "allow":  # Flask builds it from a set: its order changes with each process's hash seed
            value = ", ".join(sorted(value.split(", ")))
        elif name == "x-ms-server-version":
            value = "<server version>"
        elif name == "x-ms-run-fn-exec-ms":
            assert re.fullmatch(r"\d+\.\d{3}", value), value
            value = "<ms>"
        elif name in GENERATED_ID_HEADERS and value not in sent_values:
            assert UUID.match(value), value
            assert generated in (None, value), "x-request-id and x-ms-request-id differ"
            generated, value = value, "<generated uuid4>"
        headers.append((name, value))
    headers.sort(key=lambda kv: kv[0])  # stable: repeated headers keep their order
    return reply.status, headers, reply.body


def compare(servers, script: str, case: Case, env: dict[str, str] | None = None) -> tuple[Reply, Reply]:
    theirs = servers.get("azmlinfsrv", script, env).request(case.method, case.path, case.body, case.headers)
    ours = servers.get("airgap", script, env).request(case.method, case.path, case.body, case.headers)
    expected, actual = normalise(theirs, case.headers), normalise(ours, case.headers)
    assert actual[0] == expected[0], f"status: azmlinfsrv {expected[0]}, airgap {actual[0]}; bodies {theirs.body!r} / {ours.body!r}"
    assert actual[2] == expected[2], "bodies differ"
    assert actual[1] == expected[1], "headers differ"
    return theirs, ours


TEXT = {"Content-Type": "text/plain"}
JSON = {"Content-Type": "application/json"}
LONG_ID = "x" * 101

PLAIN = [
    Case("health", "GET", "/"),
    Case("health-head", "HEAD", "/"),
    Case("health-options", "OPTIONS", "/"),
    Case("health-post", "POST", "/", b"x", TEXT),
    Case("health-long-request-id", "GET", "/", headers={"x-request-id": LONG_ID}),
    Case("text", "POST", "/score", b"hello", TEXT),
    Case("json-body", "POST", "/score", b'{"a": [1, 2], "b": null}', JSON),
    Case("no-content-type", "POST", "/score", b"[1, 2]"),
    Case("empty-body", "POST", "/score", b"", TEXT),
    Case("form-body-is-empty-for-run", "POST", "/score", b"a=1&b=2", {"Content-Type": "application/x-www-form-urlencoded"}),
    Case("multipart-body-is-empty-for-run", "POST", "/score",
         b'--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--XyZ--\r\n',
         {"Content-Type": "multipart/form-data; boundary=XyZ"}),
    Case("form-over-flask-limit", "POST", "/score", b"a=" + b"x" * 600_000, {"Content-Type": "application/x-www-form-urlencoded"}),
    Case("large-body", "POST", "/score", b"y" * 2_000_000, TEXT),
    Case("utf8-body", "POST", "/score", "é ✓ 日本".encode(), {"Content-Type": "text/plain; charset=utf-8"}),
    Case("invalid-utf8", "POST", "/score", b"ab\xff\xfecd", TEXT),
    Case("latin1-declared", "POST", "/score", b"caf\xe9", {"Content-Type": "text/plain; charset=latin-1"}),
    Case("run-raises", "POST", "/score", b"fail", TEXT),
    Case("output-not-json", "POST", "/score", b"obj", TEXT),
    Case("output-none", "POST", "/score", b"none", TEXT),
    Case("output-string", "POST", "/score", b"text", TEXT),
    Case("output-nan", "POST", "/score", b"nan", TEXT),
    Case("output-unicode", "POST", "/score", b"unicode", TEXT),
    Case("run-raises-timeouterror", "POST", "/score", b"timeout-error", TEXT),
    Case("get-query", "GET", "/score?a=1&b=x&a=2&c=%5B1%2C2%5D&d=null&e=&f"),
    Case("get-query-odd-escapes", "GET", "/score?q=%7B%22k%22%3A1%7D&bad=%ff%fe&plus=a+b"),
    Case("get-no-query", "GET", "/score"),
    Case("options", "OPTIONS", "/score"),
    Case("head", "HEAD", "/score"),
    Case("put", "PUT", "/score", b"x", TEXT),
    Case("delete", "DELETE", "/score"),
    Case("patch-root", "PATCH", "/"),
    Case("not-found", "GET", "/nothere"),
    Case("path-case", "POST", "/Score", b"x", TEXT),
    Case("trailing-slash", "POST", "/score/", b"x", TEXT),
    Case("swagger-default", "GET", "/swagger.json"),
    Case("swagger-2", "GET", "/swagger.json?version=2"),
    Case("swagger-2.0", "GET", "/swagger.json?version=2.0"),
    Case("swagger-3", "GET", "/swagger.json?version=3"),
    Case("swagger-3.0", "GET", "/swagger.json?version=3.0"),
    Case("swagger-3.1", "GET", "/swagger.json?version=3.1"),
    Case("swagger-4", "GET", "/swagger.json?version=4"),
    Case("swagger-empty-version", "GET", "/swagger.json?version="),
    Case("swagger-repeated-version", "GET", "/swagger.json?version=3&version=2"),
    Case("swagger-post", "POST", "/swagger.json", b"{}", JSON),
    Case("swagger-options", "OPTIONS", "/swagger.json"),
    Case("request-id", "POST", "/score", b"1", {**TEXT, "x-request-id": "my-id-1"}),
    Case("request-id-empty", "POST", "/score", b"1", {**TEXT, "x-request-id": ""}),
    Case("request-id-too-long", "POST", "/score", b"1", {**TEXT, "x-request-id": LONG_ID}),
    Case("legacy-request-id", "POST", "/score", b"1", {**TEXT, "x-ms-request-id": "legacy-1"}),
    Case("client-request-id", "POST", "/score", b"1", {**TEXT, "x-ms-client-request-id": "client-1"}),
    Case("all-request-ids", "POST", "/score", b"1", {**TEXT, "x-request-id": "r", "x-ms-request-id": "l",
                                                      "x-ms-client-request-id": "c"}),
    Case("client-request-id-too-long", "POST", "/score", b"1", {**TEXT, "x-ms-client-request-id": LONG_ID}),
    Case("trace-id", "POST", "/score", b"1", {**TEXT, "TraceId": "trace-7"}),
]


@pytest.mark.parametrize("case", PLAIN, ids=lambda c: c.name)
def test_undecorated_run(servers, case):
    compare(servers, "plain.py", case)


HEADERS = [
    Case("post", "POST", "/score", b"data", {**TEXT, "X-Custom": "v1", "x-lower": "v2"}),
    Case("get", "GET", "/score?x=1", headers={"X-Custom": "v1"}),
    Case("json", "POST", "/score", b'{"k": 1}', {**JSON, "Authorization": "Bearer abc"}),
]


@pytest.mark.parametrize("case", HEADERS, ids=lambda c: c.name)
def test_run_with_request_headers(servers, case):
    compare(servers, "headers.py", case)


NUMPY = [
    Case("rows", "POST", "/score", b'{"data": [[1, 2, 3], [4, 5, 6]]}', JSON),
    Case("json-subtype", "POST", "/score", b'{"data": [[1, 2, 3]]}', {"Content-Type": "application/vnd.api+json"}),
    Case("json-charset", "POST", "/score", b'{"data": [[1, 2, 3]]}', {"Content-Type": "application/json; charset=utf-8"}),
    Case("extra-keys", "POST", "/score", b'{"data": [[1, 2, 3]], "other": 1}', JSON),
    Case("text-plain", "POST", "/score", b'{"data": [[1, 2, 3]]}', TEXT),
    Case("no-content-type", "POST", "/score", b'{"data": [[1, 2, 3]]}'),
    Case("form-type", "POST", "/score", b"data=1", {"Content-Type": "application/x-www-form-urlencoded"}),
    Case("empty", "POST", "/score", b"", JSON),
    Case("not-json", "POST", "/score", b"{data: 1}", JSON),
    Case("not-an-object", "POST", "/score", b"[1, 2]", JSON),
    Case("json-string", "POST", "/score", b'"data"', JSON),
    Case("missing-parameter", "POST", "/score", b'{"other": 1}', JSON),
    Case("wrong-shape", "POST", "/score", b'{"data": [[1, 2]]}', JSON),
    Case("wrong-type", "POST", "/score", b'{"data": "abc"}', JSON),
    Case("no-rows", "POST", "/score", b'{"data": []}', JSON),
    Case("invalid-utf8", "POST", "/score", b'{"data": "\xff"}', JSON),
    Case("get-query", "GET", "/score?data=%5B%5B1%2C2%2C3%5D%5D"),
    Case("get-missing", "GET", "/score"),
    Case("options", "OPTIONS", "/score"),
    Case("swagger-2", "GET", "/swagger.json"),
    Case("swagger-3", "GET", "/swagger.json?version=3"),
    Case("swagger-3.1", "GET", "/swagger.json?version=3.1"),
]


@pytest.mark.parametrize("case", NUMPY, ids=lambda c: c.name)
def test_input_schema_numpy(servers, case):
    compare(servers, "schema_numpy.py", case)


STANDARD = [
    Case("all", "POST", "/score", b'{"text": "hi", "count": 3, "options": {"upper": true}}', JSON),
    Case("default-used", "POST", "/score", b'{"text": "hi", "count": 2}', {**JSON, "X-Agent": "tester"}),
    Case("missing", "POST", "/score", b'{"count": 2}', JSON),
    Case("swagger-2", "GET", "/swagger.json"),
    Case("swagger-3", "GET", "/swagger.json?version=3"),
]


@pytest.mark.parametrize("case", STANDARD, ids=lambda c: c.name)
def test_input_schema_standard_types(servers, case):
    compare(servers, "schema_std.py", case)


RAW = [
    Case("echo-post", "POST", "/score?x=1&x=2", b"raw body", {**TEXT, "X-Custom": "c"}),
    Case("echo-get", "GET", "/score?kind=echo&a=b"),
    Case("echo-options", "OPTIONS", "/score"),
    Case("echo-head", "HEAD", "/score"),
    Case("put-not-routed", "PUT", "/score", b"x", TEXT),
    Case("json-response", "POST", "/score?kind=json", b'{"k": [1]}', JSON),
    Case("json-silent-bad", "POST", "/score?kind=json", b"{bad", JSON),
    Case("strict-json-bad", "POST", "/score?kind=strict-json", b"{bad", JSON),
    Case("strict-json-wrong-type", "POST", "/score?kind=strict-json", b"{}", TEXT),
    Case("headers", "POST", "/score?kind=headers", b"", TEXT),
    Case("status-201", "POST", "/score?kind=status&code=201", b"", TEXT),
    Case("status-404", "POST", "/score?kind=status&code=404", b"", TEXT),
    Case("status-503", "POST", "/score?kind=status&code=503", b"", TEXT),
    Case("status-204", "POST", "/score?kind=status&code=204", b"", TEXT),
    Case("bytes", "POST", "/score?kind=bytes", b"", TEXT),
    Case("none", "POST", "/score?kind=none", b"", TEXT),
    Case("plain-string", "POST", "/score?kind=plain", b"", TEXT),
    Case("form", "POST", "/score?kind=form",
         b'--B\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n'
         b'--B\r\nContent-Disposition: form-data; name="f"; filename="f.txt"\r\nContent-Type: text/plain\r\n\r\n'
         b"file text\r\n--B--\r\n", {"Content-Type": "multipart/form-data; boundary=B"}),
    Case("raises", "POST", "/score?kind=fail", b"", TEXT),
    Case("unknown", "POST", "/score?kind=other", b"", TEXT),
]


@pytest.mark.parametrize("case", RAW, ids=lambda c: c.name)
def test_rawhttp(servers, case):
    compare(servers, "raw.py", case)


TIMEOUT = {"SCORING_TIMEOUT_MS": "1000"}


@pytest.mark.parametrize("body", [b"sleep 30", b"spin", b"block"], ids=["sleep", "python-loop", "lock-wait"])
def test_scoring_timeout_then_recovery(servers, body):
    script = "blocks.py" if body != b"sleep 30" else "plain.py"
    for name in ("azmlinfsrv", "airgap"):
        servers.get(name, script, TIMEOUT)
    theirs, ours = compare(servers, script, Case("timeout", "POST", "/score", body, TEXT), TIMEOUT)
    assert ours.status == 500 and ours.json() == {"message": "Scoring timeout after 1000 ms"}
    # The worker serves on: the next call is answered normally by both.
    compare(servers, script, Case("after", "POST", "/score", b'"next"', TEXT), TIMEOUT)


@pytest.mark.parametrize(("script", "expected"), [
    ("init_fails.py", "cannot load the model: weights missing"),
    ("no_run.py", "does not have a run() function defined"),
    ("star_args.py", "run() cannot accept positional-only arguments, *args, or **kwargs."),
    ("import_error.py", "No module named 'a_module_that_is_not_installed'"),
])
def test_broken_script_exits_with_code_3(servers, tmp_path, script, expected):
    from tests.scoring.support import AZMLINFSRV, AZMLINFSRV_MISSING, SCRIPTS, ScoreServer, free_port

    if not AZMLINFSRV.exists():
        pytest.skip(AZMLINFSRV_MISSING)
    for kind in ("azmlinfsrv", "airgap"):
        server = ScoreServer(kind, script, free_port(), SCRIPTS, {}).start(tmp_path, wait=False)
        try:
            assert server.wait_exit() == 3, f"{kind}:\n{server.log()}"
            assert expected in server.log(), f"{kind}:\n{server.log()}"
        finally:
            server.stop()


def test_user_swagger_file_wins(servers, tmp_path):
    """A swagger.json in the app root is served for version 2 as it is (json.dumps of the file)."""
    from tests.scoring.support import AZMLINFSRV, AZMLINFSRV_MISSING, SCRIPTS, ScoreServer, free_port

    if not AZMLINFSRV.exists():
        pytest.skip(AZMLINFSRV_MISSING)
    (tmp_path / "swagger.json").write_text(json.dumps({"swagger": "2.0", "info": {"title": "mine"}, "x": [1, "é"]}))
    (tmp_path / "score.py").write_text((SCRIPTS / "plain.py").read_text())
    replies = []
    for kind in ("azmlinfsrv", "airgap"):
        server = ScoreServer(kind, "score.py", free_port(), tmp_path, {}).start(tmp_path)
        try:
            replies.append([normalise(server.request("GET", f"/swagger.json?version={v}"), {}) for v in ("2", "3")])
        finally:
            server.stop()
    assert replies[1] == replies[0]
    assert json.loads(replies[1][0][2])["info"]["title"] == "mine"


CORS_CONFIGS = {
    "two-origins": {"AML_CORS_ORIGINS": "http://b.example, http://a.example"},
    "one-origin": {"AML_CORS_ORIGINS": "http://a.example"},
    "regex": {"AML_CORS_ORIGINS": r"https?://(www\.)?a\.example"},
    "any": {"AML_CORS_ORIGINS": "*"},
}
CORS_CASES = [
    Case("matching-origin", "POST", "/score", b"1", {**TEXT, "Origin": "http://a.example"}),
    Case("origin-in-other-case", "POST", "/score", b"1", {**TEXT, "Origin": "HTTP://A.EXAMPLE"}),
    Case("other-origin", "POST", "/score", b"1", {**TEXT, "Origin": "http://c.example"}),
    Case("prefix-of-a-regex", "POST", "/score", b"1", {**TEXT, "Origin": "http://a.example.evil"}),
    Case("no-origin", "POST", "/score", b"1", TEXT),
    Case("preflight", "OPTIONS", "/score", headers={"Origin": "http://a.example", "Access-Control-Request-Method": "POST",
                                                    "Access-Control-Request-Headers": "X-Custom,Content-Type, x-b"}),
    Case("preflight-other-method", "OPTIONS", "/score", headers={"Origin": "http://a.example",
                                                                "Access-Control-Request-Method": "PUT"}),
    Case("preflight-root", "OPTIONS", "/", headers={"Origin": "http://a.example", "Access-Control-Request-Method": "get"}),
    Case("health", "GET", "/", headers={"Origin": "http://a.example"}),
    Case("swagger", "GET", "/swagger.json", headers={"Origin": "http://a.example"}),
    Case("run-fails", "POST", "/score", b"fail", {**TEXT, "Origin": "http://a.example"}),
    Case("not-found", "GET", "/nothere", headers={"Origin": "http://a.example"}),
    Case("method-not-allowed", "PUT", "/score", b"1", {**TEXT, "Origin": "http://a.example"}),
]


@pytest.mark.parametrize("config", sorted(CORS_CONFIGS))
@pytest.mark.parametrize("case", CORS_CASES, ids=lambda c: c.name)
def test_cors(servers, config, case):
    compare(servers, "plain.py", case, CORS_CONFIGS[config])


def test_cors_on_a_rawhttp_response(servers):
    env = CORS_CONFIGS["two-origins"]
    compare(servers, "raw.py", Case("raw", "POST", "/score?kind=headers", b"", {**TEXT, "Origin": "http://a.example"}),
            env)
