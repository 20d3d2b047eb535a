"""Models in ``Mounts:Input``, loaded at start as the LUIS container loads its ``/input`` folder.

Names, matched case-insensitively as the LUIS container matches its package files:

    {APP_ID}_PRODUCTION.json | .gz    a LUIS app JSON, served on slot production
    {APP_ID}_STAGING.json | .gz       the same, slot staging
    {APP_ID}_v{VERSION}.json | .gz    the same, on .../versions/{VERSION}/predict
    anything else *.json              a CLU project export: project metadata.projectName, deployment production

Azure's own ``.gz`` packages hold a format Microsoft does not publish, so a ``.gz`` here is the app
JSON the LUIS portal exports, gzipped. Everything is trained synchronously in ``Service.load``,
before ``/ready`` answers 200. A LUIS app's model is kept under ``<store>/luis-input/<content hash>``,
so a restart, or another replica sharing the folder, reuses it instead of training again; a CLU
export is imported into the store like ``:import`` + ``:train`` + deploy, and skipped at the next
start when the stored project is the same. A file that cannot be used is logged and its app
answers 404 with the reason; the other files are still served.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from airgap.services.conversations.engines.luis_app import LuisApp, convert, is_luis_app
from airgap.services.conversations.engines.model import FORMAT, ConversationModel, train_model
from airgap.services.conversations.engines.prebuilt import PrebuiltRecognizers
from airgap.services.conversations.engines.project import ProjectError, parse_project
from airgap.services.conversations.store import ConversationStore, valid_name
from airgap.services.conversations.training import TRAINING_CONFIG_VERSION, train_project

log = logging.getLogger("airgap.services.conversations")

PACKAGE = re.compile(r"^(?P<app>[A-Za-z0-9][A-Za-z0-9\-]*)_(?:(?P<slot>production|staging)|v(?P<version>.{1,10}))$",
                     re.IGNORECASE)
INPUT_LABEL, INPUT_DEPLOYMENT = "input", "production"
SLOTS = ("production", "staging")


@dataclass(frozen=True)
class LoadedApp:
    app_id: str
    key: str          # "slot:production", "slot:staging" or "version:<id>"
    app: LuisApp
    model: ConversationModel
    file: str


def app_key(slot: str | None = None, version: str | None = None) -> str:
    return f"slot:{slot.lower()}" if slot is not None else f"version:{version}"


def _read(path: Path) -> Any:
    raw = path.read_bytes()
    if path.suffix.lower() == ".gz":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError):
            raise ProjectError("it is not gzip data: airgap reads a gzipped LUIS app JSON, not Azure's own package "
                               "format (which is not published); export the app as JSON from the LUIS portal") from None
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ProjectError(f"it is not JSON ({exc})") from None


class InputMount:
    def __init__(self, folder: Path, store: ConversationStore, prebuilt: PrebuiltRecognizers) -> None:
        self.folder = folder
        self.store = store
        self.prebuilt = prebuilt
        self.apps: dict[tuple[str, str], LoadedApp] = {}
        self.errors: dict[tuple[str, str], str] = {}  # (app id lower-cased, key) -> why it is not served
        self.projects: list[str] = []

    def load(self) -> None:
        if not self.folder.is_dir():
            raise FileNotFoundError(f"Mounts:Input {self.folder} is not a folder: mount one (the LUIS container's "
                                    "/input) or leave the setting unset.")
        for path in sorted(self.folder.iterdir()):
            suffix = path.suffix.lower()
            if not path.is_file() or suffix not in (".json", ".gz"):
                continue
            package = PACKAGE.match(path.name[: -len(suffix)])
            try:
                if package is not None:
                    self._load_app(path, package)
                elif suffix == ".json":
                    self._load_project(path)
                else:
                    log.warning("Mounts:Input: %s is not named {APP_ID}_PRODUCTION, _STAGING or _v{VERSION}; "
                                "ignored.", path.name)
            except (ProjectError, OSError) as exc:
                log.error("Mounts:Input: %s cannot be served: %s", path.name, exc)
                if package is not None:
                    key = app_key(package["slot"], package["version"])
                    self.errors[(package["app"].lower(), key)] = f"{path.name} could not be loaded: {exc}"

    def _load_app(self, path: Path, package: re.Match[str]) -> None:
        doc = _read(path)
        if not is_luis_app(doc):
            raise ProjectError("it has no luis_schema_version: not a LUIS app JSON")
        app_id = package["app"]
        app = convert(doc, app_id)
        project = parse_project(app.export, app_id)
        digest = hashlib.sha256(json.dumps([FORMAT, TRAINING_CONFIG_VERSION, app.export], sort_keys=True).encode())
        folder = self.store.root / "luis-input" / digest.hexdigest()
        if not (folder / "definition.json").exists():
            staging = folder.with_name(f".{folder.name}.{uuid.uuid4().hex}")
            staging.mkdir(parents=True)
            try:
                train_model(project, staging, self.prebuilt)
                staging.rename(folder)
            except OSError:
                if not (folder / "definition.json").exists():
                    raise
                # Another process sharing the folder trained the same content first: same files.
            finally:
                shutil.rmtree(staging, ignore_errors=True)
        key = app_key(package["slot"], package["version"])
        for warning in app.warnings + project.warnings:
            log.warning("Mounts:Input: %s: %s", path.name, warning)
        self.apps[(app_id.lower(), key)] = LoadedApp(app_id, key, app, ConversationModel(folder, self.prebuilt),
                                                     path.name)
        log.info("Mounts:Input: LUIS app %s (%s, version %s) from %s serves %s", app_id, app.name, app.version,
                 path.name, key.replace(":", " "))

    def _load_project(self, path: Path) -> None:
        doc = _read(path)
        if is_luis_app(doc):
            raise ProjectError("a LUIS app must be named {APP_ID}_PRODUCTION.json, {APP_ID}_STAGING.json or "
                               "{APP_ID}_v{VERSION}.json to say where it is served")
        if not isinstance(doc, dict):
            raise ProjectError("it is not a CLU project export (a JSON object)")
        metadata = doc.get("metadata") if isinstance(doc.get("metadata"), dict) else {}
        name = str(metadata.get("projectName") or path.stem)
        if not valid_name(name):
            raise ProjectError(f"project name {name!r} is not valid (up to 100 letters, digits, '_', '-', '.')")
        parsed = parse_project(doc, name)
        stored = self.store.project(name)
        deployed = self.store.deployment(name, INPUT_DEPLOYMENT)
        if (stored is None or stored.get("export") != doc or deployed is None
                or deployed.get("modelLabel") != INPUT_LABEL):
            kept = {k: v for k, v in metadata.items()
                    if k in ("projectKind", "settings", "multilingual", "description", "language")}
            kept.update({"projectKind": "Conversation", "language": parsed.language,
                         "projectFileVersion": doc["projectFileVersion"]})
            self.store.save_project(name, kept, doc)
            trained = train_project(self.prebuilt, str(self.store.root), name, INPUT_LABEL)
            self.store.deploy(name, INPUT_DEPLOYMENT, INPUT_LABEL, trained)
        for warning in parsed.warnings:
            log.warning("Mounts:Input: %s: %s", path.name, warning)
        self.projects.append(name)
        log.info("Mounts:Input: CLU project %s from %s serves deployment %s", name, path.name, INPUT_DEPLOYMENT)

    def close(self) -> None:
        for loaded in self.apps.values():
            loaded.model.close()
        self.apps.clear()
