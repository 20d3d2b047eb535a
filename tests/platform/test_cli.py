"""The ``airgap`` entry point as a user runs it: a real ``python -m airgap`` process."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from airgap.platform.settings import all_specs
from airgap.services.registry import import_settings


def _airgap(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    # Settings come from the environment too: start from one without any of ours.
    base = {k: v for k, v in os.environ.items() if k.upper() not in {"EULA", "PORT", "WORKERS"}}
    # The timeout only guards against a hang; a refused start returns long before it.
    return subprocess.run([sys.executable, "-m", "airgap", *args], capture_output=True, text=True,
                          env={**base, **(env or {})}, timeout=60)


@pytest.mark.parametrize("args", [(), ("Eula=no",), ("Eula=",), ("Port=5999",)])
def test_serve_without_eula_exits_with_one_line(args):
    result = _airgap("serve", *args)
    assert result.returncode != 0
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, result.stderr
    assert "Eula=accept" in message
    assert result.stdout == ""


def test_eula_from_environment_is_accepted(tmp_path):
    # Accepted EULA, then the next check (a missing output folder) stops the start: proof that the
    # EULA gate let it through without starting a server.
    result = _airgap("serve", f"Mounts:Output={tmp_path / 'absent'}", env={"EULA": "accept"})
    assert result.returncode != 0
    assert "Eula=accept" not in result.stderr
    assert "output path was not found" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("token", "words"),
    [("Port=abc", "Setting Port: expected a whole number"),
     ("Workers=0", "Setting Workers: expected a number of at least 1"),
     ("Services=nonesuch", "Unknown service(s) nonesuch"),
     ("Eula", "Key=Value")],
)
def test_bad_setting_exits_with_a_clear_message(token, words):
    result = _airgap("serve", "Eula=accept", token)
    assert result.returncode == 2
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_serve_help_lists_every_setting_with_its_default():
    result = _airgap("serve", "--help")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    import_settings()
    for spec in all_specs():
        assert spec.key in out, spec.key
        line = next(line for line in out.splitlines() if line.strip().startswith(spec.key + " "))
        assert f"default {spec.default_text()}" in line
    assert "language" in out  # the bundled services


def test_version():
    result = _airgap("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("airgap ")


def test_unknown_settings_are_warned_and_the_start_goes_on(tmp_path):
    result = _airgap("serve", "Eula=accept", "Colour=blue", f"Mounts:Output={tmp_path / 'absent'}",
                     env={"MOUNTS__OUTPTU": "/typo"})
    assert "Ignoring unknown setting 'Colour'" in result.stderr
    assert "Ignoring unknown setting 'MOUNTS__OUTPTU'" in result.stderr
    # Not fatal: the start went on to the next check (the missing output folder).
    assert "output path was not found" in result.stdout + result.stderr
