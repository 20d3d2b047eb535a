"""Calls to a supervised engine process (``platform/processes.py``) over loopback HTTP.

Engines whose code must stay out of airgap's process (GPL programs: Apertium, espeak-ng) answer
small HTTP/JSON requests on a loopback port the supervisor gives them. One kept-alive connection per
calling thread; the address is read at call time because it moves when the process restarts. A
kept-alive connection the process closed (it restarted, or timed the connection out) is retried
once on a fresh one; anything else is ``EngineProcessUnreachable``, which each engine turns into
its own error.
"""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Callable
from urllib.parse import urlsplit

_STALE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


class EngineProcessUnreachable(Exception):
    """The engine process did not answer (not started, restarting, or it died mid-request)."""


class EngineProcessClient:
    def __init__(self, base_url: Callable[[], str], timeout: float = 60.0) -> None:
        self._base_url = base_url  # may raise the platform's 503 while the process has no address
        self.timeout = timeout
        self._local = threading.local()

    def _connection(self, url: str) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "url", None) != url:
            if conn is not None:
                conn.close()
            parts = urlsplit(url)
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)
            self._local.conn, self._local.url = conn, url
        return conn

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, str, bytes]:
        """(status, content type, payload) of one request; ``body`` is sent as JSON."""
        url = self._base_url()
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if data is not None else {}
        for attempt in (1, 2):
            conn = self._connection(url)
            try:
                conn.request(method, path, body=data, headers=headers)
                response = conn.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                self._local.conn = None
                if attempt == 1 and isinstance(exc, _STALE):
                    continue
                raise EngineProcessUnreachable(str(exc)) from exc
            return response.status, response.getheader("Content-Type") or "", payload
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Closes the calling thread's connection (the others close with their threads)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
