"""Fixtures for the image tests: a Docker engine and the images, built once per session."""

from __future__ import annotations

import os
import subprocess
import time

import pytest

from tests.support.containers import DOCKER_DIR, PREFIX, VERSION, docker


@pytest.fixture(scope="session")
def docker_engine() -> None:
    """A Docker engine that answers; ensure-docker.sh installs and starts one when it can."""
    try:
        result = subprocess.run([str(DOCKER_DIR / "ensure-docker.sh")], capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"no Docker engine: {exc}")
    if result.returncode != 0:
        pytest.skip(f"no Docker engine: {result.stderr.strip()[-500:]}")


def _image(target: str) -> str:
    image = f"{PREFIX}/{target}:{VERSION}"
    if os.environ.get("AIRGAP_E2E_PREBUILT") == "1":  # opt-in: test the images `make image` built
        docker("image", "inspect", image)
        return image
    started = time.monotonic()
    result = subprocess.run([str(DOCKER_DIR / "build.sh"), target], capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, f"build.sh {target} failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
    print(f"\n{result.stdout.strip()}\n{target} ready in {time.monotonic() - started:.0f} s")
    return image


@pytest.fixture(scope="session")
def language_image(docker_engine) -> str:
    return _image("language")


@pytest.fixture(scope="session")
def all_image(docker_engine) -> str:
    return _image("all")


@pytest.fixture(scope="session")
def nginx_image(docker_engine) -> str:
    return _image("nginx")
