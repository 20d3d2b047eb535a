"""Where a build's labelled files come from: a zip (``base64Source``, the container's way) or
a folder under the shared mount (``azureBlobSource.containerUrl`` = ``file:///<folder>``).
Azure Blob Storage itself cannot be reached offline."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlparse

from airgap.services.document.custom.build import TrainingDataError

# Only the labelling files are read; the documents themselves (PDF, images) are not needed.
WANTED = (".labels.json", ".ocr.json", "fields.json")
MAX_FILES = 2000
MAX_BYTES = 200 * 1024 * 1024  # unpacked, all files together


def zip_files(data: bytes) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise TrainingDataError("base64Source is not a zip archive: zip fields.json, the <document>.labels.json and "
                                "<document>.ocr.json files and send the archive base64-encoded.",
                                "InvalidTrainingContent") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir() and m.filename.endswith(WANTED)
                   and "__MACOSX" not in m.filename]
        _check_size(len(members), sum(m.file_size for m in members))
        return {m.filename: archive.read(m) for m in members}


def folder_of(container_url: str, shared: Path | None) -> Path:
    """The shared-mount folder a ``file:`` URL (or absolute path) names; anything else is refused
    with the two ways that work offline."""
    ways = ("send the labelled files (fields.json, <document>.labels.json, <document>.ocr.json) zipped in "
            "base64Source, or put them in a folder under the shared mount"
            + (f" ({shared})" if shared else " (set Mounts:Shared)") + " and give its file:// URL as containerUrl")
    parsed = urlparse(container_url)
    if parsed.scheme not in ("file", ""):
        raise TrainingDataError(f"Azure Blob Storage ({parsed.scheme}://{parsed.netloc}) cannot be reached from this "
                                f"offline server: {ways}.", "InvalidContentSourceFormat")
    if shared is None:
        raise TrainingDataError(f"A training folder must be under the shared mount, and none is set: {ways}.",
                                "InvalidContentSourceFormat")
    folder = Path(unquote(parsed.path) if parsed.scheme else container_url).resolve()
    root = shared.resolve()
    if folder != root and root not in folder.parents:
        raise TrainingDataError(f"containerUrl '{container_url}' is outside the shared mount: {ways}.",
                                "InvalidContentSourceFormat")
    if not folder.is_dir():
        raise TrainingDataError(f"The training folder {folder} does not exist.", "ContentSourceNotAccessible")
    return folder


def folder_files(folder: Path, prefix: str | None, file_list: str | None) -> dict[str, bytes]:
    """The labelling files under ``folder`` whose relative name starts with ``prefix``; with
    ``file_list`` (a JSON-lines file in the folder, ``{"file": "<document>"}`` per line) only
    those documents' files, and fields.json."""
    listed: set[str] | None = None
    if file_list:
        import orjson

        path = (folder / file_list).resolve()
        if folder not in path.parents or not path.is_file():
            raise TrainingDataError(f"fileList '{file_list}' is not a file in the training folder.",
                                    "ContentSourceNotAccessible")
        listed = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                try:
                    listed.add(str(orjson.loads(line)["file"]))
                except (orjson.JSONDecodeError, KeyError, TypeError):
                    raise TrainingDataError(f"fileList '{file_list}': each line must be {{\"file\": \"<name>\"}}.",
                                            "InvalidTrainingContent") from None
    files = [p for p in folder.rglob("*") if p.is_file() and p.name.endswith(WANTED)]
    chosen = {}
    for path in files:
        name = path.relative_to(folder).as_posix()
        if prefix and not name.startswith(prefix.lstrip("/")):
            continue
        if listed is not None and path.name != "fields.json" and name.rsplit(".", 2)[0] not in listed:
            continue
        chosen[name] = path
    _check_size(len(chosen), sum(p.stat().st_size for p in chosen.values()))
    return {name: path.read_bytes() for name, path in chosen.items()}


def _check_size(count: int, size: int) -> None:
    if count > MAX_FILES or size > MAX_BYTES:
        raise TrainingDataError(f"The training data holds {count} labelling files ({size:,} bytes); this server builds "
                                f"from at most {MAX_FILES} files and {MAX_BYTES:,} bytes.", "InvalidTrainingContent")
