"""Bad input to ``airgap score``: bodies over the limit, cut short or chunked, broken request lines
and heads. Invalid UTF-8, wrong content types and scripts that block forever are compared with
azmlinfsrv in test_differential.py; these cases are airgap's own (azmlinfsrv reads any body into
memory and answers a broken request with gunicorn's HTML pages).
"""

from __future__ import annotations

import socket

import pytest

from airgap.platform.usage import iter_records
from tests.scoring.support import SCRIPTS, ScoreServer, free_port, raw_request

TEXT = {"Content-Type": "text/plain"}
LIMIT = 100_000


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad-input")
    output = folder / "output"
    output.mkdir()
    server = ScoreServer("airgap", "plain.py", free_port(), SCRIPTS, {"AIRGAP_SCORE_MAX_BODY_BYTES": str(LIMIT)},
                         [f"Mounts:Output={output}"]).start(folder)
    server.output = output
    try:
        yield server
    finally:
        server.stop()


def _still_serves(server):
    reply = server.request("POST", "/score", b'"alive"', TEXT)
    assert reply.status == 200 and reply.json() == {"json": "alive", "ready": True}


def test_body_over_the_limit_is_refused_unread(server):
    before = len(list(iter_records(server.output)))
    # Content-Length says too much: 413 without reading the body (only its first bytes are sent).
    head = (f"POST /score HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: {50 * LIMIT}\r\n"
            "x-request-id: big-1\r\n\r\n").encode()
    answer = raw_request(server.port, head + b"z" * 1000, timeout=10)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"AIRGAP_SCORE_MAX_BODY_BYTES" in answer and b"x-request-id: big-1" in answer
    reply = server.request("POST", "/score", b"z" * (LIMIT + 1), TEXT)
    assert reply.status == 413 and reply.header("x-ms-run-function-failed") == "False"
    assert server.request("POST", "/score", b"z" * LIMIT, TEXT).status == 200  # the limit itself is fine
    assert len(list(iter_records(server.output))) == before + 1
    _still_serves(server)


def test_chunked_body_over_the_limit(server):
    chunk = b"q" * 30_000
    body = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(5)) + b"0\r\n\r\n"
    head = b"POST /score HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
    assert raw_request(server.port, head + body, timeout=10).startswith(b"HTTP/1.1 413 ")
    small = b"5\r\nhello\r\n0\r\n\r\n"
    answer = raw_request(server.port, head.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n") + small)
    assert answer.startswith(b"HTTP/1.1 200 ") and b'"raw": "hello"' in answer
    _still_serves(server)


def test_body_cut_short_is_not_scored_nor_billed(server):
    before = len(list(iter_records(server.output)))
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
        s.sendall(b"POST /score HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n"
                  + b"only ten b")
    _still_serves(server)
    assert len(list(iter_records(server.output))) == before + 1  # _still_serves' call only


def test_broken_request_line_and_oversized_head(server):
    assert raw_request(server.port, b"GET /score?a=\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n", timeout=10
                       ).startswith(b"HTTP/1.1 400 ")
    huge = b"POST /score HTTP/1.1\r\nHost: x\r\nX-Big: " + b"h" * 40_000 + b"\r\nContent-Length: 1\r\n\r\nx"
    assert raw_request(server.port, huge, timeout=10).startswith(b"HTTP/1.1 431 ")
    _still_serves(server)


def test_a_large_body_under_the_limit(tmp_path):
    server = ScoreServer("airgap", "plain.py", free_port(), SCRIPTS, {}).start(tmp_path)
    try:
        body = b"m" * 5_000_000
        reply = server.request("POST", "/score", body, TEXT)
        assert reply.status == 200 and reply.json()["length"] == len(body)
    finally:
        server.stop()
