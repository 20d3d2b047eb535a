"""The score server's configuration: Azure ML's inference server flags and environment variables.

``azmlinfsrv`` (``azureml-inference-server-http`` 1.5.1) is configured by command-line flags
(``--entry_script``, ``--model_dir``, ``--port``, ``--worker_count``, ...), by environment
variables (``AZUREML_ENTRY_SCRIPT``, ``AML_APP_ROOT``, ``SCORING_TIMEOUT_MS``, ``WORKER_COUNT``,
...) and by an optional JSON file (``--config_file``, ``AZUREML_CONFIG_FILE``, or ``config.json``
in the app root or beside the entry script) whose keys are those variables' names. Precedence as
there: flag, then environment, then file, then default. Its quirks are kept: ``SERVER_PORT`` in the
environment is ignored (the port is ``--port`` or 5001), and ``--entry_script`` is resolved to an
absolute path while ``AZUREML_ENTRY_SCRIPT`` is relative to the app root.

``ScoreConfig`` is parsed once in the parent process and handed to each worker as JSON in
``AIRGAP_SCORE_CONFIG``; nothing reads these variables after that. The airgap platform's own
settings (``Mounts:Output``, ``Mounts:License``, ``Auth:SubscriptionKeys``, ...) are the
``Key=Value`` tokens of ``airgap score`` and the usual environment variables
(``platform/settings.py``); ``app.py`` reads them.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from airgap import __version__

log = logging.getLogger("azmlinfsrv")

CONFIG_ENV = "AIRGAP_SCORE_CONFIG"

DEFAULT_APP_ROOT = "/var/azureml-app"
DEFAULT_PORT = 5001
DEFAULT_HEALTH_PORT = 5000
DEFAULT_SCORING_TIMEOUT_MS = 3_600_000
DEFAULT_WORKER_TIMEOUT_S = 300
# airgap's own: a body larger than this is refused with 413 before it is read (azmlinfsrv reads
# any size into memory).
DEFAULT_MAX_BODY_BYTES = 100 * 1024 * 1024

# Keys azmlinfsrv reads from its config file (the same names as the environment variables).
FILE_KEYS = ("AML_APP_ROOT", "AZUREML_SOURCE_DIRECTORY", "AZUREML_ENTRY_SCRIPT", "SERVICE_NAME",
             "WORKSPACE_NAME", "SERVICE_PATH_PREFIX", "SERVICE_VERSION", "SCORING_TIMEOUT_MS",
             "AZUREML_LOG_LEVEL", "AML_APP_INSIGHTS_ENABLED", "AML_APP_INSIGHTS_KEY",
             "AML_MODEL_DC_STORAGE_ENABLED", "APP_INSIGHTS_LOG_RESPONSE_ENABLED", "AML_CORS_ORIGINS",
             "AZUREML_MODEL_DIR", "HOSTNAME", "AZUREML_DEBUG_PORT")


class ConfigError(ValueError):
    """A flag, variable or config-file value that cannot be used; the message says which."""


@dataclass(frozen=True)
class ScoreConfig:
    entry_script: str | None  # absolute, or relative to app_root; None: import module `main`
    app_root: str
    source_dir: str | None = None
    model_dir: str | None = None
    host: str = "0.0.0.0"
    port: int = DEFAULT_PORT
    health_port: int | None = None  # a second listener (SEPERATE_HEALTH_ENDPOINT=true)
    worker_count: int = 1
    worker_timeout_s: int = DEFAULT_WORKER_TIMEOUT_S
    scoring_timeout_ms: int = DEFAULT_SCORING_TIMEOUT_MS
    log_level: str = "INFO"
    service_name: str = "ML service"
    service_version: str = "1.0"
    service_path_prefix: str = ""
    server_version: str | None = f"airgap/{__version__}"  # x-ms-server-version; None: not sent
    cors_origins: tuple[str, ...] = ()
    # airgap's own: run() calls at once per worker (1, as azmlinfsrv's sync workers), body limit.
    run_threads: int = 1
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    usage_records: bool = True  # decided by cli.py from Mounts:Output and the licensing mode

    @property
    def script_path(self) -> str | None:
        if self.entry_script is None:
            return None
        return os.path.join(self.app_root, self.entry_script.replace("/", os.sep))

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_json(cls, text: str) -> ScoreConfig:
        values = json.loads(text)
        values["cors_origins"] = tuple(values.get("cors_origins") or ())
        return cls(**values)

    def settings_lines(self) -> list[tuple[str, str]]:
        """The start-up banner's "Server Settings", as azmlinfsrv prints them."""
        return [
            ("Entry Script Name", str(self.script_path)),
            ("Model Directory", str(self.model_dir)),
            ("Worker Count", str(self.worker_count)),
            ("Worker Timeout (seconds)", str(self.worker_timeout_s)),
            ("Server Port", str(self.port)),
            ("Health Port", str(self.health_port or self.port)),
            ("Scoring Timeout (ms)", str(self.scoring_timeout_ms)),
            ("run() Threads per Worker", str(self.run_threads)),
            ("Inferencing HTTP server version", str(self.server_version)),
            ("CORS for the specified origins", ", ".join(self.cors_origins) or "None"),
        ]


def _int(name: str, raw: Any, minimum: int = 0) -> int:
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise ConfigError(f"{name}: expected a whole number, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name}: expected a number of at least {minimum}, got {raw!r}")
    return value


