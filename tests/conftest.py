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


@pytest.fixture
def browser(tmp_path):
    """Headless Chromium driven over CDP (tests/support/cdp.py), its own profile per test."""
    from tests.support import cdp  # imported by the browser tests only: websockets is a test extra

    if cdp.chromium() is None:
        pytest.skip("headless Chromium is not installed (apt-get install chromium; "
                    "make install-test does it from deploy/debian-packages-test.txt)")
    chrome = cdp.Browser(tmp_path / "profile")
    try:
        yield chrome
    finally:
        chrome.close()
