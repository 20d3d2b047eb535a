"""Every HTML page the server serves references only its own origin (issue 11).

The pages are found by crawling: ``/``, ``/swagger``, every GET path without parameters in the
OpenAPI document, and every same-origin link of an HTML page found so far. On each HTML page,
every ``src``, ``href``, ``action``, CSS ``url(...)``/``@import`` and absolute URL inside an inline
script must be on this server (relative, or ``http://<this host:port>``); ``data:`` URIs are
allowed. Every stylesheet the pages load is checked the same way, and every asset they load must
be served here with a 200. Rendering in a real browser with no network: tests/e2e/test_swagger_browser.py.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx

# Attributes that make a browser fetch (or navigate to) a URL.
_URL_ATTRIBUTES = {"src", "href", "action", "srcset", "poster", "data", "formaction", "manifest", "background"}
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.I)
_ABSOLUTE_URL = re.compile(r"""(?:https?:)?//[A-Za-z0-9.\-\[\]:]+[^\s'"<>)]*""")
# Inline scripts may mention XML namespaces, which no browser fetches.
_NOT_FETCHED = ("http://www.w3.org/",)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.references: list[tuple[str, str]] = []  # (where, url)
        self.assets: list[tuple[str, str]] = []  # (kind, url) the browser loads with the page
        self.links: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in _URL_ATTRIBUTES:
                for url in ([v.strip().split()[0] for v in value.split(",") if v.strip()]
                            if name == "srcset" else [value.strip()]):
                    self.references.append((f"<{tag} {name}>", url))
                    if tag == "a":
                        self.links.append(url)
                    elif tag == "link" and "stylesheet" in dict(attrs).get("rel", ""):
                        self.assets.append(("css", url))
                    else:
                        self.assets.append(("other", url))
            if name == "style":
                self.references.extend((f"<{tag} style>", u) for u in _css_urls(value))
        self._in = tag if tag in ("script", "style") else None

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "style":
            self.references.extend(("<style>", u) for u in _css_urls(data))
        elif self._in == "script":
            self.references.extend(("<script>", u) for u in _ABSOLUTE_URL.findall(data)
                                   if not u.startswith(_NOT_FETCHED))


def _css_urls(css: str) -> list[str]:
    return [m.group(2) or m.group(4) for m in _CSS_URL.finditer(css)]


def _foreign(base: str, url: str) -> bool:
    if url.startswith(("data:", "#", "javascript:void")) or not url:
        return False
    here, there = urlsplit(base), urlsplit(urljoin(base, url))
    return (there.scheme, there.netloc) != (here.scheme, here.netloc)


def _crawl(base: str) -> dict[str, _Page]:
    doc = httpx.get(base + "/swagger/v1/swagger.json", timeout=30).json()
    queue = ["/", "/swagger"] + [p for p, ops in doc["paths"].items() if "get" in ops and "{" not in p]
    seen: set[str] = set()
    pages: dict[str, _Page] = {}
    while queue:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        r = httpx.get(base + path, timeout=30)
        if not r.headers.get("content-type", "").startswith("text/html"):
            continue
        page = _Page()
        page.feed(r.text)
        pages[path] = page
        for link in page.links:
            if not _foreign(base + path, link):
                target = urlsplit(urljoin(base + path, link))
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return pages


def test_every_html_page_references_only_its_own_origin(language_server):
    base = language_server.url
    pages = _crawl(base)
    assert {"/", "/swagger"} <= set(pages), sorted(pages)
    foreign = [(path, where, url) for path, page in pages.items() for where, url in page.references
               if _foreign(base + path, url)]
    assert foreign == []


def test_every_asset_of_every_page_is_served_here(language_server):
    base = language_server.url
    for path, page in _crawl(base).items():
        for kind, url in page.assets:
            if url.startswith("data:"):
                continue
            r = httpx.get(urljoin(base + path, url), timeout=30)
            assert r.status_code == 200, (path, url, r.status_code)
            if kind == "css":
                assert r.headers["content-type"].startswith("text/css")
                foreign = [u for u in _css_urls(r.text) if _foreign(urljoin(base + path, url), u)]
                assert foreign == [], (url, foreign)


def test_swagger_page_loads_swagger_ui_from_this_server(language_server):
    page = httpx.get(language_server.url + "/swagger", timeout=30)
    assert page.status_code == 200
    parser = _Page()
    parser.feed(page.text)
    assets = {url for _, url in parser.assets}
    assert assets == {"/swagger/assets/swagger-ui.css", "/swagger/assets/favicon.png",
                      "/swagger/assets/swagger-ui-bundle.js"}
    js = httpx.get(language_server.url + "/swagger/assets/swagger-ui-bundle.js", timeout=30)
    assert js.headers["content-type"].startswith("text/javascript")
    assert "SwaggerUIBundle" in js.text
    icon = httpx.get(language_server.url + "/swagger/assets/favicon.png", timeout=30)
    assert icon.headers["content-type"] == "image/png" and icon.content.startswith(b"\x89PNG")
    # No online validator badge: Swagger UI would send the document to validator.swagger.io.
    assert '"validatorUrl": null' in page.text


def test_unknown_swagger_asset_is_a_404_envelope(language_server):
    for name in ("nope.js", "..%2Fcore.py", "swagger-ui.js.map"):
        r = httpx.get(f"{language_server.url}/swagger/assets/{name}", timeout=30)
        assert r.status_code == 404, name
        assert r.json()["error"]["code"] == "NotFound"
