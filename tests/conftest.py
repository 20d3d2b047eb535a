from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.server import ServerProcess


@pytest.fixture(scope="session")
def language_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One real server process hosting the language service, shared by the session's tests."""
    folder = tmp_path_factory.mktemp("language-server")
    server = ServerProcess(settings=["Services=language"], log_path=folder / "server.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()
