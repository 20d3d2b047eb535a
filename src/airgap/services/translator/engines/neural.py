"""Your own neural translation models, mounted in ``Mounts:Models``: CTranslate2 and SentencePiece.

airgap ships no neural weights; the quality of these translations is entirely that of the models
you mount. Each entry of the folder is one direction, in one of the layouts users already keep:

- an **OPUS-MT** model converted with CTranslate2 (``ct2-opus-mt-converter``): a folder with
  ``model.bin``, its vocabularies and the SentencePiece models ``source.spm`` and ``target.spm``,
  named ``...-<source>-<target>`` (``opus-mt-en-de``) or carrying a ``metadata.json`` with
  ``from_code`` and ``to_code``;
- an **Argos Translate** package (what LibreTranslate installs): the ``.argosmodel`` file itself
  (a zip, read in place) or its unpacked folder: ``metadata.json``, ``model/`` (CTranslate2) and
  ``sentencepiece.model``.

Texts are split into sentences (sentencex), encoded with the model's SentencePiece model and
translated in batches: one worker per model takes every sentence waiting when it is free, so
concurrent requests share a batch without waiting for a timer.
"""

from __future__ import annotations

import io
import json
import logging
import queue
import re
import threading
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from airgap.services.translator.engines.base import Pair

log = logging.getLogger("airgap.translator.neural")

MAX_BATCH_SENTENCES = 64
_PAIR_NAME = re.compile(r"(?:^|[-_.])([a-z]{2,3})[-_]([a-z]{2,3})$")
# Codes models use where Azure's differ.
_AZURE = {"zh": "zh-Hans", "zt": "zh-Hant", "pb": "pt", "no": "nb", "sr": "sr-Cyrl", "tl": "fil"}


class ModelError(ValueError):
    """A mounted model that cannot be used; the message names the file and what is wrong."""


@dataclass
class MountedModel:
    name: str
    source: str
    target: str
    path: Path
    model_dir: str  # a folder, or the package's folder name when ``files`` holds the model in memory
    source_spm: bytes
    target_spm: bytes
    files: dict[str, bytes] | None = None


def _azure(code: str) -> str:
    code = code.strip()
    return _AZURE.get(code.lower(), code)


