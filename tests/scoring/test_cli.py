"""``airgap score``'s command line, and what ``airgap`` imports for it."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.scoring.support import AIRGAP, SCRIPTS

LIGHT = """
import json, sys
import airgap.cli
print(json.dumps(sorted(sys.modules)))
"""


def test_the_airgap_command_imports_nothing_of_the_score_server():
    out = subprocess.run([sys.executable, "-c", LIGHT], capture_output=True, text=True, timeout=120, check=True)
    loaded = set(json.loads(out.stdout))
    heavy = {"werkzeug", "inference_schema", "airgap.scoring.app", "airgap.scoring.server", "uvicorn"}
    assert not loaded & heavy


def _score(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(AIRGAP), "score", *args], capture_output=True, text=True, timeout=120,
                          cwd=SCRIPTS, env={"PATH": "/usr/bin:/bin"})


def test_no_entry_script():
    result = _score()
    assert result.returncode == 1
    assert "Either provide an entry_script using --entry_script" in result.stderr


def test_invalid_flags_are_refused():
    assert _score("--entry_script", "plain.py", "--port", "70000").returncode == 2
    assert "worker count greater than zero" in _score("--entry_script", "plain.py", "--worker_count", "0").stderr
    bad = _score("--entry_script", "plain.py", "Mounts:Output")
    assert bad.returncode == 2 and "Key=Value" in bad.stderr


def test_help_names_the_azure_ml_variables():
    text = _score("--help").stdout
    for name in ("--entry_script", "--model_dir", "--worker_count", "AZUREML_MODEL_DIR", "SCORING_TIMEOUT_MS",
                 "Auth:SubscriptionKeys"):
        assert name in text
