"""Mounted neural models (``Mounts:Models``): a tiny CTranslate2 model built by the test, in both
layouts users keep (an OPUS-MT conversion, an Argos ``.argosmodel``), loaded, batched across
concurrent requests, and answering its pair over the API instead of Apertium."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest

from airgap.services.translator.engines.neural import ModelError, NeuralEngine, discover
from tests.support.server import ServerProcess
from tests.translator.conftest import apertium_missing
from tests.translator.tiny_model import build

pytest.importorskip("ctranslate2")


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("models")
    build(folder, "en", "es", "hola", layout="ctranslate2")
    build(folder, "en", "fr", "bonjour", layout="argos")
    (folder / "README.txt").write_text("not a model")
    return folder


def test_both_layouts_are_found_with_their_pairs(models):
    found = {(m.source, m.target): m for m in discover(models)}
    assert set(found) == {("en", "es"), ("en", "fr")}
    assert found[("en", "es")].files is None and found[("en", "fr")].files  # the .argosmodel is read in place
    assert {(m.source, m.target) for m in discover(models, ["en", "fr"])} == {("en", "fr")}


def test_a_broken_model_names_its_file(tmp_path):
    broken = tmp_path / "opus-mt-en-de"
    broken.mkdir()
    (broken / "model.bin").write_bytes(b"")
    with pytest.raises(ModelError, match="opus-mt-en-de.*SentencePiece"):
        discover(tmp_path)
    with pytest.raises(ModelError, match="not a folder"):
        discover(tmp_path / "missing")


def test_the_engine_translates_each_sentence(models):
    engine = NeuralEngine(models)
    engine.load()
    try:
        assert engine.directions() == {("en", "es"): "ctranslate2:opus-mt-en-es",
                                       ("en", "fr"): "ctranslate2:translate-en_fr-1_0"}
        out = engine.translate(("en", "es"), ["The house is red. The car is green.", "", "cat"])
        assert out == ["hola hola", "", "hola"]  # one translation per sentence, white space kept
        assert engine.translate(("en", "fr"), ["hello"]) == ["bonjour"]
    finally:
        engine.close()


def test_concurrent_requests_share_a_batch(models):
    engine = NeuralEngine(models)
    engine.load()
    worker = engine.workers[("en", "es")]
    try:
        results: list[list[str]] = []
        with worker.gate:  # the model is busy: requests line up behind it
            threads = [threading.Thread(target=lambda: results.append(engine.translate(("en", "es"), ["cat"])))
                       for _ in range(6)]
            for thread in threads:
                thread.start()
            # The worker takes what has arrived (k requests) and then waits for the model; the rest
            # queue behind it. Wait for all six to be in (bounded: never hold the gate forever).
            deadline = time.monotonic() + 10
            while worker.queue.qsize() < 5 and time.monotonic() < deadline:
                time.sleep(0.01)
        for thread in threads:
            thread.join(30)
        assert results == [["hola"]] * 6
        # k and 6 - k requests went in two batches at most: one of them holds at least three.
        assert worker.largest_batch >= 3
    finally:
        engine.close()


@pytest.fixture(scope="module")
def server(models, tmp_path_factory):
    reason = apertium_missing()
    if reason:
        pytest.skip(reason)
    log = tmp_path_factory.mktemp("neural-server") / "server.log"
    with ServerProcess(settings=["Services=translator", f"Mounts:Models={models}"], log_path=log) as s:
        yield s


def test_a_mounted_model_wins_over_apertium_for_its_pair(server):
    r = httpx.post(server.url + "/translate", params=[("api-version", "3.0"), ("from", "en"), ("to", "es"),
                                                      ("to", "ca")], json=[{"text": "The house is red."}], timeout=60)
    assert r.status_code == 200, r.text
    es, ca = r.json()[0]["translations"]
    assert es == {"text": "hola", "to": "es"}
    assert ca["text"] == "La casa és vermell."  # no model for en-ca: Apertium answers
    assert r.headers["x-mt-system"] == "ctranslate2:opus-mt-en-es,apertium:eng-cat"


def test_a_mounted_model_serves_the_2026_api_html_and_pivots(server):
    r = httpx.post(server.url + "/translate", params={"api-version": "2026-06-06"}, json={"inputs": [
        {"text": "<p>The <b>cat</b>.</p>", "language": "en", "textType": "html", "targets": [{"language": "fr"}]},
        {"text": "Hola.", "language": "es", "targets": [{"language": "fr"}]},
        {"text": "The house.", "language": "en", "targets": [{"language": "pt-pt"}]},
    ]}, timeout=60)
    assert r.status_code == 200, r.text
    html, apertium, pivot = r.json()["value"]
    assert html["translations"][0]["text"] == "<p>bonjour <b>bonjour</b>bonjour</p>"  # text nodes, markup kept
    assert apertium["translations"][0]["text"] == "Salut."  # es-fr: no model, Apertium
    # No engine has en to pt-pt: the model takes it to Spanish, Apertium on to Portuguese.
    assert pivot["translations"][0]["text"].lower().startswith("ol")
    systems = r.headers["x-mt-system"].split(",")
    assert "ctranslate2:opus-mt-en-es>apertium:es-pt" in systems
    languages = httpx.get(server.url + "/languages", params={"api-version": "3.0", "scope": "translation"}).json()
    assert {"en", "es", "fr"} <= set(languages["translation"])