def discover(folder: Path, languages: Iterable[str] | None = None) -> list[MountedModel]:
    """Every model in ``folder``; with ``languages`` (``Languages=``) only those whose both sides it lists."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ModelError(f"Mounts:Models {folder} is not a folder")
    keep = {c.lower() for c in languages} if languages else None
    found: list[MountedModel] = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        try:
            model = _read(entry)
        except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise ModelError(f"Mounted model {entry}: {exc}") from exc
        if model is None:
            log.warning("Ignoring %s in Mounts:Models: not a CTranslate2 model folder or .argosmodel package", entry)
            continue
        if keep is not None and (model.source.lower() not in keep or model.target.lower() not in keep):
            continue
        found.append(model)
    return found


def _read(entry: Path) -> MountedModel | None:
    if entry.is_file() and entry.suffix == ".argosmodel":
        with zipfile.ZipFile(entry) as package:
            names = package.namelist()
            meta_name = next(n for n in names if n.count("/") == 1 and n.endswith("/metadata.json"))
            root = meta_name.split("/")[0]
            meta = json.loads(package.read(meta_name))
            files = {n[len(root) + 7:]: package.read(n) for n in names
                     if n.startswith(f"{root}/model/") and not n.endswith("/")}
            if "model.bin" not in files:
                raise ValueError("the package has no model/model.bin")
            spm = package.read(f"{root}/sentencepiece.model")
        return MountedModel(entry.stem, _azure(meta["from_code"]), _azure(meta["to_code"]), entry, root, spm, spm, files)
    if not entry.is_dir():
        return None
    meta = json.loads((entry / "metadata.json").read_text(encoding="utf-8")) if (entry / "metadata.json").is_file() else {}
    if (entry / "model" / "model.bin").is_file() and meta:  # an unpacked Argos package
        spm = (entry / "sentencepiece.model").read_bytes()
        return MountedModel(entry.name, _azure(meta["from_code"]), _azure(meta["to_code"]), entry,
                            str(entry / "model"), spm, spm)
    if not (entry / "model.bin").is_file():
        return None
    if meta:
        source, target = meta["from_code"], meta["to_code"]
    else:
        match = _PAIR_NAME.search(entry.name)
        if match is None:
            raise ValueError("name the folder ...-<source>-<target> (opus-mt-en-de) or add a metadata.json "
                             'with {"from_code": ..., "to_code": ...}')
        source, target = match.groups()
    if (entry / "source.spm").is_file():
        source_spm = (entry / "source.spm").read_bytes()
        target_spm = (entry / "target.spm").read_bytes()
    elif (entry / "sentencepiece.model").is_file():
        source_spm = target_spm = (entry / "sentencepiece.model").read_bytes()
    else:
        raise ValueError("no SentencePiece model (source.spm and target.spm, or sentencepiece.model)")
    return MountedModel(entry.name, _azure(source), _azure(target), entry, str(entry), source_spm, target_spm)


@dataclass
class _Job:
    sentences: list[list[str]]
    done: threading.Event = field(default_factory=threading.Event)
    result: list[list[str]] | None = None
    error: BaseException | None = None


class _Worker:
    """One model's translator and the thread that feeds it batches from a queue."""

    def __init__(self, model: MountedModel, threads: int) -> None:
        import ctranslate2
        import sentencepiece

        self.model = model
        kwargs = {"files": {k: io.BytesIO(v) for k, v in model.files.items()}} if model.files else {}
        self.translator = ctranslate2.Translator(model.model_dir, device="cpu", inter_threads=1,
                                                 intra_threads=threads, **kwargs)
        self.encoder = sentencepiece.SentencePieceProcessor(model_proto=model.source_spm)
        self.decoder = sentencepiece.SentencePieceProcessor(model_proto=model.target_spm)
        self.queue: queue.Queue[_Job | None] = queue.Queue()
        self.gate = threading.Lock()  # held while a batch runs (tests hold it to line requests up)
        self.batches = 0
        self.largest_batch = 0  # in jobs (requests) sharing one batch
        self.thread = threading.Thread(target=self._loop, name=f"ct2-{model.name}", daemon=True)
        self.thread.start()

    def translate(self, sentences: list[str]) -> list[str]:
        tokens = self.encoder.encode(sentences, out_type=str)
        job = _Job(tokens)
        self.queue.put(job)
        job.done.wait()
        if job.error is not None:
            raise job.error
        assert job.result is not None
        return [self.decoder.decode(t) for t in job.result]

    def _loop(self) -> None:
        while True:
            job = self.queue.get()
            if job is None:
                return
            jobs = [job]
            size = len(job.sentences)
            while size < MAX_BATCH_SENTENCES:  # everything already waiting joins this batch
                try:
                    more = self.queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self.queue.put(None)
                    break
                jobs.append(more)
                size += len(more.sentences)
            with self.gate:
                self._run(jobs)

    def _run(self, jobs: list[_Job]) -> None:
        flat = [s for job in jobs for s in job.sentences]
        try:
            longest = max((len(s) for s in flat), default=1)
            results = self.translator.translate_batch(flat, beam_size=2, max_batch_size=MAX_BATCH_SENTENCES,
                                                      max_decoding_length=min(512, 2 * longest + 16))
            outputs = [r.hypotheses[0] for r in results]
        except Exception as exc:  # noqa: BLE001 - handed to the waiting requests
            for job in jobs:
                job.error = exc
                job.done.set()
            return
        self.batches += 1
        self.largest_batch = max(self.largest_batch, len(jobs))
        start = 0
        for job in jobs:
            job.result = outputs[start:start + len(job.sentences)]
            start += len(job.sentences)
            job.done.set()

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join(10)


class NeuralEngine:
    """The mounted models as a ``TranslationEngine``; listed before Apertium, so it wins its pairs."""

    name = "ctranslate2"
    model_version = "mounted"
    handles_html = False

    def __init__(self, folder: Path, languages: Iterable[str] | None = None, threads: int = 2) -> None:
        self.folder = Path(folder)
        self.languages = tuple(languages or ())
        self.threads = threads
        self.workers: dict[Pair, _Worker] = {}
        self._loaded = False

    def load(self) -> None:
        workers = {}
        for model in discover(self.folder, self.languages or None):
            pair = (model.source, model.target)
            if pair in workers:
                log.warning("Two mounted models translate %s to %s; using %s", *pair, workers[pair].model.name)
                continue
            workers[pair] = _Worker(model, self.threads)
            log.info("Loaded mounted model %s (%s to %s)", model.name, *pair)
        self.workers = workers
        self._loaded = True

    @property
    def ready(self) -> bool:
        return self._loaded

    def directions(self) -> dict[Pair, str]:
        return {pair: f"ctranslate2:{w.model.name}" for pair, w in self.workers.items()}

    def translate(self, pair: Pair, texts: Sequence[str], html: bool = False) -> list[str]:
        from airgap.services.translator.engines.sentences import split_sentences

        worker = self.workers[pair]
        pieces = [split_sentences(pair[0], text) for text in texts]
        sentences = [s.strip() for parts in pieces for s in parts if s.strip()]
        translated = iter(worker.translate(sentences) if sentences else [])
        out = []
        for parts in pieces:
            rebuilt = []
            for part in parts:
                if part.strip():
                    lead = part[:len(part) - len(part.lstrip())]
                    trail = part[len(part.rstrip()):]
                    rebuilt.append(lead + next(translated) + trail)
                else:
                    rebuilt.append(part)
            out.append("".join(rebuilt))
        return out

    def close(self) -> None:
        for worker in self.workers.values():
            worker.close()
