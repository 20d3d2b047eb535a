"""The composition root: settings in, a running uvicorn server out.

``compose`` is where the platform pieces a deployment needs (usage recorder,
licence and auth gates) are chosen from the settings and handed to
``create_app``. Worker processes re-run ``compose`` from the same settings,
passed to them as ``Key=Value`` tokens.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import shutil
import tempfile

import uvicorn
from fastapi import FastAPI

from airgap.app import create_app
from airgap.platform.settings import Settings

_SETTINGS_ENV = "AIRGAP_WORKER_SETTINGS"

log = logging.getLogger("airgap.server")


def compose(settings: Settings) -> FastAPI:
    from airgap.platform.licensing import modes as licensing
    from airgap.platform.executor import InferencePool
    from airgap.platform.gateway import Gate
    from airgap.platform.runtime import Runtime
    from airgap.platform.usage.recorder import JournalRecorder
    from airgap.services import registry

    classes = registry.resolve(settings.services)
    api_types = {c.name: c.api_type for c in classes}
    # The licensing mode (disconnected, connected, unlicensed) gates every API request.
    mode = licensing.build(settings, {c.name: [m.name for m in c.meters] for c in classes})
    runtime = Runtime(settings=settings, pool=InferencePool(settings.threads),
                      api_status=mode.api_status, not_serving_reason=mode.not_serving_reason,
                      background=mode.background())
    recorder = mode.wrap(JournalRecorder(settings.output_dir, api_types=api_types))
    gates: list[Gate] = [mode]
    if settings.subscription_keys:
        from airgap.platform.auth import SubscriptionKeyGate

        gates.insert(0, SubscriptionKeyGate(settings.subscription_keys))  # strangers learn nothing of licences
    return create_app(settings, recorder=recorder, gates=gates, runtime=runtime)


def worker_app() -> FastAPI:
    """uvicorn factory for each worker process."""
    from airgap.services import registry

    registry.import_settings()
    settings = Settings.load(json.loads(os.environ[_SETTINGS_ENV]))
    configure_logging(settings)
    return compose(settings)


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level_number,
        format="%(asctime)s %(levelname)s %(name)s[%(process)d]: %(message)s",
    )


def _check_licensing(settings: Settings) -> None:
    """No valid licence (or billing key) for a hosted service: no start, with the reason."""
    from airgap.platform.licensing import modes as licensing
    from airgap.platform.licensing.token import LicenceError
    from airgap.services import registry

    try:
        line = licensing.startup_check(settings, [c.name for c in registry.resolve(settings.services)])
    except LicenceError as exc:
        raise SystemExit(f"airgap: licence check failed with status '{exc.code}': {exc.message}") from None
    if licensing.mode_of(settings) == "unlicensed":
        log.warning(line)
    else:
        log.info(line)


def _start_engine_processes(settings: Settings) -> None:
    """Engine processes run once per server: supervised here, in the parent, not in each worker.

    The workers read their state from the folder in AIRGAP_PROCESS_DIR (platform/processes.py).
    """
    from airgap.platform import processes
    from airgap.platform.executor import InferencePool
    from airgap.platform.runtime import Runtime
    from airgap.services import registry
    from airgap.services.base import Service

    runtime = Runtime(settings=settings, pool=InferencePool(1))
    needing = [c for c in registry.resolve(settings.services) if c.processes is not Service.processes]
    processes.serve_supervisor([c(runtime) for c in needing])


def serve(settings: Settings) -> None:
    configure_logging(settings)
    from airgap.platform.usage.recorder import check_output_dir

    check_output_dir(settings.output_dir)  # exits non-zero with Azure's one-line message
    _check_licensing(settings)
    os.environ[_SETTINGS_ENV] = json.dumps(settings.to_tokens())
    if settings.workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Every worker writes its samples here, so /metrics adds all workers up.
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="airgap-metrics-")
        atexit.register(shutil.rmtree, os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
    log.info("Starting airgap on %s:%s with %d worker(s); settings: %s",
             settings.host, settings.port, settings.workers, settings.describe())
    _start_engine_processes(settings)
    uvicorn.run(
        "airgap.server:worker_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level=max(settings.log_level_number, logging.INFO) if settings.log_level_number <= logging.CRITICAL else logging.CRITICAL,
        access_log=False,
        timeout_graceful_shutdown=8,
        server_header=False,
        http="airgap.platform.http_head:BoundedHttpToolsProtocol",  # 431 past 32 KiB of request head
        ws="airgap.platform.ws_protocol:ClosingWebSocketProtocol",  # shutdown closes with 1001 and a reason
    )
