"""Request heads over 32 KiB are refused with 431 and the Azure envelope (issue 11), on a raw socket.

Before, 64 MB of headers were read and held for 8 s before routing. Now the server stops reading
once the head passes the limit: the client cannot push more than the sockets' buffers hold.
"""

from __future__ import annotations

import json
import socket
import threading

import pytest

from airgap.platform.http_head import MAX_HEAD_BYTES, _ends_within


def _connect(server) -> socket.socket:
    host, port = server.url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=60)
    return sock


def _read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return status, headers, body[:length]


def _request(path: str, header_bytes: int) -> bytes:
    filler = "".join(f"X-Filler-{i}: {'a' * 990}\r\n" for i in range(header_bytes // 1004 + 1))
    return f"GET {path} HTTP/1.1\r\nHost: localhost\r\n{filler}\r\n".encode()


def _assert_431(status: int, headers: dict, body: bytes) -> None:
    assert status == 431
    assert headers["x-ms-error-code"] == "RequestHeaderFieldsTooLarge"
    assert headers["connection"] == "close"
    error = json.loads(body)["error"]
    assert error["code"] == "RequestHeaderFieldsTooLarge"
    assert str(MAX_HEAD_BYTES) in error["message"]


def test_head_under_the_limit_is_served_and_the_count_restarts_per_request(language_server):
    request = _request("/status", 24 * 1024)
    assert len(request) < MAX_HEAD_BYTES
    with _connect(language_server) as sock:
        for _ in range(3):  # three 24 KiB heads on one keep-alive connection: 72 KiB in all
            sock.sendall(request)
            status, _, body = _read_response(sock)
            assert status == 200, body
            assert json.loads(body)["apiStatus"]


def test_head_over_the_limit_is_a_431_envelope(language_server):
    with _connect(language_server) as sock:
        sock.sendall(_request("/text/analytics/v3.1/languages", 40 * 1024))
        _assert_431(*_read_response(sock))
        assert sock.recv(1) == b""  # and the connection is closed


def test_head_over_the_limit_in_small_pieces(language_server):
    request = _request("/status", 40 * 1024)
    with _connect(language_server) as sock:
        sent = 0
        try:
            while sent < len(request):
                sock.sendall(request[sent:sent + 512])
                sent += 512
        except OSError:
            pass  # the server closed once it had answered
        _assert_431(*_read_response(sock))


def test_64_mb_of_headers_are_not_read(language_server):
    """The case from the issue: the server answers without reading the 64 MB."""
    total = 64 * 1024 * 1024
    chunk = b"".join(f"X-Big-{i}: {'b' * 1000}\r\n".encode() for i in range(64))
    sent = 0
    with _connect(language_server) as sock:
        sock.sendall(b"POST /text/analytics/v3.1/languages HTTP/1.1\r\nHost: localhost\r\n")

        def push() -> None:
            nonlocal sent
            try:
                while sent < total:
                    sock.sendall(chunk)
                    sent += len(chunk)
            except OSError:
                pass  # reset or closed by the server: what we expect

        pusher = threading.Thread(target=push, daemon=True)
        pusher.start()
        status, headers, body = _read_response(sock)
        pusher.join(120)
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    _assert_431(status, headers, body)
    assert sent < total // 4, sent  # at most what the two sockets' buffers held


@pytest.mark.parametrize(("data", "room", "expected"), [
    (b"GET / HTTP/1.1\r\nA: b\r\n\r\n", 100, True),
    (b"GET / HTTP/1.1\r\nA: b\r\n\r\n", 24, True),  # ends exactly at the limit
    (b"GET / HTTP/1.1\r\nA: b\r\n\r\n", 23, False),
    (b"GET / HTTP/1.1\r\nA: b\r\n\r\nBODY" * 1, 24, True),  # body bytes after the head do not count
    (b"GET / HTTP/1.1\nA: b\n\n", 21, True),  # bare LF line ends
    (b"GET / HTTP/1.1\r\nA: " + b"b" * 100, 50, False),
])
def test_end_of_head_within_room(data, room, expected):
    assert _ends_within(data, room) is expected
