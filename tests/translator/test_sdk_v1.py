"""The official azure-ai-translation-text 1.0.x client (api-version 3.0), unchanged, against a real
server, on every operation it has.

1.x and 2.x cannot be installed side by side, and the main environment has 2.x
(``test_sdk_v2.py``); 1.x lives in its own small environment, ``.venv-translation1`` (built by
``make install-test`` from ``requirements-translation1.lock``), and runs ``v1_client.py`` there. Without that environment
this test is skipped; 3.0's wire is also checked request by request in ``test_api_v3.py``.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.sdk

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv-translation1" / "bin" / "python"


@pytest.fixture(scope="module")
def probe(translator_server) -> dict:
    if not PYTHON.exists():
        pytest.skip("the 1.x SDK environment .venv-translation1 is missing: run make install-test")
    result = subprocess.run([str(PYTHON), str(Path(__file__).with_name("v1_client.py")), translator_server.url],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout)


def test_it_is_the_1x_sdk(probe):
    assert probe["version"].startswith("1.")


def test_translate_several_targets_with_sentence_lengths(probe):
    assert probe["translate"] == [{"to": "es", "text": "La casa es roja.", "srcSentLen": [17]},
                                  {"to": "ca", "text": "La casa és vermell.", "srcSentLen": [17]}]


def test_translate_detects_and_pivots(probe):
    assert probe["detected"] == "fr"
    assert probe["pivot"].lower().startswith("the cat")


def test_html_keeps_markup(probe):
    assert probe["html"].startswith("<p>") and "<b>factura</b>" in probe["html"]


def test_transliterate_breaksentence_dictionary_languages(probe):
    assert probe["transliterate"][0]["script"] == "Latn"
    assert probe["sentences"] == {"sentLen": [13, 11, 22], "detected": "en"}
    assert probe["lookup"]["source"] == "house" and "casa" in probe["lookup"]["targets"]
    assert probe["examples"] == {"source": "house", "target": "casa", "examples": 0}
    assert probe["languages"]["es"] == "Spanish" and "es" in probe["languages"]["dictionary_en"]


def test_errors_have_integer_codes(probe):
    assert probe["error"] == {"status": 400, "code": 400036}
