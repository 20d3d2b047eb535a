"""A bare USP client (the websockets library), for what the SDK cannot be made to do: stall,
hang up mid-stream, send broken frames, and for checking every frame the server sends."""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import websockets

from airgap.services.speech import usp

CONFIG = {"context": {"system": {"name": "SpeechSDK", "version": "1.53.0", "build": "test", "lang": "Python"},
                      "os": {"platform": "Linux", "name": "test", "version": "0"}}}


@dataclass
class Received:
    frames: list[tuple[str, str, Any]] = field(default_factory=list)  # (path, request id, body)
    close_code: int | None = None
    close_reason: str = ""

    def paths(self) -> list[str]:
        return [path for path, _rid, _body in self.frames]

    def bodies(self, path: str) -> list[Any]:
        return [body for p, _rid, body in self.frames if p == path]


class UspClient:
    def __init__(self, url: str) -> None:
        self.url = url
        self.request_id = uuid.uuid4().hex
        self.received = Received()
        self.ws: Any = None

    async def __aenter__(self) -> UspClient:
        self.ws = await websockets.connect(self.url, subprotocols=["USP"], max_size=None)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.ws.close()

    async def start(self, context: dict | None = None) -> None:
        await self.ws.send(usp.text_frame("speech.config", self.request_id, CONFIG))
        await self.ws.send(usp.text_frame("speech.context", self.request_id,
                                          context or {"phraseDetection": {"language": "en-US"}}))

    async def audio(self, payload: bytes) -> None:
        await self.ws.send(usp.binary_frame("audio", self.request_id, payload, content_type="audio/x-wav",
                                            headers={"X-StreamId": "1"}))

    async def send_wav(self, data: bytes, chunk: int = 3200, end: bool = True) -> None:
        await self.audio(data[:44])
        for start in range(44, len(data), chunk):
            await self.audio(data[start:start + chunk])
        if end:
            await self.audio(b"")

    async def read(self, until: str | None = "turn.end", timeout: float = 120) -> Received:
        """Frames until ``until`` (or the server closes)."""
        try:
            while True:
                frame = await asyncio.wait_for(self.ws.recv(), timeout)
                message = usp.parse_text(frame) if isinstance(frame, str) else usp.parse_binary(frame)
                body = json.loads(message.body) if message.body.strip() else None
                self.received.frames.append((message.path, message.request_id or "", body))
                if message.path == until:
                    break
        except websockets.ConnectionClosed as closed:
            self.received.close_code = closed.rcvd.code if closed.rcvd else None
            self.received.close_reason = closed.rcvd.reason if closed.rcvd else ""
        return self.received
