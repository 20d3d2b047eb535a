"""Translation quality of the bundled Apertium pairs, on a parallel set written by hand for this
project (``tests/data/translation_parallel.jsonl``: 60 everyday sentences in English, Spanish,
French, European Portuguese, Catalan and Italian), scored with chrF (sacrebleu).

The floors are the scores measured with Debian 12's packages (docs/models.md), less 2 points so a
data update that shifts a sentence or two does not fail; a drop below one means a pair broke or a
package changed enough to look at. Apertium is deterministic: the same packages give the same score.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from airgap.services.translator.engines.apertium import ApertiumClient, ApertiumEngine
from airgap.services.translator.engines.routing import Router

sacrebleu = pytest.importorskip("sacrebleu")

DATA = Path(__file__).resolve().parents[1] / "data" / "translation_parallel.jsonl"
MARGIN = 2.0
# (source, target): chrF measured (Debian 12 apertium 3.8.3 pairs), docs/models.md
MEASURED = {
    ("en", "es"): 66.9, ("es", "en"): 71.4, ("en", "ca"): 62.0, ("ca", "en"): 62.6,
    ("es", "fr"): 63.8, ("fr", "es"): 61.1, ("es", "pt-pt"): 74.0, ("pt-pt", "es"): 77.4,
    ("es", "ca"): 87.9, ("ca", "es"): 86.9, ("es", "it"): 69.2, ("it", "es"): 70.0,
    ("fr", "ca"): 70.5, ("ca", "fr"): 76.1, ("ca", "it"): 67.9, ("it", "ca"): 70.6,
    ("pt-pt", "ca"): 74.4, ("ca", "pt-pt"): 72.3,
    # through a pivot (Spanish)
    ("en", "fr"): 59.0, ("fr", "en"): 63.2, ("en", "it"): 56.8, ("en", "pt-pt"): 58.2,
}


def _rows() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_parallel_set_is_complete():
    rows = _rows()
    assert len(rows) >= 50
    languages = {"en", "es", "fr", "pt-pt", "ca", "it"}
    assert all(languages <= set(row) and all(row[lang].strip() for lang in languages) for row in rows)


@pytest.fixture(scope="module")
def router(engine_process) -> Router:
    engine = ApertiumEngine(ApertiumClient(lambda: engine_process.url))
    engine.load()
    return Router([engine])


@pytest.mark.parametrize("pair", sorted(MEASURED), ids=lambda p: f"{p[0]}-{p[1]}")
def test_chrf_stays_at_the_measured_floor(router, pair):
    source, target = pair
    route = router.route(source, target)
    assert route is not None
    rows = _rows()
    hypotheses = router.translate(route, [row[source] for row in rows])
    score = sacrebleu.corpus_chrf(hypotheses, [[row[target] for row in rows]]).score
    assert score >= MEASURED[pair] - MARGIN, f"{source}-{target} ({route.system}): chrF {score:.1f}"
