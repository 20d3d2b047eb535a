"""A server in a network namespace whose only interface is loopback, and a way in.

``netns_server(server)`` starts ``server`` under ``unshare -n`` (loopback brought up), waits
until the process has its own namespace, and yields the ``nsenter --net=...`` prefix that runs a
command inside it. Needs root (or user namespaces) and util-linux; ``unavailable()`` says why not.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

from tests.support.server import ServerProcess

WRAP = ("unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "sh")


def unavailable() -> str | None:
    if not shutil.which("unshare") or not shutil.which("nsenter"):
        return "unshare/nsenter (util-linux) are not installed"
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, text=True, timeout=30)
    if probe.returncode != 0:
        return f"cannot create a network namespace here (uid {os.geteuid()}): {probe.stderr.strip()}"
    return None


@contextmanager
def netns_server(server: ServerProcess) -> Iterator[list[str]]:
    server.wrap = WRAP
    server.start(wait_ready=False)
    try:
        netns = f"/proc/{server.process.pid}/ns/net"
        # Right after the fork the process is still `unshare` in our namespace.
        deadline = time.monotonic() + 30
        while os.readlink(netns) == os.readlink("/proc/self/ns/net") and time.monotonic() < deadline:
            time.sleep(0.05)
        if os.readlink(netns) == os.readlink("/proc/self/ns/net"):
            raise RuntimeError(f"the server never left this network namespace; log: {server.log_text()}")
        yield ["nsenter", f"--net={netns}"]
    finally:
        server.stop()
