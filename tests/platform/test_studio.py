"""``/studio``: the airgap Studio page and its assets (issue 18, first slice).

Served by the platform from files in ``airgap/platform/studio`` (package data), with nothing from
another origin; the page shows a tab per hosted service (from ``/ready``); and in a real headless
Chromium, against a running language server, typing a text and running language detection shows
"English", every request of the page going to that server.
"""

from __future__ import annotations

import json
import re
import tomllib
from fnmatch import fnmatch
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest

from airgap.platform import studio
from airgap.services import registry

ROOT = Path(__file__).resolve().parents[2]
_URL = re.compile(r"""(?:https?:)?//[A-Za-z0-9.\-\[\]:]+""")
_SCHEMA_ID = "https://schema.cognitiveservices.azure.com/formrecognizer/2021-03-01/"
_IMPORT = re.compile(r"""^import\s[^;]*?from\s+["']([^"']+)["'];""", re.M)


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.assets: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.assets.append(attrs["src"])
        elif tag == "link" and attrs.get("href"):
            self.assets.append(attrs["href"])


def _page(base: str) -> httpx.Response:
    return httpx.get(base + "/studio", timeout=30)


def test_page_is_served_with_a_policy_that_allows_only_this_server(language_server):
    r = _page(language_server.url)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    policy = r.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy and "script-src 'self'" in policy
    assert "airgap Studio" in r.text
    home = httpx.get(language_server.url + "/", timeout=30).text
    assert 'href="/studio"' in home


def test_every_asset_the_page_loads_is_served_with_its_type(language_server):
    base = language_server.url + "/studio"
    parser = _Assets()
    parser.feed(_page(language_server.url).text)
    loaded = {urljoin(base, a) for a in parser.assets}
    assert loaded == {f"{language_server.url}/studio/assets/studio.css", f"{language_server.url}/studio/assets/studio.js"}
    for name, media_type in studio.FILES.items():
        r = httpx.get(f"{language_server.url}/studio/assets/{name}", timeout=30)
        assert r.status_code == 200, name
        assert r.headers["content-type"] == media_type, name
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.text == (resources.files("airgap.platform.studio") / name).read_text(encoding="utf-8")


def test_no_asset_names_another_origin(language_server):
    texts = {"/studio": _page(language_server.url).text}
    for name in studio.FILES:
        texts[name] = httpx.get(f"{language_server.url}/studio/assets/{name}", timeout=30).text
    # project.js writes Azure's JSON Schema identifiers into fields.json and labels.json: names in the
    # files the Label tab saves, never fetched (the page's CSP would refuse it), so not another origin.
    named = {name: _URL.findall(text.replace(_SCHEMA_ID, "")) for name, text in texts.items()}
    foreign = {name: found for name, found in named.items() if found}
    assert foreign == {}


def test_modules_import_only_served_modules():
    """Every ``import ... from "./x.js"`` names a file of the table, so none is missing at run time."""
    for name in (n for n in studio.FILES if n.endswith(".js")):
        text = (resources.files("airgap.platform.studio") / name).read_text(encoding="utf-8")
        for target in _IMPORT.findall(text):
            assert target.startswith("./") and target[2:] in studio.FILES, (name, target)


def test_every_studio_file_ships_as_package_data():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["*"]
    folder = resources.files("airgap.platform.studio")
    shipped = {"index.html", *studio.FILES}
    for name in shipped:
        assert (folder / name).is_file(), name
        assert any(fnmatch(name, p) for p in patterns), (name, patterns)
    on_disk = {p.name for p in folder.iterdir() if p.is_file() and not p.name.endswith((".py", ".pyc"))}
    assert on_disk == shipped, "a file in the studio folder that the server never serves"


def test_studio_has_a_page_for_every_bundled_service():
    text = (resources.files("airgap.platform.studio") / "studio.js").read_text(encoding="utf-8")
    assert set(re.findall(r'service: "([a-z]+)"', text)) == set(registry.BUNDLED)


def test_services_the_page_reads_are_the_hosted_ones(language_server):
    # The page builds its tabs from /ready's `services` (the browser test sees the tabs).
    assert set(httpx.get(language_server.url + "/ready", timeout=30).json()["services"]) == {"language"}


def test_unknown_asset_is_a_404_envelope(language_server):
    for name in ("nope.js", "..%2F__init__.py", "index.html", "__init__.py"):
        r = httpx.get(f"{language_server.url}/studio/assets/{name}", timeout=30)
        assert r.status_code == 404, name
        assert r.json()["error"]["code"] == "NotFound"


