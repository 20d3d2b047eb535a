"""``airgap studio [Key=Value ...]``: serve the Studio in front of airgap services that run apart.

This module is imported by ``airgap.cli`` for every command, so it imports nothing heavy at the top.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Any

DESCRIPTION = """Serve the airgap Studio (GET /studio) in front of services that run in their own servers,
as in the compose stack: API requests are passed to Studio:Upstream (the nginx front), and GET /ready
merges the services of every server in Studio:Ready, so the page shows a tab for each. No model is
loaded; no Eula is needed (the Studio serves none)."""

EPILOG = """settings (Key=Value on the command line, or environment variables; ':' and '__' are equivalent):
  Studio:Upstream=URL        where API requests go; default http://nginx:5000
  Studio:Ready=NAME=URL,...  the servers whose /ready is merged, e.g.
                             language=http://language:5000,speech=http://speech:5000; default Studio:Upstream
  Studio:Routes=/PREFIX=URL,...  paths under a prefix go to that URL instead of Studio:Upstream, e.g.
                             /speech=http://speech:5000,/cognitiveservices=http://speech:5000 (Kubernetes)
  Host=ADDRESS Port=PORT     where the Studio listens; default 0.0.0.0:5000
  Logging:Console:LogLevel:Default=Warning
docs/studio.md, docs/deployment.md."""


def add_parser(commands: Any) -> None:
    studio = commands.add_parser("studio", help="serve the Studio in front of separately running services",
                                 description=DESCRIPTION, epilog=EPILOG,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    studio.add_argument("settings", nargs="*", metavar="Key=Value",
                        help="settings, e.g. Studio:Upstream=http://nginx:5000 Port=5000")


def run(args: argparse.Namespace) -> int:
    from airgap.platform.settings import Settings, SettingsError
    from airgap.studio.settings import STUDIO

    try:
        settings = Settings.load(args.settings, os.environ)
    except SettingsError as exc:
        print(f"airgap studio: {exc}", file=sys.stderr)
        return 2
    studio = settings.section(STUDIO)

    import uvicorn

    from airgap.studio.app import create_app

    level = settings.log_level_number
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s[%(process)d]: %(message)s")
    logging.getLogger("httpx").setLevel(max(level, logging.WARNING))  # httpx logs a line per request at INFO
    logging.getLogger("airgap.studio").info(
        "airgap studio on %s:%s: API requests to %s%s; /ready merged from %s", settings.host, settings.port,
        studio.upstream, "".join(f", {item}" for item in studio.routes),
        ", ".join(f"{name}={url}" for name, url in studio.ready_targets()))
    uvicorn.run(create_app(studio), host=settings.host, port=settings.port,
                log_level=max(level, logging.INFO) if level <= logging.CRITICAL else logging.CRITICAL,
                access_log=False, server_header=False, timeout_graceful_shutdown=8)
    return 0
