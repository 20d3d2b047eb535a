"""Apertium, the bundled rule-based engine: installed pairs, and the client of its engine process.

Apertium runs in its own process (``apertium_server.py``, supervised by the platform; GPL code
stays out of airgap's process). This module knows which pairs are installed (the ``*.mode``
files Debian's ``apertium-*`` packages put in ``/usr/share/apertium/modes``), names them with
the language codes Azure uses (``eng-spa`` is ``en`` to ``es``, ``es-pt_BR`` is ``es`` to
``pt``), and sends texts and dictionary lookups to the process over loopback HTTP.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from airgap.platform.engine_client import EngineProcessClient, EngineProcessUnreachable
from airgap.services.translator.engines import apertium_server
from airgap.services.translator.engines.base import EngineUnavailable, Pair

MODES_DIR = apertium_server.MODES_DIR
SERVER_SCRIPT = Path(apertium_server.__file__).resolve()

# Apertium's language codes (ISO 639-3 or 639-1, ``_VARIANT`` for a variety) as Azure's.
# A target variety maps to one Azure code; a source without variety may stand for several
# (Portuguese input is Portuguese, whichever variety the user names).
TARGETS: dict[str, str] = {
    "eng": "en", "en": "en", "spa": "es", "es": "es", "cat": "ca", "ca": "ca", "fra": "fr", "fr": "fr",
    "por": "pt-pt", "pt": "pt-pt", "por_BR": "pt", "pt_BR": "pt", "ita": "it", "it": "it",
    "glg": "gl", "gl": "gl", "eus": "eu", "eu": "eu", "ron": "ro", "ro": "ro", "oci": "oc", "oc": "oc",
    "epo": "eo", "eo": "eo", "dan": "da", "da": "da", "nob": "nb", "nb": "nb", "nno": "nn", "nn": "nn",
    "swe": "sv", "sv": "sv", "isl": "is", "is": "is", "hbs_HR": "hr", "hbs_BS": "bs", "hbs_SR": "sr-Latn",
    "mkd": "mk", "mk": "mk", "rus": "ru", "ru": "ru", "ukr": "uk", "uk": "uk", "bel": "be", "bul": "bg",
    "afr": "af", "af": "af", "nld": "nl", "nl": "nl", "ind": "id", "id": "id", "zlm": "ms", "slv": "sl",
    "pol": "pl", "urd": "ur", "hin": "hi", "ast": "ast", "arg": "an", "srd": "sc", "bre": "br", "br": "br",
}
SOURCES: dict[str, tuple[str, ...]] = {code: (azure,) for code, azure in TARGETS.items() if "_" not in code}
SOURCES.update({"por": ("pt", "pt-pt"), "pt": ("pt", "pt-pt"), "hbs": ("hr", "bs", "sr-Latn")})
# A target Azure names that a pair's generic variety serves when no pair has the exact one.
TARGET_FALLBACKS: dict[str, str] = {"pt-pt": "pt"}


@dataclass(frozen=True)
class Mode:
    """One installed translation direction."""

    name: str  # "eng-spa"
    source: str  # Azure code
    target: str
    exact: bool = True  # False: the generic variety standing in for the target (pt-pt for pt)


def discover(modes_dir: Path = MODES_DIR, allowed: Iterable[str] | None = None) -> dict[Pair, Mode]:
    """The directions the installed modes give, keyed by Azure (source, target).

    ``allowed`` (Azure codes, ``Languages=``) keeps only pairs whose both sides it lists.
    Where two modes give one direction, the exact variety wins over a generic stand-in.
    """
    keep = {code.lower() for code in allowed} if allowed else None
    found: dict[Pair, Mode] = {}
    for name in apertium_server.pair_modes(modes_dir):
        left, right = name.split("-")
        target = TARGETS.get(right)
        fallback = TARGET_FALLBACKS.get(target or "")
        candidates = [(target, True)] + ([(fallback, False)] if fallback else [])
        for source in SOURCES.get(left, ()):
            for azure_target, exact in candidates:
                if azure_target is None or azure_target == source:
                    continue
                if keep is not None and (source.lower() not in keep or azure_target.lower() not in keep):
                    continue
                pair = (source, azure_target)
                known = found.get(pair)
                if known is None or (exact and not known.exact):
                    found[pair] = Mode(name, source, azure_target, exact)
    return found


def server_argv(port: str, modes_dir: Path, modes: Sequence[str], preload: Sequence[str], pipes: int) -> list[str]:
    """The command line of the engine process (``{port}`` filled in by the supervisor)."""
    argv = [sys.executable, "-I", str(SERVER_SCRIPT), "--host", "127.0.0.1", "--port", port,
            "--modes", str(modes_dir), "--pipes", str(pipes)]
    if modes:
        argv += ["--only", ",".join(sorted(set(modes)))]
    if preload:
        argv += ["--preload", ",".join(sorted(set(preload)))]
    return argv


class ApertiumClient:
    """Talks to the engine process; ``base_url`` gives its address at call time (it moves on restart)."""

    name = "apertium"

    def __init__(self, base_url: Callable[[], str], timeout: float = 60.0) -> None:
        self._client = EngineProcessClient(base_url, timeout)

    def _call(self, method: str, path: str, body: dict | None = None) -> dict:
        try:
            status, _, payload = self._client.call(method, path, body)
        except EngineProcessUnreachable as exc:
            raise EngineUnavailable(f"the Apertium engine process did not answer: {exc}") from exc
        if status >= 500:
            raise EngineUnavailable(f"the Apertium engine process failed: {payload[:300]!r}")
        if status != 200:
            raise RuntimeError(f"Apertium engine process answered {status}: {payload[:300]!r}")
        return json.loads(payload)

    def health(self) -> bool:
        try:
            return bool(self._call("GET", "/health").get("ok"))
        except (EngineUnavailable, RuntimeError, ValueError):
            return False

    def translate(self, mode: str, texts: Sequence[str], html: bool = False) -> list[str]:
        body = {"mode": mode, "texts": list(texts), "format": "html" if html else "txt"}
        return self._call("POST", "/translate", body)["texts"]

    def lookup(self, mode: str, words: Sequence[str]) -> list[list[dict]]:
        return self._call("POST", "/lookup", {"mode": mode, "words": list(words)})["entries"]

    def close(self) -> None:
        self._client.close()


class ApertiumEngine:
    """The installed Apertium pairs as a ``TranslationEngine``, served by the engine process."""

    name = "apertium"
    model_version = "apertium-3"
    handles_html = True  # the engine process keeps markup in place (apertium_server.deformat_html)

    def __init__(self, client: ApertiumClient, modes_dir: Path = MODES_DIR,
                 languages: Iterable[str] | None = None) -> None:
        self.client = client
        self.modes_dir = Path(modes_dir)
        self.languages = tuple(languages or ())
        self.modes: dict[Pair, Mode] = {}
        self._dictionaries: dict[str, bool] = {}
        self._loaded = False

    def load(self) -> None:
        self.modes = discover(self.modes_dir, self.languages or None)
        paths = apertium_server.pair_modes(self.modes_dir)
        self._dictionaries = {mode.name: apertium_server.dictionary_commands(paths[mode.name]) is not None
                              for mode in self.modes.values()}
        self._loaded = True

    @property
    def ready(self) -> bool:
        return self._loaded

    def directions(self) -> dict[Pair, str]:
        return {pair: f"apertium:{mode.name}" for pair, mode in self.modes.items()}

    def translate(self, pair: Pair, texts: Sequence[str], html: bool = False) -> list[str]:
        return self.client.translate(self.modes[pair].name, texts, html)

    def has_dictionary(self, pair: Pair) -> bool:
        mode = self.modes.get(pair)
        return mode is not None and self._dictionaries.get(mode.name, False)

    def lookup(self, pair: Pair, words: Sequence[str]) -> list[list[dict]]:
        """Per word: its analyses (lemma, tags), each with the bilingual dictionary's targets."""
        return self.client.lookup(self.modes[pair].name, words)

    def close(self) -> None:
        self.client.close()
