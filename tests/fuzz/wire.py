"""What every fuzzed response must look like, and the raw-socket client for malformed HTTP."""

from __future__ import annotations

import json
import re
import socket
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

# 503 is documented (models loading, output disk full); everything else over 499 is a bug.
DOCUMENTED_5XX = {503}
TRACEBACK_MARKERS = ("Traceback", "Exception in ASGI application")
# (route, status) of every checked response, for the run's summary: proof the fuzzers reached each route.
SEEN: Counter[tuple[str, int]] = Counter()


def check_response(status: int, headers: Mapping[str, str], body: bytes, what: str) -> None:
    """Status below 500 (or a documented 503); every error is an Azure envelope with x-ms-error-code."""
    assert status < 500 or status in DOCUMENTED_5XX, f"{what}: HTTP {status}: {body[:500]!r}"
    if status < 400:
        return
    try:
        payload = json.loads(body)
    except ValueError:
        raise AssertionError(f"{what}: HTTP {status} with a body that is not JSON: {body[:300]!r}") from None
    error = payload.get("error") if isinstance(payload, dict) else None
    if error is None and isinstance(payload, dict) and "code" in payload:
        error = payload  # Anomaly Detector's envelope: top-level {code, message} (its own contract)
    assert isinstance(error, dict), f"{what}: HTTP {status} without an error envelope: {payload!r}"
    code = error.get("code")
    # Translator 3.0 writes integer codes whose first three digits are the status (400036).
    translator = isinstance(code, int) and not isinstance(code, bool) and str(code).startswith(str(status))
    assert translator or (isinstance(code, str) and code), f"{what}: envelope without a code: {payload!r}"
    assert isinstance(error.get("message"), str) and len(error["message"]) >= 10, \
        f"{what}: envelope without a usable message: {payload!r}"
    lowered = {k.lower() for k in headers}
    assert "x-ms-error-code" in lowered, f"{what}: HTTP {status} without x-ms-error-code: {dict(headers)!r}"


def check(response, what: str = "") -> None:
    """``check_response`` for an httpx response."""
    route = re.sub(r"(jobs|analyzeResults|usage-logs|operations)/.*", r"\1/{...}", response.request.url.path)
    SEEN[(f"{response.request.method} {route}", response.status_code)] += 1
    check_response(response.status_code, response.headers, response.content,
                   what or f"{response.request.method} {response.request.url}")


class LogWatch:
    """The part of the server log written since it was created must hold no traceback."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = path.stat().st_size if path.exists() else 0

    def new_text(self) -> str:
        with open(self.path, "rb") as f:
            f.seek(self.offset)
            return f.read().decode(errors="replace")

    def assert_clean(self) -> None:
        text = self.new_text()
        for marker in TRACEBACK_MARKERS:
            assert marker not in text, f"server log has {marker!r}:\n{text[-6000:]}"


def raw_request(port: int, request: bytes, *, read: bool = True, timeout: float = 60.0) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are (no client-side validation) and parse the HTTP/1.1 answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        if not read:
            return 0, {}, b""
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
            head, sep, rest = data.partition(b"\r\n\r\n")
            if sep:
                headers = _headers(head)
                length = headers.get("content-length")
                if length is not None and len(rest) >= int(length):
                    break
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    headers = _headers(head)
    if "content-length" in headers:
        body = body[: int(headers["content-length"])]
    return status, headers, body


def _headers(head: bytes) -> dict[str, str]:
    lines = head.decode("latin-1").split("\r\n")[1:]
    return {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
