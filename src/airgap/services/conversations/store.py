"""Projects, trained models and deployments on the shared folder, so every replica sees them.

Layout under ``<Mounts:Shared>/conversations`` (``<Mounts:Output>`` when no shared folder is set)::

    projects/<name>/project.json            metadata + the imported export, as given
    projects/<name>/models/<label>/          a trained model (engines/model.py's files + trained.json)
    projects/<name>/deployments/<dep>.json   which model label a deployment serves
    projects/<name>/operations/<id>.json     import and deploy operations (finished when accepted)

Every JSON file is written whole (``platform.durable.write_atomic``); a model folder is built
beside its final place and renamed into it, so a reader sees the old model or the new one.
"""

from __future__ import annotations

import json
import re
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from airgap.platform.durable import write_atomic

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$")


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def valid_name(name: str) -> bool:
    return bool(NAME.match(name)) and ".." not in name


class ConversationStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _project_dir(self, project: str) -> Path:
        return self.root / "projects" / project

    @staticmethod
    def _read(path: Path) -> dict[str, Any] | None:
        try:
            return json.loads(path.read_bytes())
        except FileNotFoundError:
            return None

    @staticmethod
    def _write(path: Path, value: dict[str, Any]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(value, sort_keys=True).encode())

    # -- projects --------------------------------------------------------------------------
    def project(self, name: str) -> dict[str, Any] | None:
        return self._read(self._project_dir(name) / "project.json") if valid_name(name) else None

    def projects(self) -> list[dict[str, Any]]:
        folder = self.root / "projects"
        if not folder.is_dir():
            return []
        found = (self.project(p.name) for p in sorted(folder.iterdir()) if p.is_dir())
        return [p for p in found if p is not None]

    def save_project(self, name: str, metadata: dict[str, Any], export: dict[str, Any]) -> dict[str, Any]:
        previous = self.project(name)
        stamp = now_iso()
        record = {"metadata": {**metadata, "projectName": name,
                               "createdDateTime": previous["metadata"]["createdDateTime"] if previous else stamp,
                               "lastModifiedDateTime": stamp},
                  "export": export}
        for key in ("lastTrainedDateTime", "lastDeployedDateTime"):
            if previous and key in previous["metadata"]:
                record["metadata"][key] = previous["metadata"][key]
        self._write(self._project_dir(name) / "project.json", record)
        return record

    def touch_project(self, name: str, key: str) -> None:
        record = self.project(name)
        if record is not None:
            record["metadata"][key] = now_iso()
            self._write(self._project_dir(name) / "project.json", record)

    # -- models ----------------------------------------------------------------------------
    def model_dir(self, project: str, label: str) -> Path:
        return self._project_dir(project) / "models" / label

    def model(self, project: str, label: str) -> dict[str, Any] | None:
        if not (valid_name(project) and valid_name(label)):
            return None
        return self._read(self.model_dir(project, label) / "trained.json")

    def models(self, project: str) -> list[dict[str, Any]]:
        folder = self._project_dir(project) / "models"
        if not folder.is_dir():
            return []
        found = (self.model(project, p.name) for p in sorted(folder.iterdir()) if p.is_dir())
        return [m for m in found if m is not None]

    def staging_dir(self, project: str, label: str) -> Path:
        folder = self._project_dir(project) / "models" / f".{label}.{uuid.uuid4().hex}"
        folder.mkdir(parents=True)
        return folder

    def publish_model(self, project: str, label: str, staging: Path, trained: dict[str, Any]) -> None:
        self._write(staging / "trained.json", trained)
        final = self.model_dir(project, label)
        if final.exists():
            retired = final.with_name(f".{label}.old.{uuid.uuid4().hex}")
            final.rename(retired)
            staging.rename(final)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            staging.rename(final)

    # -- deployments -----------------------------------------------------------------------
    def deployment(self, project: str, name: str) -> dict[str, Any] | None:
        if not (valid_name(project) and valid_name(name)):
            return None
        return self._read(self._project_dir(project) / "deployments" / f"{name}.json")

    def deployment_stamp(self, project: str, name: str) -> float | None:
        """When the deployment last changed (a cheap check for a cached model)."""
        try:
            return (self._project_dir(project) / "deployments" / f"{name}.json").stat().st_mtime_ns
        except FileNotFoundError:
            return None

    def deployments(self, project: str) -> list[dict[str, Any]]:
        folder = self._project_dir(project) / "deployments"
        if not folder.is_dir():
            return []
        found = (self._read(p) for p in sorted(folder.glob("*.json")))
        return [d for d in found if d is not None]

    def deploy(self, project: str, name: str, label: str, trained: dict[str, Any]) -> dict[str, Any]:
        """Deploy a copy of model ``label``: retraining the label later changes no deployment
        until it is deployed again, as in Azure."""
        folder = self._project_dir(project) / "deployments"
        folder.mkdir(parents=True, exist_ok=True)
        snapshot = f"{name}.{uuid.uuid4().hex}"
        shutil.copytree(self.model_dir(project, label), folder / snapshot)
        previous = self.deployment(project, name)
        stamp = now_iso()
        record = {"deploymentName": name, "modelId": trained["modelId"], "modelLabel": label,
                  "lastTrainedDateTime": trained["lastTrainedDateTime"], "lastDeployedDateTime": stamp,
                  "deploymentExpirationDate": "2099-12-31",
                  "modelTrainingConfigVersion": trained["modelTrainingConfigVersion"], "snapshot": snapshot}
        self._write(folder / f"{name}.json", record)
        if previous is not None:
            shutil.rmtree(folder / previous["snapshot"], ignore_errors=True)
        self.touch_project(project, "lastDeployedDateTime")
        return record

    def deployed_model_dir(self, project: str, record: dict[str, Any]) -> Path:
        return self._project_dir(project) / "deployments" / record["snapshot"]

    # -- finished operations (import, deploy) -----------------------------------------------
    def save_operation(self, project: str, record: dict[str, Any]) -> None:
        self._write(self._project_dir(project) / "operations" / f"{record['jobId']}.json", record)

    def operation(self, project: str, job_id: str) -> dict[str, Any] | None:
        if not (valid_name(project) and valid_name(job_id)):
            return None
        return self._read(self._project_dir(project) / "operations" / f"{job_id}.json")
