"""Service contract v2: route ownership by path segment, overlaps refused, shared engines, sections."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from airgap.app import create_app, host
from airgap.platform.executor import InferencePool
from airgap.platform.routing import PathTable, RouteConflict
from airgap.platform.runtime import Runtime
from airgap.platform.settings import Settings, SettingsError
from airgap.services import registry
from airgap.services.base import Service

registry.import_settings()


def _table(**owners: str) -> PathTable[str]:
    table: PathTable[str] = PathTable()
    for owner, prefix in owners.items():
        table.add(prefix, owner, owner)
    return table


def test_a_prefix_owns_whole_segments_only():
    table = _table(language="/language", translator="/languages")
    assert table.lookup("/language/:analyze-text") == "language"
    assert table.lookup("/language") == "language"
    assert table.lookup("/languages") == "translator"
    assert table.lookup("/languagesx") is None
    assert table.lookup("/lang") is None


def test_the_longest_prefix_wins_whatever_the_order_of_declaration():
    table = _table(clu="/language/:analyze-conversations", language="/language")
    assert table.lookup("/language/:analyze-conversations") == "clu"
    assert table.lookup("/language/analyze-conversations/jobs") == "language"  # a different segment
    assert table.lookup("/language/:analyze-text") == "language"
    table = _table(language="/language", clu="/language/:analyze-conversations")
    assert table.lookup("/language/:analyze-conversations") == "clu"


def test_an_action_after_a_colon_is_part_of_the_owner():
    table = _table(vision="/computervision", analysis="/computervision/imageanalysis")
    assert table.lookup("/computervision/imageanalysis:analyze") == "analysis"
    assert table.lookup("/computervision/imageanalysisx") == "vision"


def test_matching_ignores_case_as_azure_does():
    table = _table(language="/text/analytics")
    assert table.lookup("/TEXT/Analytics/V3.1/languages") == "language"


def test_the_same_prefix_twice_is_refused_with_both_names():
    table = _table(language="/language")
    with pytest.raises(RouteConflict, match="language and clu"):
        table.add("/Language/", "clu", "clu")


class _Stub(Service):
    name = "stub"
    api_type = "stub"
    title = "stub"
    meters = ()
    routes = ("/language",)

    def routers(self) -> Sequence:
        return []

    def engines(self) -> Sequence:
        return []


def _runtime(tmp_path: Path, **settings: str) -> Runtime:
    parsed = Settings.load(["Eula=accept", f"Mounts:Output={tmp_path}", *(f"{k}={v}" for k, v in settings.items())])
    return Runtime(settings=parsed, pool=InferencePool(1))


def test_a_service_declaring_a_prefix_another_owns_stops_the_start(tmp_path):
    app = create_app(_runtime(tmp_path).settings.replace(services=("language",)))
    runtime = app.state.runtime
    with pytest.raises(RouteConflict, match="/language is declared by both language and stub"):
        host(runtime, _Stub(runtime))


def test_every_bundled_service_is_routed_by_its_own_prefixes(tmp_path):
    runtime = create_app(_runtime(tmp_path).settings).state.runtime
    owner = {path: runtime.service_for_path(path) for path in (
        "/language/:analyze-text", "/text/analytics/v3.1/languages", "/vision/v3.2/read/analyze",
        "/computervision/imageanalysis:analyze", "/formrecognizer/documentModels/prebuilt-read:analyze",
        "/documentintelligence/documentModels", "/languages", "/translator/text/v3.0/translate", "/translate",
        "/dictionary/lookup", "/languagesx")}
    assert {path: s.name if s else None for path, s in owner.items()} == {
        "/language/:analyze-text": "language", "/text/analytics/v3.1/languages": "language",
        "/vision/v3.2/read/analyze": "vision", "/computervision/imageanalysis:analyze": "vision",
        "/formrecognizer/documentModels/prebuilt-read:analyze": "document",
        "/documentintelligence/documentModels": "document", "/languages": "translator",
        "/translator/text/v3.0/translate": "translator", "/translate": "translator",
        "/dictionary/lookup": "translator", "/languagesx": None}


def test_vision_and_document_share_one_ocr_engine_per_process(tmp_path):
    runtime = create_app(_runtime(tmp_path).settings.replace(services=("vision", "document"))).state.runtime
    vision, document = runtime.services
    assert vision.ocr is document.ocr
    assert list(runtime.shared_engines) == ["ocr:tesseract"]


def test_the_ocr_section_belongs_to_ocr_and_parses_like_any_setting(tmp_path):
    from airgap.ocr.settings import OCR_SETTINGS

    assert Settings.load([]).section(OCR_SETTINGS).engine == "tesseract"
    assert Settings.load(["OCR__ENGINE=OCRust"]).section(OCR_SETTINGS).engine == "ocrust"
    assert Settings.load([], {"OCR__ENGINE": "ocrust"}).section(OCR_SETTINGS).engine == "ocrust"
    with pytest.raises(SettingsError, match="Ocr:Engine"):
        Settings.load(["Ocr:Engine=abbyy"])
    # Workers re-parse the tokens: the section's value survives the round trip.
    tokens = Settings.load(["Ocr:Engine=ocrust"]).to_tokens()
    assert Settings.load(tokens).section(OCR_SETTINGS).engine == "ocrust"
