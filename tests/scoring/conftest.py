from __future__ import annotations

import importlib.util
from collections.abc import Iterator

import pytest

from tests.e2e.conftest import docker_engine  # noqa: F401 - for the image test in test_package.py
from tests.scoring.support import AZMLINFSRV, AZMLINFSRV_MISSING, SCRIPTS, ScoreServer, free_port


SCORING_EXTRA = ("werkzeug", "inference_schema", "numpy", "sklearn")
MISSING = [name for name in SCORING_EXTRA if importlib.util.find_spec(name) is None]


@pytest.fixture(autouse=True)
def _scoring_extra_installed() -> None:
    if MISSING:
        pytest.skip(f"airgap score needs the scoring extra (missing: {', '.join(MISSING)}): "
                    "pip install 'airgap[scoring]', which requirements.lock covers")


class Servers:
    """Score servers started on first use and kept for the session, one per (kind, script, env)."""

    def __init__(self, log_dir) -> None:
        self.log_dir = log_dir
        self.running: dict[tuple, ScoreServer] = {}

    def get(self, kind: str, script: str, env: dict[str, str] | None = None, args: tuple[str, ...] = ()) -> ScoreServer:
        if kind == "azmlinfsrv" and not AZMLINFSRV.exists():
            pytest.skip(AZMLINFSRV_MISSING)
        key = (kind, script, tuple(sorted((env or {}).items())), args)
        server = self.running.get(key)
        if server is None or server.proc is None or server.proc.poll() is not None:
            server = ScoreServer(kind, script, free_port(), SCRIPTS, dict(env or {}), list(args))
            self.running[key] = server.start(self.log_dir)
        return server

    def stop_all(self) -> None:
        for server in self.running.values():
            server.stop()


@pytest.fixture(scope="session")
def servers(tmp_path_factory) -> Iterator[Servers]:
    pool = Servers(tmp_path_factory.mktemp("score-logs"))
    try:
        yield pool
    finally:
        pool.stop_all()