def test_language_detection_in_a_real_browser(language_server, browser):
    browser.open(language_server.url + "/studio")
    tabs = browser.wait_for("document.body.dataset.studio === 'started'"
                            " && [...document.querySelectorAll('#nav button')].map(b => b.textContent)")
    assert tabs == ["Language"]  # only what this server hosts
    assert browser.evaluate("document.getElementById('page-language').hidden") is False
    browser.type_into("#lang-text", "The weather is lovely today and we are going for a long walk in the park.")
    assert browser.evaluate("document.getElementById('lang-kind').value") == "LanguageDetection"
    browser.click("#lang-run")
    shown = browser.wait_for("(t => t.includes('English') && t)(document.getElementById('lang-readable').innerText)")
    assert "(en)" in shown
    sent = browser.evaluate("document.getElementById('lang-request').textContent")
    assert sent.startswith("POST /language/:analyze-text?api-version=2023-04-01")
    # Everything the page fetched over the network came from this server (blob: and data: are in the browser).
    fetched = [u for u in browser.requested if not u.startswith(("blob:", "data:"))]
    assert fetched and all(u.startswith(language_server.url + "/") for u in fetched), fetched
    assert language_server.url + "/studio/assets/language.js" in fetched
    assert not [m for m in browser.console if "rror" in m], browser.console


def test_pii_redaction_and_its_sdk_code_in_a_real_browser(language_server, browser, tmp_path):
    """PII marked inline and the redacted text shown; the request as sent and the Python the panel
    shows for it (azure-ai-textanalytics), which, run, prints the same redaction."""
    from tests.support.studio import run_sdk_code

    email = "anna.berg@example.com"
    text = f"Please write to {email} about the order."
    browser.open(language_server.url + "/studio")
    browser.wait_for("document.body.dataset.studio === 'started'")
    browser.type_into("#lang-text", text)
    browser.evaluate("document.getElementById('lang-kind').value = 'PiiEntityRecognition'")
    browser.click("#lang-run")
    redacted = browser.wait_for("(e => e && e.textContent)(document.querySelector('#lang-readable .redacted'))")
    answer = json.loads(browser.evaluate("document.getElementById('lang-json').textContent"))
    [document] = answer["results"]["documents"]
    assert redacted == document["redactedText"] == text.replace(email, "*" * len(email))
    marked = browser.evaluate("[...document.querySelectorAll('#lang-readable mark')].map(m => m.firstChild.textContent)")
    assert email in marked

    sent = browser.evaluate("document.getElementById('lang-request').textContent")
    assert sent.startswith("POST /language/:analyze-text?api-version=2023-04-01\nContent-Type: application/json\n")
    assert json.loads(sent.split("\n\n", 1)[1])["kind"] == "PiiEntityRecognition"
    code = browser.evaluate("document.getElementById('lang-code').textContent")
    assert "from azure.ai.textanalytics import TextAnalyticsClient" in code
    assert '[result] = client.recognize_pii_entities(documents, language="en")' in code
    assert f'ENDPOINT = "{language_server.url}"' in code
    printed = run_sdk_code(code, tmp_path).splitlines()
    assert printed[0] == redacted
    assert any(line.startswith(f"{email} Email ") for line in printed[1:]), printed
    assert not [m for m in browser.console if "rror" in m], browser.console


