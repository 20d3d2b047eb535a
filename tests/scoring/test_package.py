"""``airgap package`` and the inference image: a score.py and its model as an image, run offline."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.scoring.support import AIRGAP, ROOT

EXAMPLE = ROOT / "examples" / "sklearn"


def _package(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(AIRGAP), "package", *args], capture_output=True, text=True, timeout=600, cwd=cwd)


def _train(folder: Path) -> Path:
    subprocess.run([sys.executable, str(EXAMPLE / "train.py"), str(folder)], check=True, capture_output=True,
                   timeout=300)
    return folder


def test_build_context(tmp_path):
    models = _train(tmp_path / "models")
    (tmp_path / "requirements.txt").write_text("tiny-package==1.0\n")
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    (wheels / "tiny_package-1.0-py3-none-any.whl").write_bytes(b"not really a wheel")
    result = _package("--entry_script", str(EXAMPLE / "score.py"), "--model_dir", str(models),
                      "--requirements", "requirements.txt", "--wheelhouse", "wheels", "--context", "ctx",
                      cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    context = tmp_path / "ctx"
    assert (context / "app" / "score.py").read_text() == (EXAMPLE / "score.py").read_text()
    assert (context / "model" / "model" / "iris.joblib").is_file()
    assert (context / "wheelhouse" / "tiny_package-1.0-py3-none-any.whl").is_file()
    dockerfile = (context / "Dockerfile").read_text()
    assert dockerfile.splitlines()[1].startswith("FROM localhost/airgap/inference:")
    assert "--no-index --find-links /tmp/airgap-package/wheelhouse" in dockerfile
    assert "COPY --chown=10001:10001 model/ /var/azureml-app/azureml-models/" in dockerfile
    assert "ENV AZUREML_ENTRY_SCRIPT=score.py" in dockerfile
    hadolint = Path(sys.executable).with_name("hadolint")
    if hadolint.exists():  # the test extra's linter, as for deploy/docker/Dockerfile
        lint = subprocess.run([str(hadolint), str(context / "Dockerfile")], capture_output=True, text=True, timeout=120)
        assert lint.returncode == 0, lint.stdout + lint.stderr


def test_refusals(tmp_path):
    assert "no scoring script" in _package("--entry_script", "nothing.py", "--context", "c", cwd=tmp_path).stderr
    outside = _package("--entry_script", str(EXAMPLE / "score.py"), "--source_dir", str(tmp_path),
                       "--context", "c", cwd=tmp_path)
    assert outside.returncode == 2 and "is not inside --source_dir" in outside.stderr
    assert "--tag" in _package("--entry_script", str(EXAMPLE / "score.py"), cwd=tmp_path).stderr


@pytest.mark.container
@pytest.mark.timeout(1800)
def test_packaged_model_runs_with_no_network(docker_engine, tmp_path):
    """The inference image (deploy/docker/build.sh inference), a user's image FROM it, run with
    --network none as Azure ML's are run: scores, writes usage records, answers Azure ML's probes."""
    from tests.support.containers import DOCKER_DIR, PREFIX, VERSION, Container, docker, unique

    if "inference-schema" not in (ROOT / "requirements.lock").read_text():
        pytest.skip("requirements.lock does not cover the scoring extra yet (make lock)")
    build = subprocess.run([str(DOCKER_DIR / "build.sh"), "inference"], capture_output=True, text=True, timeout=1800)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    models = _train(tmp_path / "models")
    tag = f"localhost/{unique('score-test')}:1"
    result = _package("--entry_script", str(EXAMPLE / "score.py"), "--model_dir", str(models), "--tag", tag,
                      "--base", f"{PREFIX}/inference:{VERSION}", cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    output = tmp_path / "output"
    output.mkdir()
    output.chmod(0o777)
    container = Container(tag, "--network", "none", "-v", f"{output}:/output")
    try:
        script = ("import json, time, urllib.request\n"
                  "for _ in range(600):\n"
                  "    try:\n"
                  "        urllib.request.urlopen('http://127.0.0.1:5001/ready', timeout=2); break\n"
                  "    except Exception: time.sleep(0.2)\n"
                  "body = open('/var/azureml-app/sample-request.json', 'rb').read()\n"
                  "req = urllib.request.Request('http://127.0.0.1:5001/score', body, {'Content-Type': 'application/json'})\n"
                  "print(json.dumps(json.load(urllib.request.urlopen(req, timeout=30))))\n")
        out = docker("exec", container.name, "python3", "-c", script, timeout=300)
        assert json.loads(out.stdout)["labels"] == ["setosa", "virginica"], container.logs()
        records = [json.loads(line) for f in output.glob("usage/*/*.jsonl") for line in f.read_text().splitlines()]
        assert [r["serviceName"] for r in records] == ["inference"]
    finally:
        container.remove()
        docker("image", "rm", "-f", tag, check=False)
