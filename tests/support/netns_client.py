"""A tiny HTTP client meant to run *inside* the server's network namespace.

Run as ``nsenter --net=/proc/<pid>/ns/net python -m tests.support.netns_client`` with a JSON
object on stdin: ``{"base_url", "ready_timeout", "requests": [{"name", "method", "path", "body"}]}``;
``body`` is JSON to send, or ``{"base64": ..., "content_type": ...}`` for raw bytes (images).
``"method": "USP"`` runs one Speech SDK websocket turn (``tests/speech/usp_client.py``) on the
WAV file in ``body``; its result's ``json`` is ``{"frames": [...]}``.
With ``"poll": true`` the request starts a long-running operation: its ``Operation-Location``
is polled until the status is final, and the result is that last poll (``accepted`` holds
the first response's status).
It waits until ``/ready`` answers 200, sends each request in order and prints one JSON object:
``{"ready": bool, "outbound": "<what connecting to the internet did>", "results": {name: {...}}}``.
Each result is ``{"status", "content_type", "json"}`` (``json`` is null when the body is not JSON)
plus ``text`` (the first 4,000 characters) and ``bytes`` (the body's length: audio is not text).
"""

from __future__ import annotations

import base64
import json
import socket
import sys
import time

import httpx


def _outbound() -> str:
    # Proof that the namespace has no way out: a public address must be unreachable.
    try:
        with socket.create_connection(("1.1.1.1", 443), timeout=3):
            return "connected"
    except OSError as exc:
        return f"{type(exc).__name__}: {exc}"


def _body(body: object) -> dict:
    if body is None:
        return {}
    if isinstance(body, dict) and set(body) == {"base64", "content_type"}:
        return {"content": base64.b64decode(body["base64"]), "headers": {"Content-Type": body["content_type"]}}
    return {"json": body}


def _poll(client: httpx.Client, url: str, deadline: float) -> httpx.Response:
    while True:
        response = client.get(url)
        try:
            status = str(response.json().get("status", "")).lower()
        except ValueError:
            return response
        if response.status_code != 200 or status not in ("notstarted", "running") or time.monotonic() > deadline:
            return response
        time.sleep(0.2)


def _usp(base: str, request: dict) -> dict:
    """One recognition turn over USP (``method: "USP"``, ``body``: a WAV file): the frames the server sent."""
    import asyncio

    from tests.speech.usp_client import UspClient

    async def turn() -> dict:
        url = "ws" + base.removeprefix("http") + request["path"]
        async with UspClient(url) as client:
            await client.start()
            await client.send_wav(base64.b64decode(request["body"]["base64"]))
            received = await client.read(timeout=120)
        return {"frames": [{"path": p, "request_id": rid, "body": body} for p, rid, body in received.frames],
                "close_code": received.close_code, "close_reason": received.close_reason}

    try:
        frames = asyncio.run(turn())
    except Exception as exc:  # reported as the row's result, so the other rows still run
        return {"status": 0, "content_type": "", "json": None, "text": f"{type(exc).__name__}: {exc}", "accepted": None}
    return {"status": 101, "content_type": "", "json": frames, "text": json.dumps(frames)[:4000], "accepted": None}


def main() -> int:
    job = json.load(sys.stdin)
    base = job["base_url"]
    out: dict = {"ready": False, "outbound": _outbound(), "results": {}}
    deadline = time.monotonic() + float(job.get("ready_timeout", 120))
    with httpx.Client(base_url=base, timeout=60) as client:
        while time.monotonic() < deadline:
            try:
                if client.get("/ready").status_code == 200:
                    out["ready"] = True
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        if out["ready"]:
            for request in job["requests"]:
                if request["method"] == "USP":  # the Speech SDK's websocket protocol
                    out["results"][request["name"]] = _usp(base, request)
                    continue
                kwargs = _body(request.get("body"))
                response = client.request(request["method"], request["path"], **kwargs)
                accepted = None
                if request.get("poll") and "operation-location" in response.headers:
                    accepted = response.status_code
                    response = _poll(client, response.headers["operation-location"], deadline=time.monotonic() + 120)
                try:
                    body = response.json()
                except ValueError:
                    body = None
                out["results"][request["name"]] = {
                    "status": response.status_code,
                    "content_type": response.headers.get("content-type", ""),
                    "json": body,
                    "text": response.text[:4000],
                    "bytes": len(response.content),
                    "accepted": accepted,
                }
    json.dump(out, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
