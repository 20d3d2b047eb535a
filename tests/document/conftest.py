from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.server import ServerProcess


@pytest.fixture(scope="session")
def document_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One real server process hosting the document service."""
    folder = tmp_path_factory.mktemp("document-server")
    (folder / "output").mkdir()
    server = ServerProcess(settings=["Services=document"], log_path=folder / "server.log", output_dir=folder / "output")
    server.start()
    try:
        yield server
    finally:
        server.stop()
