"""Settings: the .NET configuration convention Azure's containers follow, on the ``SETTINGS`` table."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from airgap.platform.settings import SETTINGS, Settings, SettingsError, settings_help


def test_defaults_come_from_the_table():
    settings = Settings.load([], {})
    for spec in SETTINGS:
        assert getattr(settings, spec.attr) == spec.default, spec.key
    assert settings.port == 5000 and settings.output_dir == Path("/output")
    assert not settings.eula_accepted


def test_command_line_over_environment_over_defaults():
    env = {"PORT": "6000", "WORKERS": "3"}
    settings = Settings.load(["Port=7000"], env)
    assert settings.port == 7000   # command line wins over the environment
    assert settings.workers == 3   # environment wins over the default
    assert settings.threads == 2   # default


def test_keys_are_case_insensitive():
    settings = Settings.load(["eUlA=accept", "port=5100", "MOUNTS:OUTPUT=/data/out"], {})
    assert settings.eula_accepted
    assert settings.port == 5100
    assert settings.output_dir == Path("/data/out")


@pytest.mark.parametrize("spelling", ["Mounts:Output", "Mounts__Output", "MOUNTS__OUTPUT", "mounts__output"])
def test_double_underscore_is_the_colon(spelling):
    from_env = Settings.load([], {spelling: "/mnt/usage"})
    from_argv = Settings.load([f"{spelling}=/mnt/usage"], {})
    assert from_env.output_dir == from_argv.output_dir == Path("/mnt/usage")


def test_deep_key_with_double_underscores_in_env():
    settings = Settings.load([], {"LOGGING__CONSOLE__LOGLEVEL__DEFAULT": "Warning"})
    assert settings.log_level == "warning"
    assert settings.log_level_number == logging.WARNING


def test_env_double_underscore_loses_to_command_line_colon():
    settings = Settings.load(["Mounts:Output=/from/argv"], {"MOUNTS__OUTPUT": "/from/env"})
    assert settings.output_dir == Path("/from/argv")


def test_typed_values():
    settings = Settings.load(
        ["Services=Language; translator", "DownloadLicense=TRUE", "Http:MaxRequestBodyBytes=2048", "Threads=4"], {}
    )
    assert settings.services == ("language", "translator")
    assert settings.download_license is True
    assert settings.max_request_bytes == 2048
    assert settings.threads == 4


def test_value_may_contain_equals_sign():
    settings = Settings.load(["Billing=https://authority.example/?a=b"], {})
    assert settings.billing == "https://authority.example/?a=b"


@pytest.mark.parametrize(
    ("token", "key", "words"),
    [
        ("Port=abc", "Port", "whole number"),
        ("Port=70000", "Port", "0-65535"),
        ("Workers=0", "Workers", "at least 1"),
        ("Threads=-2", "Threads", "at least 1"),
        ("DownloadLicense=maybe", "DownloadLicense", "true or false"),
        ("Http:MaxRequestBodyBytes=1MB", "Http:MaxRequestBodyBytes", "whole number"),
        ("Logging:Console:LogLevel:Default=loud", "Logging:Console:LogLevel:Default", "Information"),
        ("Mounts:Output=", "Mounts:Output", "empty"),
        ("Host=", "Host", "empty"),
    ],
)
def test_bad_values_name_the_setting_and_the_problem(token, key, words):
    with pytest.raises(SettingsError) as info:
        Settings.load([token], {})
    message = str(info.value)
    assert key in message
    assert words.lower() in message.lower()
    assert repr(token.split("=", 1)[1]) in message or "empty" in message


def test_bad_value_from_environment_names_the_variable_as_written():
    with pytest.raises(SettingsError, match=r"Setting Workers \(given as WORKERS\)"):
        Settings.load([], {"WORKERS": "many"})


@pytest.mark.parametrize("token", ["Eula", "accept"])
def test_token_without_key_value_shape_is_refused(token):
    with pytest.raises(SettingsError, match="Key=Value"):
        Settings.load([token], {})


def test_eula_other_than_accept_is_not_accepted():
    for value in ("no", "yes", "", "accepted"):
        assert not Settings.load([f"Eula={value}"], {}).eula_accepted
    assert Settings.load(["Eula=ACCEPT"], {}).eula_accepted


def test_unknown_keys_are_warned_not_fatal(caplog):
    env = {"MOUNTS__OUTPTU": "/typo", "PATH": "/usr/bin", "HOME": "/root"}
    with caplog.at_level(logging.WARNING, logger="airgap.settings"):
        settings = Settings.load(["Eula=accept", "Colour=blue"], env)
    assert settings.eula_accepted
    assert set(settings.unknown) == {"MOUNTS__OUTPTU", "Colour"}
    warned = caplog.text
    assert "MOUNTS__OUTPTU" in warned and "Colour" in warned
    # Environment variables outside our sections are simply not ours: no noise about PATH.
    assert "PATH" not in warned and "HOME" not in warned


def test_settings_are_immutable():
    settings = Settings.load([], {})
    with pytest.raises(AttributeError):
        settings.port = 1  # type: ignore[misc]


def test_tokens_round_trip_for_worker_processes():
    settings = Settings.load(
        ["Eula=accept", "Port=5123", "Services=language", "Mounts:Output=/o", "Workers=2", "ApiKey=secret"], {}
    )
    assert Settings.load(settings.to_tokens(), {}) == settings


def test_describe_masks_secrets():
    described = Settings.load(["ApiKey=s3cret", "Eula=accept"], {}).describe()
    assert described["ApiKey"] == "***"
    assert "s3cret" not in str(described)
    assert described["Eula"] == "accept"


def test_help_lists_every_setting_with_its_default():
    text = settings_help()
    lines = text.splitlines()
    for spec in SETTINGS:
        line = next((line for line in lines if line.strip().startswith(spec.key + " ")), None)
        assert line is not None, f"{spec.key} missing from help"
        assert f"default {spec.default_text()}" in line, spec.key
        assert spec.help in text
    assert "'__'" in text  # says how to spell keys as environment variables
