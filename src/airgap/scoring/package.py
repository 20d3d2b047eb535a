"""``airgap package``: a user's scoring script and model as an image ``FROM localhost/airgap/inference``.

    airgap package --entry_script app/score.py --model_dir models/ [--requirements requirements.txt
                   --wheelhouse wheels/] --tag localhost/my-model:1 [--context DIR]

The build context (written to a temporary folder, or to ``--context`` without building) holds the
script's folder (``--source_dir``, default the script's own folder) as the app root, the model
folder as ``AZUREML_MODEL_DIR``, and the user's extra packages as wheels: they are installed with
``pip --no-index`` from the wheelhouse the user brings, so the build needs no registry and no
network. The image runs as Azure ML's do: ``docker run -p 5001:5001 --network none IMAGE``.

This module is imported by ``airgap.cli`` for every command: nothing heavy at the top.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

APP_ROOT = "/var/azureml-app"
MODEL_DIR = "/var/azureml-app/azureml-models"
IGNORED = shutil.ignore_patterns(".git", "__pycache__", "*.pyc", ".venv*", ".pytest_cache")


class PackageError(ValueError):
    pass


def add_parser(commands: argparse._SubParsersAction) -> None:
    from airgap import __version__

    package = commands.add_parser(
        "package", help="build an image of a score.py and its model, FROM localhost/airgap/inference",
        description=__doc__.split("\n\nThis module")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    package.add_argument("--entry_script", required=True, type=Path, help="the scoring script")
    package.add_argument("--model_dir", type=Path, help="the model folder (AZUREML_MODEL_DIR in the image)")
    package.add_argument("--source_dir", type=Path,
                         help="the folder copied as the app root (default: the entry script's folder)")
    package.add_argument("--requirements", type=Path, help="the script's extra packages (pip requirements)")
    package.add_argument("--wheelhouse", type=Path, help="wheels for --requirements (installed with --no-index)")
    package.add_argument("-t", "--tag", required=False, help="the image name, e.g. localhost/my-model:1")
    package.add_argument("--base", default=f"localhost/airgap/inference:{__version__}",
                         help="the base image (default: %(default)s)")
    package.add_argument("--context", type=Path,
                         help="write the build context (Dockerfile and files) to this new folder, do not build")


def dockerfile(base: str, entry_script: str, *, requirements: bool, model: bool) -> str:
    lines = [
        "# Built by `airgap package` (docs/scoring.md): a scoring script on the airgap inference image.",
        f"FROM {base}",
    ]
    if requirements:
        lines += [
            "USER 0",
            "COPY requirements.txt /tmp/airgap-package/requirements.txt",
            "COPY wheelhouse/ /tmp/airgap-package/wheelhouse/",
            "RUN /opt/airgap/bin/pip install --no-cache-dir --no-index --find-links /tmp/airgap-package/wheelhouse \\",
            "        -r /tmp/airgap-package/requirements.txt \\",
            "    && /opt/airgap/bin/pip check && rm -rf /tmp/airgap-package",
            "USER 10001:10001",
        ]
    lines.append(f"COPY --chown=10001:10001 app/ {APP_ROOT}/")
    if model:
        lines.append(f"COPY --chown=10001:10001 model/ {MODEL_DIR}/")
    lines.append(f"ENV AZUREML_ENTRY_SCRIPT={entry_script}")
    return "\n".join(lines) + "\n"


def make_context(args: argparse.Namespace, context: Path) -> None:
    script = args.entry_script.resolve()
    if not script.is_file():
        raise PackageError(f"no scoring script at {args.entry_script}")
    source = (args.source_dir or script.parent).resolve()
    try:
        relative = script.relative_to(source).as_posix()
    except ValueError:
        raise PackageError(f"the entry script {script} is not inside --source_dir {source}") from None
    if args.wheelhouse and not args.requirements:
        raise PackageError("--wheelhouse needs --requirements (what to install from it)")
    model_dir = args.model_dir.resolve() if args.model_dir else None
    if model_dir is not None and not model_dir.is_dir():
        raise PackageError(f"no model folder at {args.model_dir}")
    context.mkdir(parents=True, exist_ok=False)

    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = set(IGNORED(folder, names))
        if model_dir is not None:  # a model folder inside the app folder goes in once, as the model
            skipped |= {n for n in names if (Path(folder) / n).resolve() == model_dir}
        return skipped

    shutil.copytree(source, context / "app", ignore=ignore)
    if model_dir is not None:
        shutil.copytree(model_dir, context / "model", ignore=IGNORED)
    if args.requirements:
        shutil.copyfile(args.requirements, context / "requirements.txt")
        wheels = context / "wheelhouse"
        wheels.mkdir()
        if args.wheelhouse:
            for wheel in Path(args.wheelhouse).iterdir():
                if wheel.is_file():
                    shutil.copy2(wheel, wheels / wheel.name)
    (context / "Dockerfile").write_text(dockerfile(args.base, relative, requirements=bool(args.requirements),
                                                   model=model_dir is not None))
    (context / ".dockerignore").write_text("Dockerfile\n")


def run(args: argparse.Namespace) -> int:
    try:
        if args.context:
            make_context(args, args.context)
            print(f"airgap package: build context written to {args.context} (docker build -t TAG {args.context})")
            return 0
        if not args.tag:
            raise PackageError("--tag names the image to build (or --context writes the build context only)")
        with tempfile.TemporaryDirectory(prefix="airgap-package-") as tmp:
            context = Path(tmp) / "context"
            make_context(args, context)
            docker = os.environ.get("DOCKER", "docker")
            result = subprocess.run([docker, "build", "--force-rm", "-t", args.tag, str(context)], check=False)
            if result.returncode != 0:
                print(f"airgap package: docker build failed ({result.returncode})", file=sys.stderr)
                return 1
    except (PackageError, OSError) as exc:
        print(f"airgap package: {exc}", file=sys.stderr)
        return 2
    print(f"airgap package: built {args.tag}; run it as Azure ML's: docker run -p 5001:5001 {args.tag}")
    return 0
