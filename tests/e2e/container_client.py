"""A stdlib-only HTTP client that runs INSIDE a container (``docker exec -i CID python3 - ARGS``).

With ``--network none`` no port can be published, so the client has to share the container's
network namespace; the image carries no test dependencies, hence urllib. Prints one JSON object:
``{"status": int, "body": parsed JSON or text}``, and ``"location"``: the Operation-Location
header, when the answer has one.

    wait-ready SECONDS       poll /ready until 200 (exit 1 on timeout)
    wait-listening PORT SECONDS   until something accepts TCP connections on 127.0.0.1:PORT
    get PATH
    post PATH JSON
    put PATH JSON
    poll URL SECONDS         GET an operation (its Operation-Location) until its status is final
    post-file PATH CONTENT_TYPE FILE [--header NAME:VALUE ...] [--save FILE]
                             the body is a file inside the container (docker cp it there); --save
                             writes the response body to a file (audio), which then stays out of the JSON
"""

import json
import socket
import sys
import time
import urllib.error
import urllib.request

BASE = "http://127.0.0.1:5000"


def call(method, path, body=None, content_type="application/json", headers=(), save=None):
    data = body.encode() if isinstance(body, str) else body
    request = urllib.request.Request(BASE + path, data=data, method=method,
                                     headers={"Content-Type": content_type, **dict(headers)})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, raw, received = response.status, response.read(), response.headers
    except urllib.error.HTTPError as exc:
        status, raw, received = exc.code, exc.read(), exc.headers
    if save is not None and status == 200:
        with open(save, "wb") as out:
            out.write(raw)
        return {"status": status, "content_type": received.get("Content-Type"), "length": len(raw),
                "body": raw[:4].decode("latin-1")}
    try:
        parsed = json.loads(raw)
    except ValueError:
        parsed = raw.decode(errors="replace")
    answer = {"status": status, "body": parsed}
    if received.get("Operation-Location"):
        answer["location"] = received.get("Operation-Location")
    return answer


def poll(url, seconds):
    # The server writes its own address into Operation-Location; only the path matters here.
    path = "/" + url.split("://", 1)[-1].split("/", 1)[1] if "://" in url else url
    deadline = time.monotonic() + seconds
    while True:
        answer = call("GET", path)
        status = answer["body"].get("status", "") if isinstance(answer["body"], dict) else ""
        if answer["status"] != 200 or status.lower() not in ("notstarted", "running") or time.monotonic() > deadline:
            return answer
        time.sleep(0.2)


def post_file(path, content_type, file, options):
    headers, save = [], None
    while options:
        flag, value, options = options[0], options[1], options[2:]
        if flag == "--header":
            name, _, header_value = value.partition(":")
            headers.append((name.strip(), header_value.strip()))
        elif flag == "--save":
            save = value
        else:
            sys.exit(f"unknown option {flag!r}")
    with open(file, "rb") as body:
        return call("POST", path, body.read(), content_type=content_type, headers=headers, save=save)


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
    elif argv[0] == "put":
        result = call("PUT", argv[1], argv[2])
    elif argv[0] == "poll":
        result = poll(argv[1], float(argv[2]))
    elif argv[0] == "post-file":
        result = post_file(argv[1], argv[2], argv[3], argv[4:])
    else:
        sys.exit(f"unknown command {argv[0]!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
