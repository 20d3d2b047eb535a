"""Instance id: stable across restarts of one container, unique across replicas
and across worker processes of one server.

A process claims the lowest free slot ``<host>-<n>`` by taking an exclusive
flock on ``<output>/usage/.locks/<host>-<n>.lock``; the lock dies with the
process (even on kill -9), so a restarted container reclaims the same slot.
"""

from __future__ import annotations

import fcntl
import os
import socket
from pathlib import Path


class InstanceSlot:
    def __init__(self, usage_dir: Path, host: str | None = None) -> None:
        locks = Path(usage_dir) / ".locks"
        locks.mkdir(parents=True, exist_ok=True)
        host = "".join(c if c.isalnum() or c in "-_." else "_" for c in (host or socket.gethostname()))
        n = 0
        while True:
            fd = os.open(locks / f"{host}-{n}.lock", os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                n += 1
                continue
            self._fd = fd
            self.id = f"{host}-{n}"
            return

    def release(self) -> None:
        os.close(self._fd)
