"""A tiny engine process for tests: an HTTP server on loopback (tests/support/echo_service.py).

    python echo_engine.py --port N [--tag T] [--crash-file F] [--sick-file F] [--grandchild-file F]

``GET /health`` answers 200 (500 while ``--sick-file`` exists), ``POST /echo`` answers its
body, ``GET /pid`` this process's pid. ``--grandchild-file``: start a child of its own (a
``sleep``) and write its pid there, to show that a stop reaches the whole process group.
``--crash-file``: exit with code 3 at start while that file exists (a crash loop).
``--tag`` is only a marker on the command line, for tests that count processes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--tag", default="")
    parser.add_argument("--crash-file", type=Path)
    parser.add_argument("--sick-file", type=Path)
    parser.add_argument("--grandchild-file", type=Path)
    args = parser.parse_args()
    if args.crash_file is not None and args.crash_file.exists():
        raise SystemExit(3)
    if args.grandchild_file:
        child = subprocess.Popen(["sleep", "600"])
        args.grandchild_file.write_text(str(child.pid))

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/health":
                sick = args.sick_file is not None and args.sick_file.exists()
                self._answer(500 if sick else 200, b"sick" if sick else b"ok")
            elif self.path == "/pid":
                self._answer(200, str(os.getpid()).encode())
            else:
                self._answer(404, b"")

        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self._answer(200 if self.path == "/echo" else 404, body)

        def log_message(self, *_: object) -> None:
            pass

    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
