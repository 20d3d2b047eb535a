"""A stdlib-only HTTP client that runs INSIDE a container (``docker exec -i CID python3 - ARGS``).

With ``--network none`` no port can be published, so the client has to share the container's
network namespace; the image carries no test dependencies, hence urllib. Prints one JSON object:
``{"status": int, "body": parsed JSON or text}``.

    wait-ready SECONDS       poll /ready until 200 (exit 1 on timeout)
    wait-listening PORT SECONDS   until something accepts TCP connections on 127.0.0.1:PORT
    get PATH
    post PATH JSON
    post-file PATH CONTENT_TYPE FILE   the body is a file inside the container (docker cp it there)
"""

import json
import socket
import sys
import time
import urllib.error
import urllib.request

BASE = "http://127.0.0.1:5000"


def call(method, path, body=None, content_type="application/json"):
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(BASE + path, data=data, method=method,
                                     headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    try:
        parsed = json.loads(raw)
    except ValueError:
        parsed = raw.decode(errors="replace")
    return {"status": status, "body": parsed}


def wait_ready(seconds):
    deadline = time.monotonic() + seconds
    last = None
    while time.monotonic() < deadline:
        try:
            last = call("GET", "/ready")
            if last["status"] == 200:
                return last
        except OSError as exc:  # not listening yet
            last = {"status": 0, "body": str(exc)}
        time.sleep(0.2)
    print(json.dumps(last))
    sys.exit(1)


def wait_listening(port, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
            return {"status": 0, "body": "listening"}
        except OSError:
            time.sleep(0.2)
    sys.exit(f"nothing listens on port {port} after {seconds} s")


def main(argv):
    if argv[0] == "wait-ready":
        result = wait_ready(float(argv[1]))
    elif argv[0] == "wait-listening":
        result = wait_listening(int(argv[1]), float(argv[2]))
    elif argv[0] == "get":
        result = call("GET", argv[1])
    elif argv[0] == "post":
        result = call("POST", argv[1], argv[2])
    elif argv[0] == "post-file":
        with open(argv[3], "rb") as body:
            result = call("POST", argv[1], body.read(), content_type=argv[2])
    else:
        sys.exit(f"unknown command {argv[0]!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
