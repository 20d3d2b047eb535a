from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.server import ServerProcess


@pytest.fixture(scope="session")
def vision_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One real server process hosting the vision service."""
    folder = tmp_path_factory.mktemp("vision-server")
    server = ServerProcess(settings=["Services=vision", "Http:MaxFileBytes=3000000"], log_path=folder / "server.log",
                           output_dir=folder / "output")
    (folder / "output").mkdir()
    server.start()
    try:
        yield server
    finally:
        server.stop()
