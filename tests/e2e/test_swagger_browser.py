"""``/swagger`` renders in a real browser with no network at all (issue 11).

The server runs in a network namespace whose only interface is loopback; headless Chromium runs
in that same namespace (``nsenter --net``) and dumps the DOM after the page's scripts ran. Swagger
UI builds one ``opblock`` per operation from ``/swagger/v1/swagger.json``: they are only there if
its JavaScript loaded from this server, since a CDN cannot be reached from inside. Chromium's net
log also lists every URL the page asked for: all of them must be on this server.

Chromium is a Debian package (``deploy/debian-packages-test.txt``, installed by ``make
install-test``); where it or network namespaces are missing the test is skipped with the reason.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time

import pytest

from tests.support import netns
from tests.support.server import ServerProcess

pytestmark = pytest.mark.offline

_LIVE = "import sys, httpx; sys.exit(httpx.get(sys.argv[1], timeout=2).status_code != 200)"


def _chromium() -> str | None:
    return next((shutil.which(name) for name in ("chromium", "chromium-browser") if shutil.which(name)), None)


@pytest.fixture(scope="module")
def inside(tmp_path_factory):
    reason = netns.unavailable()
    if reason:
        pytest.skip(reason)
    if _chromium() is None:
        pytest.skip("headless Chromium is not installed (apt-get install chromium; "
                    "make install-test does it from deploy/debian-packages-test.txt)")
    folder = tmp_path_factory.mktemp("swagger-browser")
    server = ServerProcess(settings=["Services=language"], output_dir=folder / "output",
                           log_path=folder / "server.log")
    server.output_dir.mkdir()
    with netns.netns_server(server) as prefix:
        # /swagger is housekeeping: it answers while the models still load.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            probe = subprocess.run([*prefix, sys.executable, "-c", _LIVE, f"{server.url}/ContainerLiveness"],
                                   capture_output=True, timeout=30)
            if probe.returncode == 0:
                break
            time.sleep(0.2)
        else:
            pytest.fail(f"server did not answer in its namespace; log: {server.log_text()}")
        yield {"prefix": prefix, "url": server.url, "folder": folder, "log": server.log_text}


def _render(inside, path: str) -> tuple[str, list[str]]:
    """The DOM after the page's scripts ran, and every URL the page itself asked for (from
    Chromium's net log: requests whose initiator is the page; the browser's own background
    requests, which no page makes, have none)."""
    netlog = inside["folder"] / f"netlog{len(list(inside['folder'].glob('netlog*')))}.json"
    command = [*inside["prefix"], _chromium(), "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-dev-shm-usage", "--no-first-run", f"--user-data-dir={inside['folder'] / 'profile'}",
               f"--log-net-log={netlog}", "--virtual-time-budget=20000", "--dump-dom", inside["url"] + path]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    log = json.loads(netlog.read_text())
    start_type = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    asked = [e["params"]["url"] for e in log["events"]
             if e["type"] == start_type and e.get("params", {}).get("initiator") == inside["url"]]
    return done.stdout, asked


def test_server_namespace_has_no_way_out(inside):
    links = subprocess.run([*inside["prefix"], "ip", "-o", "link"], capture_output=True, text=True, timeout=30)
    assert [line.split(":")[1].strip() for line in links.stdout.splitlines() if line.strip()] == ["lo"]


def test_swagger_ui_renders_offline(inside):
    dom, asked = _render(inside, "/swagger")
    paths = set(re.findall(r'class="opblock-summary-path" data-path="([^"]+)"', dom))
    assert "/text/analytics/v3.1/languages" in paths, dom[:3000]
    assert "/language/:analyze-text" in paths
    assert dom.count('class="opblock opblock-') >= 10
    assert "Failed to load API definition" not in dom
    # What the page loaded, all from this server: Swagger UI's files, its icon, the OpenAPI document.
    assert {u.removeprefix(inside["url"]) for u in asked} >= {
        "/swagger/assets/swagger-ui.css", "/swagger/assets/swagger-ui-bundle.js", "/swagger/v1/swagger.json"}
    assert [u for u in asked if not u.startswith(inside["url"] + "/")] == []


def test_home_page_renders_offline(inside):
    dom, asked = _render(inside, "/")
    assert "<h1>airgap" in dom
    assert 'href="/swagger"' in dom
    assert [u for u in asked if not u.startswith(inside["url"] + "/")] == []
