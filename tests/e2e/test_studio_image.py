"""The Studio's image in the compose stack (`--profile studio`): one language replica and the anomaly
service behind the nginx front, and the Studio on its own port. Its /ready lists both services
(each asked in its own container; the profiles that are off are left out), and the page's API
calls reach each service through it and the front. The image carries the platform only.

Cost on the 2-core CI machine with the base and wheelhouse cached: `build.sh studio` 35 s
(22 s for the image), `up --wait` 27 s (docs/deployment.md).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.e2e.conftest import _image
from tests.e2e.test_compose import Stack, new_stack
from tests.support.containers import docker
from tests.support.server import free_port

pytestmark = [pytest.mark.container, pytest.mark.timeout(1800)]

LIST_DISTRIBUTIONS = "import importlib.metadata as m; print('\\n'.join(d.metadata['Name'] for d in m.distributions()))"
SERIES = {"granularity": "hourly", "series": [
    {"timestamp": f"2026-01-01T{h:02d}:00:00Z", "value": 10 + h % 3 + (40 if h == 17 else 0)} for h in range(24)]}


@pytest.fixture(scope="module")
def studio_stack(docker_engine, language_image, nginx_image) -> Iterator[tuple[Stack, str]]:
    _image("anomaly")
    started = time.monotonic()
    _image("studio")
    print(f"\nstudio image ready in {time.monotonic() - started:.0f} s")
    stack = new_stack(1)
    studio_port = free_port()
    stack.env["AIRGAP_STUDIO_PORT"] = str(studio_port)
    started = time.monotonic()
    try:
        stack.compose("--profile", "studio", "--profile", "anomaly", "up", "-d", "--wait", "--wait-timeout", "300")
        print(f"compose up --wait with the Studio: {time.monotonic() - started:.1f} s")
        yield stack, f"http://127.0.0.1:{studio_port}"
    finally:
        stack.compose("--profile", "studio", "--profile", "anomaly", "down", "-v", "--timeout", "10", check=False)


def test_studio_image_has_the_platform_only(docker_engine):
    image = _image("studio")
    result = docker("run", "--rm", "--network", "none", "--entrypoint", "python3", image, "-c", LIST_DISTRIBUTIONS)
    installed = {re.sub(r"[-_.]+", "-", name).lower() for name in result.stdout.split()}
    assert {"airgap", "httpx", "starlette", "uvicorn"} <= installed
    assert not installed & {"numpy", "spacy", "scikit-learn", "onnxruntime", "ctranslate2", "pillow"}, installed
    assert docker("image", "inspect", "-f", "{{json .Config.Entrypoint}}", image).stdout.strip() == '["airgap","studio"]'


def test_studio_lists_every_running_service_and_passes_their_calls(studio_stack):
    stack, studio = studio_stack
    ready = httpx.get(studio + "/ready", timeout=10)
    assert ready.status_code == 200, ready.text
    assert ready.json()["services"] == {"language": "ready", "anomaly": "ready"}
    assert "speech" in ready.json()["unreachable"]  # its profile is off: its name does not resolve
    # The front alone reaches the language replicas only.
    assert httpx.get(stack.url + "/ready", timeout=10).json()["services"] == {"language": "ready"}

    page = httpx.get(studio + "/studio", timeout=10)
    assert page.status_code == 200 and "default-src 'self'" in page.headers["content-security-policy"]
    detected = httpx.post(studio + "/text/analytics/v3.1/languages", timeout=60,
                          json={"documents": [{"id": "1", "text": "Bonjour tout le monde"}]})
    assert detected.status_code == 200, detected.text
    assert detected.json()["documents"][0]["detectedLanguage"]["iso6391Name"] == "fr"
    anomalies = httpx.post(studio + "/anomalydetector/v1.1/timeseries/entire/detect", json=SERIES, timeout=60)
    assert anomalies.status_code == 200, anomalies.text
    assert anomalies.json()["isAnomaly"][17] is True
    # A service that is not running: the front's own envelope comes back through the Studio.
    speech = httpx.get(studio + "/cognitiveservices/voices/list", timeout=30)
    assert speech.status_code == 503 and speech.json()["error"]["code"] == "ServiceUnavailable"
