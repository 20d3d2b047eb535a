"""uvicorn's websocket protocol, closing with a reason when the server shuts down.

On shutdown uvicorn closes every open websocket itself, before the application hears of the
shutdown (its lifespan shutdown comes after), with code 1012 and no reason. This protocol
closes them with 1001 "server shutting down" instead, the closing handshake included (the
client's close answer, or ``CLOSE_WAIT_SECONDS``), and tells the handler with a
``websocket.disconnect`` carrying the same code and reason. ``server.serve`` runs uvicorn with it.
"""

from __future__ import annotations

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

from airgap.platform.gateway import GOING_AWAY, SHUTDOWN_REASON

CLOSE_WAIT_SECONDS = 2.0


class ClosingWebSocketProtocol(WebSocketsSansIOProtocol):
    def shutdown(self) -> None:
        if not self.handshake_complete or self.close_sent or self.transport.is_closing():
            super().shutdown()  # not accepted yet (a 500), or closing already
            return
        self.stop_keepalive()
        self.queue.put_nowait({"type": "websocket.disconnect", "code": GOING_AWAY, "reason": SHUTDOWN_REASON})
        self.conn.send_close(GOING_AWAY, SHUTDOWN_REASON)
        self.transport.write(b"".join(self.conn.data_to_send()))
        self.close_sent = True
        if self.read_paused:  # the client's close answer must be read
            self.read_paused = False
            self.transport.resume_reading()
        self.close_timer = self.loop.call_later(CLOSE_WAIT_SECONDS, self.transport.close)
