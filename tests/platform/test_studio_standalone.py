"""``airgap studio``: the Studio as its own process in front of services that run apart (issue 18).

Two real servers, anomaly (behind inbound auth) and conversations, stand in for the compose
stack's containers. The Studio passes API requests to one of them (``Studio:Upstream``; in
compose, the nginx front that routes by path) or by path prefix to each (``Studio:Routes``, as
the Helm chart sets it) and merges both servers' ``/ready`` plus two that
never answer (``Studio:Ready``): a host that does not resolve and a closed port.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from dataclasses import dataclass

import httpx
import pytest

from airgap.platform.settings import Settings, SettingsError
from airgap.studio.ready import Answer, merge
from airgap.studio.settings import STUDIO
from tests.support.server import ServerProcess, free_port

KEY = "standalone-s3cret"
DETECT = "/anomalydetector/v1.1/timeseries/entire/detect"
AUTHORING = "/language/authoring/analyze-conversations/projects"
SERIES = {"granularity": "hourly", "series": [
    {"timestamp": f"2026-01-01T{h:02d}:00:00Z", "value": 10 + h % 3 + (40 if h == 17 else 0)} for h in range(24)]}
PROJECT = {"projectFileVersion": "2023-04-01", "stringIndexType": "Utf16CodeUnit",
           "metadata": {"projectKind": "Conversation", "settings": {"confidenceThreshold": 0.0}, "projectName": "Tiny",
                        "multilingual": False, "description": "two intents", "language": "en-us"},
           "assets": {"projectKind": "Conversation", "intents": [{"category": "Greet"}, {"category": "Bye"}],
                      "entities": [], "utterances": [
                          {"text": "hello there", "intent": "Greet", "language": "en-us", "dataset": "Train"},
                          {"text": "goodbye now", "intent": "Bye", "language": "en-us", "dataset": "Train"}]}}


@dataclass
class StudioProcess(ServerProcess):
    """``python -m airgap studio``; ready once it serves its page (its /ready depends on others)."""

    def command(self) -> list[str]:
        return [sys.executable, "-m", "airgap", "studio", "Host=127.0.0.1", f"Port={self.port}", *self.settings]

    def wait_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"studio exited with {self.process.returncode}; log: {self.log_text()}")
            try:
                if httpx.get(f"{self.url}/studio", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"studio not serving after {timeout}s; log: {self.log_text()}")


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("studio-standalone")
    anomaly = ServerProcess(settings=["Services=anomaly", f"Auth:SubscriptionKeys={KEY}"],
                            log_path=folder / "anomaly.log").start(wait_ready=False)
    conversations = ServerProcess(settings=["Services=conversations", f"Mounts:Shared={folder / 'shared'}"],
                                  log_path=folder / "conversations.log").start(wait_ready=False)
    try:
        anomaly.wait_ready()
        conversations.wait_ready()
        yield anomaly, conversations
    finally:
        anomaly.stop()
        conversations.stop()


def _ready_setting(*servers: ServerProcess) -> str:
    named = ",".join(f"{s.settings[0].split('=')[1]}={s.url}" for s in servers)
    return f"Studio:Ready={named},speech=http://speech.invalid:5000,gone=http://127.0.0.1:{free_port()}"


@pytest.fixture(scope="module")
def studio(servers, tmp_path_factory):
    anomaly, conversations = servers
    folder = tmp_path_factory.mktemp("studio")
    with StudioProcess(settings=[f"Studio:Upstream={anomaly.url}", _ready_setting(anomaly, conversations)],
                       log_path=folder / "studio.log") as running:
        yield running


# -- settings and the merge, in process ------------------------------------------------------

def test_settings_are_read_the_airgap_way():
    env = {"STUDIO__UPSTREAM": "http://front:8080/", "studio__ready": "language=http://language:5000; http://speech:5000"}
    studio = Settings.load([], env).section(STUDIO)
    assert studio.upstream == "http://front:8080"
    assert studio.ready_targets() == (("language", "http://language:5000"), ("speech", "http://speech:5000"))
    # The command line wins; unset Ready means the upstream's own /ready.
    studio = Settings.load(["Studio:Upstream=http://127.0.0.1:9"], {"STUDIO__UPSTREAM": "http://x:1"}).section(STUDIO)
    assert studio.ready_targets() == (("upstream", "http://127.0.0.1:9"),)
    assert Settings.load([], {}).section(STUDIO).upstream == "http://nginx:5000"
    for bad in ("nginx:5000", "ftp://nginx", "http://nginx:port", "http://nginx:5000/?q=1"):
        with pytest.raises(SettingsError, match="Studio:Upstream"):
            Settings.load([f"Studio:Upstream={bad}"])


def test_merge_is_200_when_any_service_is_ready():
    ready = Answer("language", "http://l", {"status": "ready", "services": {"language": "ready"}})
    loading = Answer("speech", "http://s", {"status": "notReady", "services": {"speech": "loading"},
                                            "processes": {"espeak": "starting"}, "reason": "Engine process espeak is down."})
    expired = Answer("vision", "http://v", {"status": "notReady", "services": {"vision": "ready"},
                                            "reason": "Engine process espeak is down."})
    gone = Answer("translator", "http://t", failure="ConnectError: Name or service not known")

    status, body = merge([ready, loading, gone])
    assert status == 200
    assert body["status"] == "notReady"  # the page says what still loads
    assert body["services"] == {"language": "ready", "speech": "loading"}
    assert body["processes"] == {"espeak": "starting"}
    assert body["unreachable"] == {"translator": "http://t: ConnectError: Name or service not known"}
    assert merge([loading, expired])[1]["reason"] == "Engine process espeak is down."  # said once

    status, body = merge([loading])
    assert status == 503 and body["services"] == {"speech": "loading"}
    status, body = merge([ready])
    assert (status, body) == (200, {"status": "ready", "services": {"language": "ready"}, "servers": ["language"]})
    status, body = merge([gone])
    assert status == 503 and body["services"] == {}
    assert body["reason"].startswith("No airgap server answered /ready (Studio:Ready): translator at http://t")


def test_bad_setting_stops_the_start_with_one_line():
    done = subprocess.run([sys.executable, "-m", "airgap", "studio", "Studio:Ready=speech=speech:5000"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "airgap studio: Setting Studio:Ready: expected an http:// or https:// URL such as http://nginx:5000, "
        "got 'speech:5000'."]


# -- against real servers --------------------------------------------------------------------

def test_ready_merges_every_server_and_leaves_out_those_that_do_not_answer(studio):
    started = time.monotonic()
    response = httpx.get(studio.url + "/ready", timeout=10)
    took = time.monotonic() - started
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["services"] == {"anomaly": "ready", "conversations": "ready"}
    assert set(body["unreachable"]) == {"speech", "gone"}
    assert took < 4, f"/ready took {took:.1f} s: the servers are asked at once, with short timeouts"


def test_page_and_assets_are_served_by_the_studio_itself(studio):
    page = httpx.get(studio.url + "/studio")
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    from airgap.platform.studio import file_path

    assert page.text == file_path("index.html").read_text(encoding="utf-8")
    asset = httpx.get(studio.url + "/studio/assets/studio.js")
    assert asset.headers["content-type"] == "text/javascript; charset=utf-8"
    missing = httpx.get(studio.url + "/studio/assets/nothing.js")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "NotFound"


def test_api_calls_pass_through_with_the_key_status_headers_and_body(servers, studio):
    anomaly, _ = servers
    refused = httpx.post(studio.url + DETECT, json=SERIES)
    assert refused.status_code == 401  # the upstream's answer, as it gave it
    assert refused.headers["www-authenticate"] == 'ApiKey header="Ocp-Apim-Subscription-Key"'
    assert "invalid subscription key" in refused.json()["message"]
    assert len(refused.headers.get_list("date")) == 1

    direct = httpx.post(anomaly.url + DETECT, json=SERIES, headers={"Ocp-Apim-Subscription-Key": KEY}).json()
    proxied = httpx.post(studio.url + DETECT, json=SERIES, headers={"Ocp-Apim-Subscription-Key": KEY})
    assert proxied.status_code == 200 and proxied.json() == direct
    assert direct["isAnomaly"][17] is True

    # A body streamed in chunks (no Content-Length) goes on as it comes.
    def chunks():
        text = json.dumps(SERIES).encode()
        for start in range(0, len(text), 100):
            yield text[start:start + 100]

    streamed = httpx.post(studio.url + DETECT, content=chunks(),
                          headers={"Ocp-Apim-Subscription-Key": KEY, "Content-Type": "application/json"})
    assert streamed.status_code == 200 and streamed.json() == direct


def test_operation_location_names_the_studio(servers, tmp_path):
    _, conversations = servers
    with StudioProcess(settings=[f"Studio:Upstream={conversations.url}"], log_path=tmp_path / "studio.log") as studio:
        accepted = httpx.post(f"{studio.url}{AUTHORING}/Tiny/:import?api-version=2023-04-01", json=PROJECT)
        assert accepted.status_code == 202, accepted.text
        location = accepted.headers["operation-location"]
        assert location.startswith(f"{studio.url}{AUTHORING}/Tiny/import/jobs/"), location
        job = httpx.get(location)
        assert job.status_code == 200 and job.json()["status"] == "succeeded"
        # The query goes on as written: without api-version the server's own 400 comes back.
        direct = httpx.get(f"{conversations.url}{AUTHORING}")
        proxied = httpx.get(f"{studio.url}{AUTHORING}")
        assert direct.status_code == proxied.status_code == 400 and proxied.json() == direct.json()
        listed = httpx.get(f"{studio.url}{AUTHORING}?api-version=2023-04-01").json()
        assert [p["projectName"] for p in listed["value"]] == ["Tiny"]


def test_routes_setting_is_parsed_and_checked():
    studio = Settings.load(["Studio:Routes=/speech=http://speech:5000/; /LUIS=http://conversations:5000,"
                            "/language/authoring/analyze-conversations=http://conversations:5000"]).section(STUDIO)
    table = studio.route_table()
    assert table.lookup("/speech/recognition/x") == "http://speech:5000"
    assert table.lookup("/luis/v3.0/apps") == table.lookup("/Luis") == "http://conversations:5000"
    assert table.lookup("/language/authoring/analyze-conversations/projects") == "http://conversations:5000"
    assert table.lookup("/language/authoring/analyze-text") is None and table.lookup("/speechx") is None
    assert Settings.load([]).section(STUDIO).route_table().lookup("/speech") is None
    for bad, why in (("speech=http://speech:5000", "/prefix=URL"), ("/speech", "/prefix=URL"), ("/=http://a:1", "/prefix=URL"),
                     ("/speech=speech:5000", "http://"), ("/speech=http://a:1,/Speech/=http://b:1", "both")):
        with pytest.raises(SettingsError, match=f"Studio:Routes.*{re.escape(why)}"):
            Settings.load([f"Studio:Routes={bad}"])


def test_routes_send_each_prefix_to_its_server(servers, tmp_path):
    """Kubernetes' shape: no front, one server per service; the Studio routes by path prefix as
    airgap does (whole segment, any case), the rest to Studio:Upstream; REST and errors as direct."""
    anomaly, conversations = servers
    routes = f"Studio:Routes=/language/authoring/analyze-conversations={conversations.url},/luis={conversations.url}"
    with StudioProcess(settings=[f"Studio:Upstream={anomaly.url}", routes], log_path=tmp_path / "studio.log") as studio:
        authoring = httpx.get(f"{studio.url}{AUTHORING.upper()}?api-version=2023-04-01")
        direct = httpx.get(f"{conversations.url}{AUTHORING}?api-version=2023-04-01")
        assert authoring.status_code == 200 and authoring.json() == direct.json()
        detect = httpx.post(studio.url + DETECT, json=SERIES, headers={"Ocp-Apim-Subscription-Key": KEY})
        assert detect.status_code == 200 and detect.json()["isAnomaly"][17] is True
        # "/luisx" is not under "/luis": it goes to the upstream (anomaly), whose 404 names the path.
        for path, owner in (("/luis/v3.0/apps/x/slots/production/predict", conversations),
                            ("/luisx/thing", anomaly)):
            through, direct = httpx.get(studio.url + path), httpx.get(owner.url + path)
            assert (through.status_code, through.json()) == (direct.status_code, direct.json()), path


def test_a_route_that_is_down_says_which_setting_names_it(servers, tmp_path):
    anomaly, _ = servers
    closed = f"http://127.0.0.1:{free_port()}"
    with StudioProcess(settings=[f"Studio:Upstream={anomaly.url}", f"Studio:Routes=/luis={closed}"],
                       log_path=tmp_path / "studio.log") as studio:
        response = httpx.get(studio.url + "/luis/v3.0/apps")
        assert response.status_code == 503
        assert f"{closed} (setting Studio:Routes)" in response.json()["error"]["message"]


def test_upstream_down_is_an_azure_error_that_says_what_to_check(tmp_path):
    closed = f"http://127.0.0.1:{free_port()}"
    with StudioProcess(settings=[f"Studio:Upstream={closed}"], log_path=tmp_path / "studio.log") as studio:
        response = httpx.post(studio.url + DETECT, json=SERIES)
        assert response.status_code == 503
        error = response.json()["error"]
        assert error["code"] == "ServiceUnavailable"
        assert f"{closed} (setting Studio:Upstream)" in error["message"]
        assert "docker compose ps" in error["message"]
        ready = httpx.get(studio.url + "/ready")
        assert ready.status_code == 503 and ready.json()["services"] == {}
        assert ready.json()["reason"].startswith(f"No airgap server answered /ready (Studio:Ready): upstream at {closed}")
        assert httpx.get(studio.url + "/studio").status_code == 200  # the page still says what is wrong


def test_both_services_shown_and_a_call_run_through_the_studio(studio, browser):
    browser.open(studio.url + "/studio#anomaly")
    tabs = browser.wait_for("document.body.dataset.studio === 'started'"
                            " && [...document.querySelectorAll('#nav button')].map(b => b.textContent)")
    assert tabs == ["Conversations", "Anomaly Detector"]  # from two servers' /ready
    assert browser.evaluate("document.getElementById('page-anomaly').hidden") is False
    browser.type_into("#key", KEY)
    browser.click("#ad-run")
    shown = browser.wait_for("(t => t && t)(document.getElementById('ad-readable').innerText)")
    assert shown.startswith("Period 24"), shown
    fetched = [u for u in browser.requested if not u.startswith(("blob:", "data:"))]
    assert studio.url + DETECT in fetched
    assert all(u.startswith(studio.url + "/") for u in fetched), fetched
    assert not [m for m in browser.console if "rror" in m], browser.console


def _choose_server(browser, name: str) -> None:
    browser.evaluate(f"(s => {{ s.value = {json.dumps(name)}; s.dispatchEvent(new Event('change')); }})"
                     "(document.getElementById('ops-server'))")


def _rows(browser, caption: str) -> list[list[str]]:
    return browser.evaluate(f"""[...document.querySelectorAll('#page-operations table')]
        .filter(t => t.caption.textContent === {json.dumps(caption)})
        .flatMap(t => [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.textContent)))""")


def test_operations_shows_each_servers_own_status_and_metrics(studio, servers, browser):
    """Behind the Studio each service has its own server: Operations offers each one named in
    Studio:Ready, and shows that server's own /ready, /status and /metrics (through
    /studio/servers/{name}/...); a server that is gone says so; the usage stays the stack's."""
    anomaly, conversations = servers
    browser.open(studio.url + "/studio#operations")
    browser.wait_for("document.body.dataset.operations === 'shown' && !document.getElementById('ops-server-box').hidden")
    options = browser.evaluate("[...document.getElementById('ops-server').options].map(o => o.value)")
    assert options == ["", "anomaly", "conversations", "speech", "gone"]
    assert sorted(_rows(browser, "Hosted services")) == [["anomaly", "ready"], ["conversations", "ready"]]  # merged

    _choose_server(browser, "conversations")
    browser.wait_for(f"JSON.stringify({json.dumps([['conversations', 'ready']])}) === JSON.stringify("
                     "[...document.querySelectorAll('#ops-engines table')][0] && [...[...document.querySelectorAll("
                     "'#ops-engines table')][0].tBodies[0].rows].map(r => [...r.cells].map(c => c.textContent)))")
    engines = _rows(browser, "Engine models in this process")
    assert engines and {row[0] for row in engines} == {"conversations"}, engines
    # The same figures the server itself gives: its own /status.
    assert httpx.get(f"{studio.url}/studio/servers/conversations/status").json() == \
        httpx.get(f"{conversations.url}/status").json()

    _choose_server(browser, "anomaly")
    browser.wait_for("(t => t && t.includes('anomaly') && !t.includes('conversations'))"
                     "(document.getElementById('ops-engines').innerText)")
    assert _rows(browser, "Hosted services") == [["anomaly", "ready"]]

    _choose_server(browser, "gone")
    said = browser.wait_for("(e => e && e.textContent)(document.querySelector('#ops-engines [role=alert], #ops-engines .error'))")
    assert "could not reach gone" in said, said
    assert not [m for m in browser.console if "rror" in m], browser.console


def test_server_routes_refuse_what_is_not_theirs(studio):
    for path in ("/studio/servers/nobody/status", "/studio/servers/anomaly/records", "/studio/servers/anomaly/"):
        answer = httpx.get(studio.url + path)
        assert answer.status_code == 404, path
        assert answer.json()["error"]["code"] == "NotFound"
