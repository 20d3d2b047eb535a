"""The Studio's Anomaly Detector tab in a real (headless) browser against the anomaly server:
the sample series is detected, drawn, and its spike listed."""

from __future__ import annotations

import pytest

from tests.support.server import ServerProcess


def test_sample_series_in_the_studio(anomaly_server: ServerProcess, browser) -> None:
    browser.open(anomaly_server.url + "/studio")
    tabs = browser.wait_for("document.body.dataset.studio === 'started'"
                            " && [...document.querySelectorAll('#nav button')].map(b => b.textContent)")
    assert tabs == ["Anomaly Detector"]
    assert browser.evaluate("document.getElementById('ad-series').value.split('\\n').length") == 168
    browser.click("#ad-run")
    shown = browser.wait_for("(t => t.includes('anomal') && t)(document.getElementById('ad-readable').innerText)")
    # The sample's one spike (hour 100), above its expected value, and its daily cycle.
    assert shown.startswith("Period 24; 1 anomaly") and "#100 2026-01-05T04:00:00Z" in shown, shown
    assert "(above)" in shown, shown
    assert browser.evaluate("!!document.querySelector('#ad-readable canvas.chart')")
    sent = browser.evaluate("document.getElementById('ad-request').textContent")
    assert sent.startswith("POST /anomalydetector/v1.1/timeseries/entire/detect")
    assert not [m for m in browser.console if "rror" in m], browser.console
