"""The Studio page checked with axe-core in headless Chromium, each panel in turn, at a desktop
width (1280 px) and a phone's (390 px): no serious or critical violation, the document never
wider than the window, and every tab on screen and clickable (issue 18).

Every ``section.page`` of the page is checked, hosted or not: the server here hosts the anomaly
service, whose panel and the Operations panel are checked with their results drawn; the other
panels are checked as the page ships them (their markup, labels, contrast).
"""

from __future__ import annotations

import pytest

from tests.support.studio import KEY, axe_source, licensed_server

SERIOUS = ("serious", "critical")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with licensed_server(tmp_path_factory.mktemp("studio-axe")) as (running, _):
        yield running


@pytest.fixture(scope="module")
def axe():
    source = axe_source()
    if source is None:
        pytest.skip("axe-core is not installed: the test extras pin a wheel that bundles axe.min.js "
                    "(axe-core-python)")
    return source


def _show_only(browser, page_id: str) -> None:
    browser.evaluate(f"document.querySelectorAll('section.page').forEach(s => {{ s.hidden = s.id !== '{page_id}'; }})")


def _violations(browser) -> list[str]:
    found = browser.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations"
                             ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
                             " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))")
    return [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in found if v["impact"] in SERIOUS]


def _overflow(browser) -> int:
    """How many CSS pixels the document is wider than the window (0 when it fits)."""
    return browser.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def _unusable_tabs(browser) -> list[str]:
    """Tabs that are off screen or covered where a finger or mouse would press them."""
    return browser.evaluate("""[...document.querySelectorAll('#nav button, #nav-server button')].filter(b => {
        b.scrollIntoView({block: 'nearest'}); const r = b.getBoundingClientRect();
        const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return r.left < 0 || r.right > document.documentElement.clientWidth || r.height < 24 || hit !== b;
    }).map(b => b.textContent)""")


@pytest.mark.parametrize("width", [1280, 390])
def test_every_panel_passes_axe_and_fits(server, axe, browser, width):
    browser.send("Emulation.setDeviceMetricsOverride", width=width, height=844, deviceScaleFactor=1,
                 mobile=width < 600)
    browser.open(server.url + "/studio")
    browser.wait_for("document.body.dataset.studio === 'started'")
    browser.type_into("#key", KEY)
    browser.click("#ad-run")
    browser.wait_for("!!document.querySelector('#ad-readable canvas.chart')")
    browser.click("#nav-server button")
    browser.wait_for("document.body.dataset.operations === 'shown' && !!document.querySelector('#ops-chart rect.bar')")
    assert browser.evaluate("document.getElementById('page-operations').hidden") is False
    assert _unusable_tabs(browser) == []
    browser.evaluate(axe)

    pages = browser.evaluate("[...document.querySelectorAll('section.page')].map(s => s.id)")
    assert {"page-anomaly", "page-operations", "page-language"} <= set(pages)
    problems = {}
    for page in pages:
        _show_only(browser, page)
        found = _violations(browser)
        if _overflow(browser) > 0:
            found.append(f"the document is {_overflow(browser)} px wider than the {width} px window")
        if found:
            problems[page] = found
    assert problems == {}
    assert not [m for m in browser.console if "rror" in m], browser.console