# One request of each kind the panels send, as api.call hands it to code.js (a File for uploads).
_REQUESTS = """[
  {method: 'POST', path: '/language/:analyze-text?api-version=2023-04-01', headers: {'Content-Type': 'application/json'},
   body: JSON.stringify({kind: 'SentimentAnalysis', analysisInput: {documents: [{id: '1', text: 'Good "food".', language: 'en'}]},
                         parameters: {opinionMining: true}})},
  {method: 'POST', path: '/translate?api-version=3.0&to=es&from=en', headers: {'Content-Type': 'application/json'},
   body: JSON.stringify([{Text: 'Hello'}])},
  {method: 'POST', path: '/speech/recognition/conversation/cognitiveservices/v1?language=de-DE&format=detailed',
   headers: {'Content-Type': 'audio/wav'}, body: new File(['RIFF'], 'hello.wav', {type: 'audio/wav'})},
  {method: 'POST', path: '/cognitiveservices/v1', body: '<speak version="1.0" xml:lang="en-US"><voice name="en-US-JoeNeural">Hi</voice></speak>',
   headers: {'Content-Type': 'application/ssml+xml', 'X-Microsoft-OutputFormat': 'riff-24khz-16bit-mono-pcm'}},
  {method: 'POST', path: '/vision/v3.2/read/analyze', headers: {'Content-Type': 'application/octet-stream'},
   body: new File(['x'], 'scan.png', {type: 'image/png'})},
  {method: 'POST', path: '/documentintelligence/documentModels/prebuilt-invoice:analyze?api-version=2024-11-30',
   headers: {'Content-Type': 'application/octet-stream'}, body: new File(['x'], 'bill.pdf', {type: 'application/pdf'})},
  {method: 'POST', path: '/language/:analyze-conversations?api-version=2023-04-01', headers: {'Content-Type': 'application/json'},
   body: JSON.stringify({kind: 'Conversation', analysisInput: {conversationItem: {id: '1', participantId: '1', text: 'hi'}},
                         parameters: {projectName: 'p', deploymentName: 'd', stringIndexType: 'Utf16CodeUnit', verbose: false}})},
  {method: 'POST', path: '/anomalydetector/v1.1/timeseries/entire/detect', headers: {'Content-Type': 'application/json'},
   body: JSON.stringify({series: [1, 2, 3].map(v => ({timestamp: `2026-01-0${v}T00:00:00Z`, value: v})), granularity: 'daily', sensitivity: 90})},
  {method: 'GET', path: '/languages?api-version=3.0&scope=translation', headers: {}},
]"""

_SDK_CLIENTS = ["TextAnalyticsClient", "TextTranslationClient", "speechsdk.SpeechRecognizer", "speechsdk.SpeechSynthesizer",
                "ComputerVisionClient", "DocumentIntelligenceClient", "ConversationAnalysisClient", "AnomalyDetectorClient"]


def _client_calls(code: str) -> tuple[dict, list[tuple[str, str]]]:
    """The code's imports run (so each names something installed), and each ``var.method(...)``
    call on a variable made by calling a class: (namespace, [(class expression, method)])."""
    import ast

    tree = ast.parse(code)
    namespace: dict = {}
    exec(compile(ast.Module([n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))], []), "<imports>", "exec"),
         namespace)
    made = {n.targets[0].id: ast.unparse(n.value.func) for n in ast.walk(tree)
            if isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Name) and isinstance(n.value, ast.Call)
            and ast.unparse(n.value.func).split(".")[-1][:1].isupper()}
    calls = [(made[n.func.value.id], n.func.attr) for n in ast.walk(tree) if isinstance(n, ast.Call)
             and isinstance(n.func, ast.Attribute) and isinstance(n.func.value, ast.Name) and n.func.value.id in made]
    return namespace, calls


def test_sdk_code_of_every_panel_names_real_sdk_calls(language_server, browser):
    """code.js's Python for each request a panel sends: it parses, its imports exist in the
    installed SDKs, each client it builds has the method it calls, and it points at this server;
    a GET of a list has no SDK code."""
    browser.open(language_server.url + "/studio")
    browser.wait_for("document.body.dataset.studio === 'started'")
    codes = browser.evaluate(f"import('./studio/assets/code.js').then(m => {_REQUESTS}.map(r => m.python(r)))")
    assert codes[-1] is None
    used = []
    for code in codes[:-1]:
        assert f'ENDPOINT = "{language_server.url}"' in code or f'HOST = "ws://{language_server.url.split("//")[1]}"' in code, code
        namespace, calls = _client_calls(code)
        assert calls, code
        for client, method in calls:
            assert hasattr(eval(client, namespace), method), (client, method)  # noqa: S307 - the page's own code
        used.append({client for client, _ in calls})
    assert [client in classes for client, classes in zip(_SDK_CLIENTS, used, strict=True)] == [True] * len(used), used
    assert "client.analyze_sentiment(documents, language=\"en\", show_opinion_mining=True)" in codes[0]
    assert 'client.translate(body=["Hello"], to_language=["es"], from_language="en")' in codes[1]
    assert 'config.speech_recognition_language = "de-DE"' in codes[2]
    assert "SpeechSynthesisOutputFormat.Riff24Khz16BitMonoPcm" in codes[3]
    assert hasattr(namespace_of(codes[3])["speechsdk"].SpeechSynthesisOutputFormat, "Riff24Khz16BitMonoPcm")
    assert 'client.begin_analyze_document("prebuilt-invoice", body=source)' in codes[5]
    assert 'granularity="daily", sensitivity=90' in codes[7]


def namespace_of(code: str) -> dict:
    return _client_calls(code)[0]
