"""``airgap score``: azmlinfsrv's command line, on airgap.

    airgap score --entry_script score.py [--model_dir DIR] [--port 5001] [--worker_count N]
                 [Key=Value ...]

The flags are azmlinfsrv's (``--appinsights_instrumentation_key`` is accepted and ignored:
nothing leaves an air-gapped site), plus ``--host`` and ``--run_threads``; the ``Key=Value``
tokens are the platform settings every airgap server takes (``Mounts:Output``,
``Mounts:License``, ``Licensing:TrustedKeys``, ``Billing``/``ApiKey``, ``Auth:SubscriptionKeys``).

This module is imported by ``airgap.cli`` for every command, so it imports nothing heavy at the top.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

DESCRIPTION = """Serve an Azure ML scoring script (score.py with init() and run()) as Azure ML's inference
server (azmlinfsrv) does: GET / (liveness), GET|POST|OPTIONS /score, GET /swagger.json. Environment
variables as azmlinfsrv's: AZUREML_ENTRY_SCRIPT, AZUREML_MODEL_DIR, AML_APP_ROOT,
AZUREML_SOURCE_DIRECTORY, SCORING_TIMEOUT_MS, WORKER_COUNT, WORKER_TIMEOUT, SERVICE_NAME,
SERVICE_VERSION, SERVICE_PATH_PREFIX, AML_CORS_ORIGINS, AZUREML_CONFIG_FILE, SEPERATE_HEALTH_ENDPOINT;
airgap's: AIRGAP_SCORE_THREADS, AIRGAP_SCORE_MAX_BODY_BYTES. docs/scoring.md."""

EPILOG = """platform settings (Key=Value, or environment variables as for airgap serve):
  Mounts:Output=DIR          usage records (CustomModel.Transactions, CustomModel.RequestBytes) in DIR/usage;
                             default /output when that folder exists, else no records (unlicensed only)
  Mounts:License=DIR         disconnected mode: a licence for the service 'inference' (with Licensing:TrustedKeys)
  Billing=URL ApiKey=KEY     connected mode
  Auth:SubscriptionKeys=K1,K2  /score needs 'Authorization: Bearer <key>' or Ocp-Apim-Subscription-Key"""


def _port(value: str) -> int:
    port = int(value)
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(
            f"Specified port '{port}' is invalid. Please specify a port within range the [1, 65535] range.")
    return port


def _positive(value: str) -> int:
    number = int(value)
    if number <= 0:
        raise argparse.ArgumentTypeError(
            f"Specified worker count '{number}' is invalid. Please specify a worker count greater than zero.")
    return number


def add_parser(commands: Any) -> None:
    score = commands.add_parser("score", help="serve an Azure ML score.py (azmlinfsrv-compatible)",
                                description=DESCRIPTION, epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    score.add_argument("--entry_script", help="The relative or absolute path to the scoring script.")
    score.add_argument("--model_dir", help="The model directory, given to the script as AZUREML_MODEL_DIR.")
    score.add_argument("--port", type=_port, help="The serving port of the server. Default is 5001.")
    score.add_argument("--health_port", type=_port,
                       help="A second port for the same routes, with SEPERATE_HEALTH_ENDPOINT=true. Default 5000.")
    score.add_argument("--worker_count", type=_positive, help="Worker processes. Default is 1 (or WORKER_COUNT).")
    score.add_argument("--appinsights_instrumentation_key", help="Accepted and ignored: nothing is sent anywhere.")
    score.add_argument("--access_control_allow_origins", help='CORS origins, comma-separated (AML_CORS_ORIGINS).')
    score.add_argument("--config_file", help="A JSON file of settings (keys as the environment variables).")
    score.add_argument("--host", default="0.0.0.0", help="airgap: the address to listen on. Default 0.0.0.0.")
    score.add_argument("--run_threads", type=_positive,
                       help="airgap: run() calls at once per worker (AIRGAP_SCORE_THREADS). Default 1.")
    score.add_argument("settings", nargs="*", metavar="Key=Value", help="platform settings, e.g. Mounts:Output=/output")


def run(args: argparse.Namespace) -> int:
    from airgap.platform.licensing import modes as licensing
    from airgap.platform.licensing.token import LicenceError
    from airgap.platform.settings import Settings, SettingsError, normalize_key
    from airgap.platform.usage.recorder import OUTPUT_NOT_FOUND
    from airgap.scoring import config as score_config
    from airgap.scoring import server
    from airgap.scoring.app import SERVICE

    import importlib.util

    missing = [m for m in ("werkzeug", "inference_schema") if importlib.util.find_spec(m) is None]
    if missing:
        print(f"airgap score: the scoring extra is not installed here (missing {', '.join(missing)}): "
              "pip install 'airgap[scoring]'", file=sys.stderr)
        return 2
    if not (args.entry_script or args.config_file or os.environ.get("AZUREML_ENTRY_SCRIPT")):
        print("airgap score: Either provide an entry_script using --entry_script or provide a path to the "
              "configuration file using --config_file", file=sys.stderr)
        return 1
    if args.appinsights_instrumentation_key:
        print("airgap score: --appinsights_instrumentation_key ignored: an air-gapped server sends nothing to "
              "Application Insights.", file=sys.stderr)
    try:
        config = score_config.resolve(args, os.environ)
        settings = Settings.load(args.settings, os.environ)
    except (score_config.ConfigError, SettingsError) as exc:
        print(f"airgap score: {exc}", file=sys.stderr)
        return 2
    if settings.download_license:
        from airgap.platform.licensing import download as licence_download

        return licence_download.run(settings, [SERVICE])
    try:
        line = licensing.startup_check(settings, [SERVICE])
    except LicenceError as exc:
        print(f"airgap score: licence check failed with status '{exc.code}': {exc.message}", file=sys.stderr)
        return 1
    mode = licensing.mode_of(settings)
    output_given = any(normalize_key(t.split("=", 1)[0]) == "mounts:output" for t in args.settings if "=" in t) or \
        any(normalize_key(k) == "mounts:output" for k in os.environ)
    output_ok = os.path.isdir(settings.output_dir) and os.access(settings.output_dir, os.W_OK)
    if not output_ok and (output_given or mode != "unlicensed"):
        print(f"airgap score: {OUTPUT_NOT_FOUND}", file=sys.stderr)  # a licence is counted from the records
        return 1
    config = _replace(config, usage_records=output_ok)
    print(f"airgap score: {line}", file=sys.stderr)
    return server.serve(config, settings)


def _replace(config: Any, **changes: Any) -> Any:
    import dataclasses

    return dataclasses.replace(config, **changes)
