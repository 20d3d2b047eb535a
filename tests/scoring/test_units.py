"""The score server's parts, in process: configuration, the azureml imports, input parsing, run threads."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import threading

import pytest

from airgap.scoring import compat
from airgap.scoring.config import ConfigError, resolve
from airgap.scoring.runner import RunPool, ScoringTimeout
from airgap.scoring.user_script import query_parameters


def _args(**given):
    values = dict(entry_script=None, model_dir=None, port=None, health_port=None, worker_count=None,
                  access_control_allow_origins=None, config_file=None, host="0.0.0.0", run_threads=None)
    values.update(given)
    return argparse.Namespace(**values)


def test_flags_over_environment_over_config_file(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"SCORING_TIMEOUT_MS": 1234, "SERVICE_NAME": "from file",
                                                      "WORKER_COUNT": 7, "SOMETHING_ELSE": 1}))
    env = {"AML_APP_ROOT": str(tmp_path), "SERVICE_NAME": "from env", "SERVER_PORT": "9999", "WORKER_COUNT": "3"}
    config = resolve(_args(entry_script="score.py", worker_count=2), env)
    assert config.worker_count == 2 and env["WORKER_COUNT"] == "2"
    assert config.service_name == "from env"  # the environment over the file
    assert config.scoring_timeout_ms == 1234  # the file over the default
    assert config.port == 5001 and env["SERVER_PORT"] == "5001"  # SERVER_PORT is not read, as in azmlinfsrv
    assert config.entry_script.endswith("/score.py") and env["AZUREML_ENTRY_SCRIPT"] == config.entry_script
    assert config.health_port is None and env["HEALTH_PORT"] == "5001"


def test_entry_script_from_the_environment_is_relative_to_the_app_root(tmp_path):
    env = {"AML_APP_ROOT": str(tmp_path), "AZUREML_ENTRY_SCRIPT": "src/score.py",
           "SEPERATE_HEALTH_ENDPOINT": "true", "AZUREML_MODEL_DIR": "/models"}
    config = resolve(_args(), env)
    assert config.script_path == str(tmp_path / "src" / "score.py")
    assert config.health_port == 5000 and config.model_dir == "/models"
    with pytest.raises(ConfigError, match="SCORING_TIMEOUT_MS"):
        resolve(_args(), {**env, "SCORING_TIMEOUT_MS": "soon"})


def test_azureml_module_names_resolve_to_airgaps():
    compat.install()
    request_module = importlib.import_module("azureml.contrib.services.aml_request")
    response_module = importlib.import_module("azureml.contrib.services.aml_response")
    assert request_module is compat.aml_request and response_module is compat.aml_response


def test_aml_response_as_azure_mls():
    from airgap.scoring.compat.aml_response import AMLResponse

    plain = AMLResponse("text", 200)
    assert plain.headers["Content-Type"] == "text/html; charset=utf-8"
    assert plain.headers["x-ms-run-function-failed"] == "False"
    as_json = AMLResponse({"a": 1}, 201, json_str=True)
    assert as_json.get_data() == b'{"a": 1}' and as_json.mimetype == "application/json"
    assert AMLResponse(None, 200).get_data() == b"{}"
    split = AMLResponse("x", 200, {"X-Multi": "a, b,c", "Content-Type": "text/plain"})
    assert split.headers.getlist("X-Multi") == ["a", "b", "c"]
    assert split.headers.getlist("Content-Type") == ["text/plain"]


def test_get_parameters_as_azmlinfsrv_parses_them():
    assert query_parameters(b"a=1&b=x&a=2&c=%5B1%2C2%5D&d=null&e=") == {
        "a": [1, 2], "b": "x", "c": [1, 2], "d": None, "e": ""}
    assert query_parameters(b"bad=%ff&plus=a+b") == {"bad": "%FF", "plus": "a b"}


def test_run_pool_answers_raises_and_times_out():
    release = threading.Event()

    async def scenario():
        pool = RunPool(1, timeout_ms=200, max_stuck=2)
        try:
            assert await pool.submit(lambda call: 41 + 1) == 42
            with pytest.raises(ZeroDivisionError):
                await pool.submit(lambda call: 1 / 0)

            def stuck(call):
                call.start_clock()
                release.wait()  # no exception reaches a lock wait: the thread is abandoned
                return "late"

            with pytest.raises(ScoringTimeout, match="Scoring timeout after 200 ms"):
                await pool.submit(stuck)
            assert pool.stuck == 1 and not pool.overloaded
            # A fresh thread took its place: the pool still answers.
            assert await pool.submit(lambda call: "next") == "next"
            with pytest.raises(ScoringTimeout):
                await pool.submit(stuck)
            assert pool.overloaded
        finally:
            release.set()
            pool.shutdown()

    asyncio.run(scenario())


def test_the_timeout_counts_from_the_start_of_run():
    async def scenario():
        pool = RunPool(1, timeout_ms=50)
        gate = threading.Event()
        checks = asyncio.Event()
        seen = 0
        check = pool._check

        def counted(call):  # the timeout's timer, counted: it fires, finds run() not started, waits again
            nonlocal seen
            seen += 1
            check(call)
            if seen >= 3:
                checks.set()

        pool._check = counted
        try:
            def parsing(call):  # never starts run()'s clock (queued or parsing its input)
                gate.wait()
                return "parsed"

            waiting = asyncio.ensure_future(pool.submit(parsing))
            await checks.wait()
            assert not waiting.done()
            gate.set()
            assert await waiting == "parsed"
        finally:
            gate.set()
            pool.shutdown()

    asyncio.run(scenario())
