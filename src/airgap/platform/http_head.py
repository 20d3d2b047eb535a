"""A bound on the size of a request's head (request line + header fields): 431 past it.

uvicorn's httptools protocol keeps every header byte it is sent until the blank line that ends
the head, with no limit: 64 MB of headers were read (and held) for 8 s before the request was
even routed. Azure's containers (ASP.NET Kestrel) answer ``431 Request Header Fields Too Large``
past 32 KiB of headers. ``BoundedHttpToolsProtocol`` is uvicorn's httptools protocol that counts
the bytes of each request's head as they arrive and, once they pass ``MAX_HEAD_BYTES`` with no end
of head in sight, answers 431 with the Azure error envelope and closes the connection without
reading further. ``server.serve`` runs uvicorn with ``http=PROTOCOL``.

The limit is fixed, as in Azure's containers (no setting): 32 KiB for the whole head, request
line included, which leaves room for any SDK's headers and an 8 KB bearer token several times over.
The path is not known for sure when the head is cut, so the envelope is the plain Azure one
(``{"error": {"code": "RequestHeaderFieldsTooLarge", "message": ...}}``), the same on every route.
"""

from __future__ import annotations

import logging

import orjson
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_HEAD_BYTES = 32 * 1024
PROTOCOL = f"{__name__}:BoundedHttpToolsProtocol"
ERROR_CODE = "RequestHeaderFieldsTooLarge"

log = logging.getLogger("airgap.http")


def _ends_within(data: bytes, room: int) -> bool:
    """Whether ``data`` holds the blank line that ends a head within its first ``room`` bytes."""
    ends = [end + len(mark) for mark in (b"\r\n\r\n", b"\n\n") if (end := data.find(mark)) >= 0]
    return bool(ends) and min(ends) <= room


def refusal(limit: int = MAX_HEAD_BYTES) -> bytes:
    """The whole 431 response: status line, headers, the Azure envelope."""
    message = (f"Request header fields too large: the request line and headers exceed {limit} bytes. "
               "Send smaller headers.")
    body = orjson.dumps({"error": {"code": ERROR_CODE, "message": message}})
    return b"".join([
        b"HTTP/1.1 431 Request Header Fields Too Large\r\n",
        b"content-type: application/json; charset=utf-8\r\n",
        b"x-ms-error-code: " + ERROR_CODE.encode() + b"\r\n",
        b"content-length: " + str(len(body)).encode() + b"\r\n",
        b"connection: close\r\n",
        b"\r\n",
        body,
    ])


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    max_head_bytes = MAX_HEAD_BYTES

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._in_head = True  # between the end of one message and the end of the next one's head
        self._head_bytes = 0
        self._tail = b""  # the last bytes of the head so far: a blank line may straddle two reads
        self._refused = False

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return  # the 431 is on its way and the connection closing: read nothing more
        if self._in_head:
            room = self.max_head_bytes - self._head_bytes
            if len(data) > room and not _ends_within(self._tail + data, room + len(self._tail)):
                self._refuse()
                return
            self._head_bytes += len(data)
            self._tail = (self._tail + data)[-3:]
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._in_head, self._head_bytes, self._tail = True, 0, b""
        super().on_message_complete()

    def _refuse(self) -> None:
        self._refused = True
        client = "%s:%d " % self.client if self.client else ""
        log.info("%sRequest head over %d bytes: answered 431", client, self.max_head_bytes)
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(refusal(self.max_head_bytes))
            self.transport.close()
