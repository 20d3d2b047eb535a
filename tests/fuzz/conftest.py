from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.fuzz.wire import SEEN, LogWatch
from tests.support.server import ServerProcess


@pytest.fixture(scope="session")
def fuzz_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One real server hosting every bundled service; the fuzzers share it."""
    folder = tmp_path_factory.mktemp("fuzz-server")
    (folder / "output").mkdir()
    # A small file limit keeps the oversized-upload cases cheap; URL sources are on (loopback only) so
    # that their parsing and fetching are fuzzed too.
    server = ServerProcess(settings=["Http:MaxFileBytes=3000000", "Http:UrlSourceHosts=127.0.0.1"], log_path=folder / "server.log",
                           output_dir=folder / "output")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def client(fuzz_server: ServerProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fuzz_server.url, timeout=120) as c:
        yield c


@pytest.fixture(autouse=True)
def survives(request: pytest.FixtureRequest) -> Iterator[None]:
    """After every fuzz test: the server still answers and its log gained no traceback."""
    if "fuzz_server" not in request.fixturenames:
        yield
        return
    server: ServerProcess = request.getfixturevalue("fuzz_server")
    watch = LogWatch(Path(server.log_path))
    yield
    assert server.process is not None and server.process.poll() is None, "the server process died"
    assert httpx.get(f"{server.url}/ContainerLiveness", timeout=30).status_code == 200
    watch.assert_clean()


def pytest_terminal_summary(terminalreporter) -> None:
    if not SEEN:
        return
    routes: dict[str, dict[int, int]] = {}
    for (route, status), count in SEEN.items():
        routes.setdefault(route if len(route) < 90 else route[:87] + "...", {})[status] = count
    terminalreporter.section(f"fuzz: {sum(SEEN.values())} checked responses")
    for route, statuses in sorted(routes.items(), key=lambda item: -sum(item[1].values()))[:40]:
        terminalreporter.write_line(f"{sum(statuses.values()):5d}  {route}  {dict(sorted(statuses.items()))}")
