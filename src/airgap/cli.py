"""The ``airgap`` command line.

``airgap serve [Key=Value ...]`` is the container entry point: it takes the
Azure-style settings and runs the server (``python -m airgap serve`` is the same).
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from collections.abc import Sequence

from airgap import __version__, records_cli
from airgap.authority import cli as authority_cli
from airgap.authority import dev
from airgap.platform.settings import Settings, SettingsError, settings_help
from airgap.scoring import cli as score_cli
from airgap.scoring import package as package_cli
from airgap.services import registry
from airgap.studio import cli as studio_cli

EULA_MESSAGE = (
    "airgap: the end-user licence agreement was not accepted. Pass Eula=accept on the command line "
    "(or set the environment variable EULA=accept) to start."
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="airgap", description="Azure AI services containers, offline.")
    parser.add_argument("--version", action="version", version=f"airgap {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve",
        help="run the server",
        description="Run the airgap server with Azure-style settings (Key=Value).",
        epilog=_settings_help() + "\n\nbundled services: " + ", ".join(registry.BUNDLED),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument("settings", nargs="*", metavar="Key=Value", help="settings, e.g. Eula=accept Port=5000")
    serve.add_argument("--workers", type=int, help="server processes (same as Workers=N)")
    records_cli.add_parser(commands)
    authority_cli.add_parser(commands)
    dev.add_parser(commands)
    score_cli.add_parser(commands)
    package_cli.add_parser(commands)
    studio_cli.add_parser(commands)
    return parser


def _settings_help() -> str:
    registry.import_settings()
    return settings_help()


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    if args.command == "records":
        return records_cli.run(args)
    if args.command == "authority":
        return authority_cli.run(args)
    if args.command == "score":
        return score_cli.run(args)
    if args.command == "package":
        return package_cli.run(args)
    if args.command == "studio":
        return studio_cli.run(args)
    if args.command == "dev":
        return _dev(args)
    return 2


def _dev(args: argparse.Namespace) -> int:
    settings = dev.bootstrap(args.state, list(registry.BUNDLED))
    if args.dev_command == "serve":
        print(f"airgap dev: serving with the development licence authority in {args.state.resolve()} "
              "(disconnected mode; usage records in its output/ folder).", flush=True)
        # Loopback unless told otherwise (Host=0.0.0.0 after it wins): a development server has
        # no inbound key, and a licence for every service.
        tokens = [*settings, "Host=127.0.0.1", *args.settings]
        if args.examples is not None:
            from airgap import dev_examples

            for line in dev_examples.prepare(args.examples, tokens):
                print(f"airgap dev: {line}", flush=True)
        return main(["serve", *tokens])
    if args.print_settings:
        print(" ".join(shlex.quote(s) for s in settings))
        return 0
    print(f"Development authority and licence ready in {args.state.resolve()}. Serve with:")
    print("  airgap serve " + " ".join(shlex.quote(s) for s in settings))
    return 0


def _serve(args: argparse.Namespace) -> int:
    tokens = list(args.settings)
    registry.import_settings()  # the services' own settings sections, so that their keys parse
    if args.workers is not None:
        tokens.append(f"Workers={args.workers}")
    try:
        settings = Settings.load(tokens, os.environ)
        registry.resolve(settings.services)
    except (SettingsError, registry.UnknownService) as exc:
        print(f"airgap: {exc}", file=sys.stderr)
        return 2
    if not settings.eula_accepted:
        print(EULA_MESSAGE, file=sys.stderr)
        return 1
    if settings.download_license:
        from airgap.platform.licensing import download as licence_download

        return licence_download.run(settings, [c.name for c in registry.resolve(settings.services)])
    from airgap.server import serve

    serve(settings)
    return 0
