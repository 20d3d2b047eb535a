"""The images, built from deploy/docker and run by a real Docker engine.

Builds the base (once; the engine's storage keeps it between runs) and the ``language`` image with
``deploy/docker/build.sh``, then runs containers exactly as Azure's documentation does. A machine
where no engine answers and none can be started (not root, no apt) skips these with the reason.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest

from airgap.platform.usage import totals, verify
from tests.support.containers import VERSION, Container, docker, unique

# The first test of a session builds the images (minutes on a fresh machine): beyond the default timeout.
pytestmark = [pytest.mark.container, pytest.mark.timeout(1800)]

DETECTION_METER = "CognitiveServices.Language.Container.LanguageDetectionTextRecords"
UID = "10001"  # the image's non-root user


@pytest.fixture
def containers() -> Iterator[list[Container]]:
    started: list[Container] = []
    yield started
    for c in started:
        c.remove()


def output_dir(tmp_path: Path) -> Path:
    # The container runs as UID 10001, not as whoever runs the tests; it must be able to write.
    out = tmp_path / "output"
    out.mkdir()
    out.chmod(0o777)
    return out


def test_image_metadata(language_image):
    info = json.loads(docker("image", "inspect", language_image).stdout)[0]["Config"]
    assert info["Entrypoint"] == ["airgap", "serve"]
    assert info["User"].split(":")[0] == UID
    assert "5000/tcp" in info["ExposedPorts"]
    assert "/ready" in " ".join(info["Healthcheck"]["Test"])
    labels = info["Labels"]
    assert labels["org.opencontainers.image.version"] == VERSION
    assert labels["org.opencontainers.image.licenses"]
    assert "lid.176" in labels["io.airgap.model-licenses"]


def test_refuses_to_start_without_eula(language_image):
    result = docker("run", "--rm", "--network", "none", language_image, check=False, timeout=120)
    assert result.returncode == 1
    assert "Eula=accept" in result.stderr


def test_offline_container_serves_meters_and_stops_on_sigterm(language_image, containers, tmp_path):
    out = output_dir(tmp_path)
    c = Container(language_image, "--network", "none", "-v", f"{out}:/output",
                  settings=("Eula=accept", "Mounts:Output=/output"))
    containers.append(c)
    assert c.inspect("{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}") == "none"

    c.client("wait-ready", "180")
    body = json.dumps({"documents": [{"id": "1", "text": "Bonjour tout le monde, comment allez-vous ?"}]})
    answer = c.client("post", "/text/analytics/v3.1/languages", body)
    assert answer["status"] == 200, answer
    assert answer["body"]["documents"][0]["detectedLanguage"]["iso6391Name"] == "fr"

    # The record is durable before the response, so it is already on the mounted volume.
    assert totals(out).get(DETECTION_METER) == 1
    assert verify(out) == []

    # The image's own HEALTHCHECK (first run 10 s after start) reports what /ready says.
    health = c.inspect("{{.State.Health.Status}}")
    for _ in range(60):
        if health != "starting":
            break
        time.sleep(1)
        health = c.inspect("{{.State.Health.Status}}")
    assert health == "healthy", c.inspect("{{json .State.Health}}")

    # docker stop sends SIGTERM and SIGKILLs after 10 s; exit code 0 means the server itself
    # shut down on SIGTERM (a SIGKILL would show as 137).
    docker("stop", "-t", "10", c.name, timeout=60)
    assert c.inspect("{{.State.ExitCode}}") == "0", c.logs()
    assert totals(out).get(DETECTION_METER) == 1


def test_official_sdk_through_a_published_port(language_image, containers, tmp_path):
    from azure.ai.textanalytics import TextAnalyticsClient
    from azure.core.credentials import AzureKeyCredential

    out = output_dir(tmp_path)
    c = Container(language_image, "-p", "127.0.0.1::5000", "-v", f"{out}:/output",
                  settings=("Eula=accept", "Mounts:Output=/output"))
    containers.append(c)
    c.client("wait-ready", "180")
    host_port = docker("port", c.name, "5000/tcp").stdout.split()[0].rsplit(":", 1)[1]
    url = f"http://127.0.0.1:{host_port}"

    client = TextAnalyticsClient(url, AzureKeyCredential("unused"))
    results = client.detect_language(["Bonjour tout le monde", "Guten Morgen, wie geht es dir?"])
    assert [r.primary_language.iso6391_name for r in results] == ["fr", "de"]

    now = datetime.now(timezone.utc)
    report = httpx.get(f"{url}/records/usage-logs/{now.month:02d}/{now.year}", timeout=30).json()
    assert {m["name"]: m["quantity"] for m in report["meters"]}[DETECTION_METER] == 2


@pytest.fixture
def network() -> Iterator[str]:
    name = unique()
    docker("network", "create", name)
    yield name
    docker("network", "rm", name, check=False)


def test_licence_download_from_an_authority_container_then_disconnected(language_image, network, containers,
                                                                       tmp_path):
    # `network` before `containers`: fixtures are torn down in reverse, containers first.
    state, license_dir = tmp_path / "authority", tmp_path / "license"
    for folder in (state, license_dir):
        folder.mkdir()
        folder.chmod(0o777)
    out = output_dir(tmp_path)

    # Step 0: the authority, from the same image (every image carries the airgap CLI).
    authority = Container(language_image, "--network", network, "--network-alias", "authority",
                          "-v", f"{state}:/authority", "--entrypoint", "sh",
                          settings=("-c", "airgap authority init --state /authority >/dev/null && "
                                          "exec airgap authority serve --state /authority --host 0.0.0.0 --port 5100"))
    containers.append(authority)
    authority.client("wait-listening", "5100", "120")
    created = docker("exec", authority.name, "airgap", "authority", "resource", "create", "--state", "/authority",
                     "--name", "e2e", "--services", "language", "--json")
    api_key = json.loads(created.stdout)["apiKey"]
    public_key = (state / "authority.pub").read_text()

    # Step 1 (connected, once): DownloadLicense=True writes the licence to the mounted folder and exits.
    download = docker("run", "--rm", "--network", network, "-v", f"{license_dir}:/license", language_image,
                      "Eula=accept", "DownloadLicense=True", "Billing=http://authority:5100", f"ApiKey={api_key}",
                      "Mounts:License=/license", f"Licensing:TrustedKeys={public_key}", check=False, timeout=180)
    assert download.returncode == 0, download.stdout + download.stderr
    assert len(list(license_dir.glob("*.jwt"))) == 1

    # Step 2 (disconnected, forever after): no network at all, the licence verified with the key.
    service = Container(language_image, "--network", "none", "-v", f"{license_dir}:/license:ro",
                        "-v", f"{out}:/output",
                        settings=("Eula=accept", "Mounts:License=/license", "Mounts:Output=/output",
                                  f"Licensing:TrustedKeys={public_key}"))
    containers.append(service)
    service.client("wait-ready", "180")
    body = json.dumps({"documents": [{"id": "1", "text": "Guten Morgen, wie geht es dir?"}]})
    answer = service.client("post", "/text/analytics/v3.1/languages", body)
    assert answer["status"] == 200, answer
    status = service.client("get", "/status")["body"]
    assert status["apiStatus"] == "Valid", status
    assert totals(out).get(DETECTION_METER) == 1


def test_all_image_serves_every_bundled_service_offline(all_image, containers, tmp_path):
    from PIL import Image, ImageDraw, ImageFont

    from airgap.services.registry import BUNDLED

    out = output_dir(tmp_path)
    c = Container(all_image, "--network", "none", "-v", f"{out}:/output",
                  settings=("Eula=accept", "Mounts:Output=/output"))
    containers.append(c)
    ready = c.client("wait-ready", "240")["body"]
    assert ready["services"] == {name: "ready" for name in BUNDLED}

    # Read needs the Tesseract language data that the image takes from Debian packages.
    page = Image.new("L", (900, 160), 255)
    ImageDraw.Draw(page).text((40, 50), "Offline containers read this", fill=0,
                              font=ImageFont.load_default(size=48))
    png = tmp_path / "page.png"
    page.save(png)
    docker("cp", str(png), f"{c.name}:/tmp/page.png")
    answer = c.client("post-file", "/vision/v3.2/read/syncAnalyze", "application/octet-stream", "/tmp/page.png")
    assert answer["status"] == 200, answer
    lines = [line["text"] for p in answer["body"]["analyzeResult"]["readResults"] for line in p["lines"]]
    assert lines == ["Offline containers read this"], lines