def _port(name: str, raw: Any) -> int:
    value = _int(name, raw)
    if not 1 <= value <= 65535:
        raise ConfigError(f"Specified port '{value}' is invalid. Please specify a port within range the "
                          "[1, 65535] range.")
    return value


def _config_file(explicit: str | None, env: Mapping[str, str]) -> dict[str, Any]:
    """azmlinfsrv's config file: explicit, else config.json in the app root or beside the script."""
    candidates = [explicit or env.get("AZUREML_CONFIG_FILE")]
    candidates.append(os.path.join(env.get("AML_APP_ROOT", DEFAULT_APP_ROOT), "config.json"))
    if env.get("AZUREML_ENTRY_SCRIPT"):
        candidates.append(os.path.join(os.path.dirname(os.path.abspath(env["AZUREML_ENTRY_SCRIPT"])),
                                       "config.json"))
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.stat(candidate).st_size:
            try:
                with open(candidate, encoding="utf-8") as f:
                    values = json.load(f)
            except (OSError, ValueError) as exc:
                raise ConfigError(f"Invalid config file {candidate}: {exc}") from None
            if not isinstance(values, dict):
                raise ConfigError(f"Invalid config file {candidate}: expected a JSON object")
            extra = sorted(k for k in values if k not in FILE_KEYS)
            if extra:
                log.warning("Found extra keys in the config file that are not supported by the server.\n"
                            "Extra keys = %s", extra)
            return values
    return {}


def resolve(args: Any, env: MutableMapping[str, str]) -> ScoreConfig:
    """Flags (an argparse namespace from ``cli.py``) over environment over config file.

    Like azmlinfsrv, this also writes what the script may read into ``env`` (the process
    environment, inherited by the workers): ``AML_APP_ROOT``, ``AZUREML_ENTRY_SCRIPT``,
    ``AZUREML_MODEL_DIR``, ``WORKER_COUNT``, ``SERVER_PORT``, ``HEALTH_PORT`` and
    ``HTTP_X_MS_SERVER_VERSION``.
    """
    if args.config_file:
        env["AZUREML_CONFIG_FILE"] = os.path.realpath(args.config_file)
    env.setdefault("AML_APP_ROOT", os.getcwd())
    if args.entry_script:
        env["AZUREML_ENTRY_SCRIPT"] = os.path.realpath(args.entry_script)
    if args.model_dir is not None:
        env["AZUREML_MODEL_DIR"] = str(args.model_dir)
    file_values = _config_file(args.config_file, env)

    def setting(name: str, default: Any = None) -> Any:
        if name in env:
            return env[name]
        return file_values.get(name, default)

    worker_count = args.worker_count if args.worker_count is not None else _int(
        "WORKER_COUNT", setting("WORKER_COUNT", 1), minimum=1)
    env["WORKER_COUNT"] = str(worker_count)
    port = args.port if args.port is not None else DEFAULT_PORT  # SERVER_PORT is ignored, as there
    env["SERVER_PORT"] = str(port)
    health_port = None
    if env.get("SEPERATE_HEALTH_ENDPOINT") == "true":  # sic: azmlinfsrv's spelling
        health_port = args.health_port or DEFAULT_HEALTH_PORT
        env["HEALTH_PORT"] = str(health_port)
    else:
        env["HEALTH_PORT"] = str(port)
    server_version: str | None = None
    if env.get("SERVER_VERSION_LOG_RESPONSE_ENABLED", "true").lower() == "true":
        server_version = env.setdefault("HTTP_X_MS_SERVER_VERSION", f"airgap/{__version__}")
    origins = args.access_control_allow_origins or setting("AML_CORS_ORIGINS") or ""
    model_dir = setting("AZUREML_MODEL_DIR")
    entry_script = setting("AZUREML_ENTRY_SCRIPT")
    app_root = str(setting("AML_APP_ROOT", DEFAULT_APP_ROOT))
    return ScoreConfig(
        entry_script=str(entry_script) if entry_script else None,
        app_root=app_root,
        source_dir=setting("AZUREML_SOURCE_DIRECTORY"),
        model_dir=str(model_dir) if model_dir is not None else None,
        host=args.host,
        port=port,
        health_port=health_port,
        worker_count=worker_count,
        worker_timeout_s=_int("WORKER_TIMEOUT", setting("WORKER_TIMEOUT", DEFAULT_WORKER_TIMEOUT_S), minimum=1),
        scoring_timeout_ms=_int("SCORING_TIMEOUT_MS", setting("SCORING_TIMEOUT_MS", DEFAULT_SCORING_TIMEOUT_MS),
                                minimum=1),
        log_level=str(setting("AZUREML_LOG_LEVEL", "INFO")).upper(),
        service_name=str(setting("SERVICE_NAME", "ML service")),
        service_version=str(setting("SERVICE_VERSION", "1.0")),
        service_path_prefix=str(setting("SERVICE_PATH_PREFIX", "")),
        server_version=server_version,
        cors_origins=tuple(o.strip() for o in str(origins).split(",")) if origins else (),
        run_threads=args.run_threads if args.run_threads is not None else _int(
            "AIRGAP_SCORE_THREADS", env.get("AIRGAP_SCORE_THREADS", 1), minimum=1),
        max_body_bytes=_int("AIRGAP_SCORE_MAX_BODY_BYTES",
                            env.get("AIRGAP_SCORE_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES), minimum=1),
    )
