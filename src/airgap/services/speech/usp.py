"""USP, the Speech SDK's websocket protocol: parsing and building its text and binary messages.

Shared by every Speech websocket (recognition here; synthesis may join it). No I/O.

- Text message: header lines ``Name:value`` joined by CRLF, a blank line, then the body (JSON).
- Binary message: a 2-byte big-endian header length, the header lines (each ending in CRLF), then
  the payload (audio).

Every message carries ``Path`` (what it is) and, except ``speech.config``, ``X-RequestId``
(32 hex digits: the turn it belongs to). The service must echo the client's request id on every
message of the turn: with any other id the SDK waits forever.
"""

from __future__ import annotations

import json
import struct
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

JSON = "application/json; charset=utf-8"
SUBPROTOCOL = "USP"
MAX_HEADER_BYTES = 8192


class UspError(ValueError):
    """A message that is not USP; the connection is closed with 1007 and this reason."""


@dataclass(frozen=True)
class Message:
    path: str                  # as written: speech.config, speech.context, audio, telemetry, ...
    headers: Mapping[str, str]  # names in lower case
    body: bytes
    binary: bool

    @property
    def kind(self) -> str:
        """The path in lower case, for comparing (the protocol's names are case-insensitive)."""
        return self.path.lower()

    @property
    def request_id(self) -> str | None:
        return self.headers.get("x-requestid")

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")

    def json(self) -> Any:
        """The body as JSON; an empty body is ``{}``. Raises ``UspError`` when it is not JSON."""
        if not self.body.strip():
            return {}
        try:
            return json.loads(self.body)
        except (UnicodeDecodeError, ValueError) as exc:
            raise UspError(f"The {self.path} message's body is not JSON ({exc}).") from None


def _headers(block: str) -> dict[str, str]:
    headers: dict[str, str] = {}
    for line in block.split("\r\n"):
        if not line.strip():
            continue
        name, sep, value = line.partition(":")
        if not sep or not name.strip():
            raise UspError(f"USP header line {line[:60]!r} is not 'Name: value'.")
        headers[name.strip().lower()] = value.strip()
    return headers


def _message(headers: dict[str, str], body: bytes, binary: bool) -> Message:
    path = headers.get("path", "").strip()
    if not path:
        raise UspError("A USP message has no Path header.")
    return Message(path, headers, body, binary)


def parse_text(frame: str) -> Message:
    head, sep, body = frame.partition("\r\n\r\n")
    if not sep:  # headers only, no body
        head, body = frame, ""
    return _message(_headers(head), body.encode("utf-8"), binary=False)


def parse_binary(frame: bytes) -> Message:
    if len(frame) < 2:
        raise UspError("A binary USP message is shorter than its 2-byte header length.")
    (size,) = struct.unpack_from(">H", frame)
    if size > len(frame) - 2 or size > MAX_HEADER_BYTES:
        raise UspError(f"A binary USP message announces {size} header bytes; it has {len(frame) - 2} bytes in all.")
    try:
        head = frame[2:2 + size].decode("ascii")
    except UnicodeDecodeError:
        raise UspError("A binary USP message's headers are not ASCII.") from None
    return _message(_headers(head), frame[2 + size:], binary=True)


def timestamp() -> str:
    now = datetime.now(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def new_request_id() -> str:
    return uuid.uuid4().hex


def _head(path: str, request_id: str, content_type: str | None, extra: Mapping[str, str] | None) -> str:
    lines = [f"Path:{path}", f"X-RequestId:{request_id}", f"X-Timestamp:{timestamp()}"]
    if content_type:
        lines.append(f"Content-Type:{content_type}")
    lines.extend(f"{name}:{value}" for name, value in (extra or {}).items())
    return "\r\n".join(lines) + "\r\n"


def text_frame(path: str, request_id: str, body: Any = None, *, content_type: str | None = JSON,
               headers: Mapping[str, str] | None = None) -> str:
    """A text message; a dict or list body is written as compact JSON."""
    if body is None:
        text = ""
    elif isinstance(body, str):
        text = body
    else:
        text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return _head(path, request_id, content_type, headers) + "\r\n" + text


def binary_frame(path: str, request_id: str, payload: bytes, *, content_type: str | None = None,
                 headers: Mapping[str, str] | None = None) -> bytes:
    head = _head(path, request_id, content_type, headers).encode("ascii")
    return struct.pack(">H", len(head)) + head + payload
