"""Apertium's engine process under the platform's supervisor: a crash is restarted, and meanwhile
requests are answered or refused with a clean 503, never left hanging, never a 500."""

from __future__ import annotations

import os
import signal
import time

import httpx
import pytest

from tests.support.server import ServerProcess
from tests.translator.conftest import apertium_missing


@pytest.fixture
def server(tmp_path):
    reason = apertium_missing()
    if reason:
        pytest.skip(reason)
    with ServerProcess(settings=["Services=translator", "Languages=en,es,fr"], log_path=tmp_path / "log") as s:
        yield s


def _apertium(server) -> dict:
    status = httpx.get(server.url + "/status", timeout=10).json()
    return next(p for p in status["processes"] if p["name"] == "apertium")


def _translate(server) -> httpx.Response:
    return httpx.post(server.url + "/translate", params={"api-version": "3.0", "from": "en", "to": "es"},
                      json=[{"text": "The house is red."}], timeout=30)


def test_languages_limit_the_pairs_and_preload_them(server):
    body = httpx.get(server.url + "/languages", params={"api-version": "3.0", "scope": "translation"}).json()
    assert set(body["translation"]) == {"en", "es", "fr"}
    r = httpx.post(server.url + "/translate", params={"api-version": "3.0", "from": "en", "to": "ca"},
                   json=[{"text": "x"}])
    assert r.json()["error"]["code"] == 400036


def test_a_killed_engine_process_is_restarted_and_requests_never_hang(server):
    assert _translate(server).status_code == 200
    first = _apertium(server)
    os.kill(first["pid"], signal.SIGKILL)
    answers = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        r = _translate(server)  # each has its own timeout: a hang would fail here
        answers.append(r.status_code)
        if r.status_code == 503:
            assert r.json()["error"]["code"] == 503000
            assert int(r.headers["retry-after"]) >= 1
        else:
            assert r.status_code == 200, r.text
            if _apertium(server)["pid"] != first["pid"]:
                break
        time.sleep(0.2)
    assert answers[-1] == 200 and r.json()[0]["translations"][0]["text"] == "La casa es roja."
    again = _apertium(server)
    assert again["pid"] != first["pid"] and again["restarts"] >= 1 and again["state"] == "healthy"
