"""A real full disk: a small tmpfs as Mounts:Output of a real server process.

Billable requests get 503 ``OutputVolumeFull`` while the volume is full, nothing
is served unmetered, and once space returns requests succeed on the same,
intact chain. Needs root (mount); skipped otherwise, with the reason.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import orjson
import pytest

from airgap.platform.usage import iter_records, totals
from tests.support.server import ServerProcess

M = "CognitiveServices.Language.Container.LanguageDetectionTextRecords"
PATH = "/text/analytics/v3.1/languages"


@pytest.fixture
def small_volume(tmp_path: Path) -> Iterator[Path]:
    mnt = Path(tempfile.mkdtemp(prefix="airgap-full-"))
    try:
        p = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)],
                           capture_output=True, text=True, timeout=30)
        if p.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here (needs root / CAP_SYS_ADMIN): {p.stderr.strip()}")
        try:
            yield mnt
        finally:
            subprocess.run(["umount", str(mnt)], check=True, timeout=30)
    finally:
        mnt.rmdir()


def _fill(folder: Path) -> Path:
    """Write until the file system refuses, down to single bytes."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        for size in (65536, 4096, 1):
            while True:
                try:
                    os.write(fd, b"\0" * size)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC, exc
                    break
    finally:
        os.close(fd)
    return filler


def _detect(url: str, i: int) -> httpx.Response:
    return httpx.post(url + PATH, json={"documents": [{"id": "1", "text": f"Request {i} is in English."}]},
                      timeout=60)


def test_full_volume_refuses_billable_requests_then_recovers(small_volume, tmp_path):
    served: list[str] = []  # request ids answered 2xx
    with ServerProcess(settings=["Services=language"], output_dir=small_volume,
                       log_path=tmp_path / "server.log") as server:
        r = _detect(server.url, 0)
        assert r.status_code == 200, r.text
        served.append(r.headers["apim-request-id"])
        filler = _fill(small_volume)

        # The journal's last page can still hold a few records; then every write is refused.
        refused = None
        for i in range(1, 200):
            r = _detect(server.url, i)
            if r.status_code == 200:
                served.append(r.headers["apim-request-id"])
                continue
            refused = r
            break
        assert refused is not None, "the full volume never refused a write"
        assert refused.status_code == 503, refused.text
        error = refused.json()["error"]
        assert error["code"] == "ServiceUnavailable"
        assert error["innererror"]["code"] == "OutputVolumeFull"
        assert "Mounts:Output" in error["message"] and "full" in error["message"]
        for i in range(3):  # still full: still refused, never served unmetered
            assert _detect(server.url, 1000 + i).status_code == 503
        # Housekeeping (not billable) still answers; the report reads what is on disk.
        report = httpx.get(server.url + "/records/usage-logs", timeout=30)
        assert report.status_code == 200
        assert {m["name"]: m["quantity"] for m in report.json()["meters"]}[M] == len(served)

        filler.unlink()  # space returns
        for i in range(3):
            r = _detect(server.url, 2000 + i)
            assert r.status_code == 200, r.text
            served.append(r.headers["apim-request-id"])

    # Every 2xx is on disk exactly once and no refused request was billed.
    assert sorted(rec["requestId"] for rec in iter_records(small_volume)) == sorted(served)
    assert totals(small_volume) == {M: len(served)}
    for path in (small_volume / "usage").glob("*/*.jsonl"):  # no partial line anywhere
        data = path.read_bytes()
        assert data.endswith(b"\n")
        for line in data.splitlines():
            orjson.loads(line)
    p = subprocess.run([sys.executable, "-m", "airgap", "records", "verify", "--output", str(small_volume)],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stdout + p.stderr
