"""The Apertium engine without HTTP in front: installed pairs, its engine process, pivots, HTML,
dictionary lookups, and a pipeline whose programs die."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

from airgap.services.translator.engines import apertium_server as srv
from airgap.services.translator.engines.apertium import ApertiumClient, ApertiumEngine, discover
from airgap.services.translator.engines.base import EngineUnavailable
from airgap.services.translator.engines.routing import Router
from tests.translator.conftest import requires_apertium

# --- the stream format, no Apertium needed -----------------------------------------------------


def test_plain_text_is_escaped_and_closed_and_comes_back_unchanged():
    text = "a [b] c^d $e /f @g <h> {i} \\j ~k\nline\n\npara"
    stream = srv.deformat_text(text)
    assert stream.endswith(".[]") and "\\[b\\]" in stream and "[~]" in stream
    assert srv.reformat(stream, markup=False) == text


def test_html_markup_travels_as_blanks_and_text_is_escaped_again():
    markup = ('<p class="x">Tom &amp; Jerry</p><span class="notranslate">keep <i>me</i></span>'
              '<script>if (a < b) {}</script>text')
    stream = srv.deformat_html(markup)
    assert "Tom & Jerry" in stream  # entities decoded for the engine
    assert '[\\<span class="notranslate"\\>keep \\<i\\>me\\<\\/i\\>\\<\\/span\\>]' in stream  # one untouched blank
    assert srv.reformat(stream, markup=True) == markup


def test_mode_names_become_azure_codes(tmp_path):
    for name in ("eng-spa", "spa-eng", "es-pt", "es-pt_BR", "fr-es", "hbs-eng", "eng-hbs_SR", "eng-cat_valencia",
                 "en-eo-bytecode", "eco-es-fr"):
        (tmp_path / f"{name}.mode").write_text("lt-proc x.automorf.bin\n")
    found = {pair: mode.name for pair, mode in discover(tmp_path).items()}
    assert found[("en", "es")] == "eng-spa"
    assert found[("es", "pt")] == "es-pt_BR"  # the exact variety wins over the generic one
    assert found[("es", "pt-pt")] == "es-pt"
    assert found[("hr", "en")] == found[("bs", "en")] == found[("sr-Latn", "en")] == "hbs-eng"
    assert found[("en", "sr-Latn")] == "eng-hbs_SR"
    assert not any(m in found.values() for m in ("eng-cat_valencia", "en-eo-bytecode", "eco-es-fr"))
    limited = discover(tmp_path, ["en", "es"])
    assert set(limited) == {("en", "es"), ("es", "en")}


# --- the engine process ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def engine(engine_process) -> ApertiumEngine:
    apertium = ApertiumEngine(ApertiumClient(lambda: engine_process.url))
    apertium.load()
    return apertium


@requires_apertium
def test_a_direct_pair_translates_a_batch_in_order(engine):
    out = engine.translate(("en", "es"), ["The house is red.", "", "  Please send me the invoice.\n", "The car."])
    assert out[0] == "La casa es roja."
    assert out[1] == ""
    assert out[2].startswith("  ") and out[2].endswith("\n") and "factura" in out[2]
    assert out[3] == "El coche."


@requires_apertium
def test_unknown_words_are_not_marked(engine):
    [out] = engine.translate(("en", "es"), ["The quokka jumped."])
    assert "*" not in out and "quokka" in out


@requires_apertium
def test_a_nul_inside_a_text_does_not_split_it(engine):
    assert engine.translate(("en", "es"), ["The house\0 is red.", "The car."]) == ["La casa es roja.", "El coche."]
    [entries] = engine.lookup(("en", "es"), ["ho\0use"])
    assert entries


@requires_apertium
def test_html_keeps_its_markup(engine):
    [out] = engine.translate(("en", "es"), ['<p>Please send me the <b>invoice</b> by <a href="/x">Friday</a>.</p>'],
                             html=True)
    assert out.startswith("<p>") and out.endswith("</p>")
    assert "<b>factura</b>" in out and '<a href="/x">viernes</a>' in out


@requires_apertium
def test_a_pivot_goes_through_a_shared_language_and_says_so(engine):
    router = Router([engine])
    route = router.route("fr", "en")
    assert route is not None and route.pivots == ("es",)
    assert route.system == "apertium:fr-es>apertium:spa-eng"
    [out] = router.translate(route, ["Le chat est noir."])
    assert out.lower().startswith("the cat")
    assert router.route("en", "es").system == "apertium:eng-spa"
    assert router.route("en", "de") is None


@requires_apertium
def test_dictionary_lookup_gives_analyses_and_their_translations(engine):
    assert engine.has_dictionary(("en", "es"))
    [entries] = engine.lookup(("en", "es"), ["house"])
    nouns = [e for e in entries if e["tags"][:1] == ["n"]]
    assert nouns and {"casa"} <= {t["lemma"] for t in nouns[0]["targets"]}


@requires_apertium
def test_a_pipeline_program_that_dies_is_replaced_and_the_request_answered(engine, engine_process):
    engine.translate(("es", "pt"), ["Hola."])
    children = subprocess.run(["pgrep", "-P", str(engine_process.process.pid)], capture_output=True, text=True)
    pids = [int(p) for p in children.stdout.split()]
    assert pids, "the engine process runs its pipelines as children"
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    [out] = engine.translate(("es", "pt"), ["Hace buen tiempo hoy."])
    assert out == "Faz bom tempo hoje."


def test_a_dead_engine_process_is_reported_as_unavailable():
    client = ApertiumClient(lambda: "http://127.0.0.1:9", timeout=5)
    with pytest.raises(EngineUnavailable):
        client.translate("eng-spa", ["hello"])


def test_the_engine_process_script_imports_nothing_from_airgap():
    source = Path(srv.__file__).read_text()
    assert "import airgap" not in source and "from airgap" not in source
