"""The espeak-ng engine process: phonemes for Piper voices and speech for the espeak-ng voices.

A small standalone program (standard library only) that the platform's supervisor
(``platform/processes.py``) starts once per server. It loads Debian's ``libespeak-ng.so.1``
(GPL-3.0-or-later) with ctypes, so GPL code never runs inside airgap's process, and answers on a
loopback port:

- ``GET /health`` -> ``{"ok": true, "sample_rate": 22050}``
- ``GET /voices`` -> ``{"voices": [{"name", "identifier", "languages": [..], "gender"}]}``
- ``POST /phonemes`` ``{"voice": "en-us", "clauses": ["Hello world,", ...]}`` ->
  ``{"phonemes": ["həlˈoʊ wˈɜːld", ...]}`` (IPA, one string per clause, as Piper voices were
  trained on)
- ``POST /speak`` ``{"voice": "de+f3", "text": "...", "rate": 175, "pitch": 50, "range": 50,
  "volume": 100}`` -> ``application/octet-stream``: a 4-byte big-endian length, that many bytes
  of JSON ``{"sample_rate": 22050, "words": [[start, length, sample], ...], "phonemes": [[ipa,
  sample], ...]}`` (code-point start and length of each word in ``text``, the sample where it
  starts; each phoneme spoken in IPA, ``""`` for a pause, and the sample where it starts), then
  16-bit little-endian mono PCM.

espeak-ng keeps one global state, so requests take turns (it synthesises ~250x real time).
"""

from __future__ import annotations

import argparse
import ctypes
import json
import signal
import struct
import sys
import threading
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LIBRARY = "libespeak-ng.so.1"
MAX_BODY = 1 << 20

AUDIO_OUTPUT_SYNCHRONOUS = 2
ESPEAK_CHARS_UTF8 = 1
ESPEAK_PHONEMES_IPA = 0x02
EVENT_LIST_TERMINATED, EVENT_WORD, EVENT_PHONEME = 0, 1, 7
# Phoneme events, their names in IPA (espeak_Initialize options).
INITIALIZE_PHONEME_EVENTS, INITIALIZE_PHONEME_IPA = 0x0001, 0x0002
PARAM_RATE, PARAM_VOLUME, PARAM_PITCH, PARAM_RANGE = 1, 2, 3, 4


class Event(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint), ("text_position", ctypes.c_int),
                ("length", ctypes.c_int), ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
                ("user_data", ctypes.c_void_p), ("id", ctypes.c_char * 8)]


class Voice(ctypes.Structure):
    _fields_ = [("name", ctypes.c_char_p), ("languages", ctypes.c_void_p), ("identifier", ctypes.c_char_p),
                ("gender", ctypes.c_ubyte), ("age", ctypes.c_ubyte), ("variant", ctypes.c_ubyte),
                ("xx1", ctypes.c_ubyte), ("score", ctypes.c_int), ("spare", ctypes.c_void_p)]


Callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(Event))


class EspeakError(Exception):
    pass


class Espeak:
    """libespeak-ng behind one lock."""

    def __init__(self, library: str = LIBRARY) -> None:
        self.lib = ctypes.CDLL(library)
        self.lib.espeak_Initialize.restype = ctypes.c_int
        self.lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
        self.lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(Voice))
        self.sample_rate = self.lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, None,
                                                      INITIALIZE_PHONEME_EVENTS | INITIALIZE_PHONEME_IPA)
        if self.sample_rate <= 0:
            raise EspeakError("espeak-ng could not start (no espeak-ng-data?)")
        self.lock = threading.Lock()
        self._chunks: list[bytes] = []
        self._events: list[tuple[int, int, int]] = []
        self._phonemes: list[tuple[str, int]] = []
        self._callback = Callback(self._collect)  # kept alive as long as the library may call it
        self.lib.espeak_SetSynthCallback(self._callback)
        self._voice: str | None = None

    def _collect(self, wav: ctypes.POINTER(ctypes.c_short), count: int, events: ctypes.POINTER(Event)) -> int:
        if count > 0:
            self._chunks.append(ctypes.string_at(wav, count * 2))
        i = 0
        while events[i].type != EVENT_LIST_TERMINATED:
            event = events[i]
            if event.type == EVENT_WORD:
                self._events.append((event.text_position, event.length, event.sample))
            elif event.type == EVENT_PHONEME:
                # Up to 8 bytes, not always NUL-terminated: a cut multi-byte character is dropped.
                self._phonemes.append((event.id.decode("utf-8", "ignore"), event.sample))
            i += 1
        return 0

    def _select(self, voice: str) -> None:
        """A voice by name or file (``roa/fr+f3``), else by language (``fr-fr``: Piper configs name them so)."""
        if voice == self._voice:
            return
        if self.lib.espeak_SetVoiceByName(voice.encode("utf-8")) != 0:
            language, _, variant = voice.partition("+")
            spec = Voice(name=None, languages=ctypes.cast(ctypes.c_char_p(language.encode("utf-8")), ctypes.c_void_p),
                         identifier=None, gender=2 if variant.startswith("f") else 0)
            if self.lib.espeak_SetVoiceByProperties(ctypes.byref(spec)) != 0:
                raise EspeakError(f"espeak-ng has no voice {voice!r}")
        self._voice = voice

    def voices(self) -> list[dict]:
        with self.lock:
            array = self.lib.espeak_ListVoices(None)
            found = []
            i = 0
            while array[i]:
                voice = array[i].contents
                found.append({"name": (voice.name or b"").decode("utf-8", "replace"),
                              "identifier": (voice.identifier or b"").decode("utf-8", "replace"),
                              "languages": _languages(voice.languages), "gender": int(voice.gender)})
                i += 1
            return found

    def phonemes(self, voice: str, clauses: Sequence[str]) -> list[str]:
        with self.lock:
            self._select(voice)
            out = []
            for clause in clauses:
                text = ctypes.c_char_p(clause.encode("utf-8"))
                pointer = ctypes.pointer(text)
                parts = []
                # espeak-ng returns one clause at a time and moves the pointer past it.
                while pointer.contents.value:
                    result = self.lib.espeak_TextToPhonemes(pointer, ESPEAK_CHARS_UTF8, ESPEAK_PHONEMES_IPA)
                    if result:
                        parts.append(result.decode("utf-8", "replace").strip())
                out.append(" ".join(p for p in parts if p))
            return out

    def speak(self, voice: str, text: str, rate: int, pitch: int, range_: int,
              volume: int) -> tuple[bytes, list, list]:
        data = text.encode("utf-8")
        with self.lock:
            self._select(voice)
            for param, value in ((PARAM_RATE, rate), (PARAM_PITCH, pitch), (PARAM_RANGE, range_),
                                 (PARAM_VOLUME, volume)):
                self.lib.espeak_SetParameter(param, int(value), 0)
            self._chunks, self._events, self._phonemes = [], [], []
            status = self.lib.espeak_Synth(data, len(data) + 1, 0, 0, 0, ESPEAK_CHARS_UTF8, None, None)
            if status != 0:
                raise EspeakError(f"espeak_Synth failed with status {status}")
            pcm, events, phonemes = b"".join(self._chunks), self._events, self._phonemes
            self._chunks, self._events, self._phonemes = [], [], []
        # espeak-ng counts text positions in characters from 1.
        words = [[max(0, position - 1), length, sample] for position, length, sample in events if length > 0]
        return pcm, words, [[name, sample] for name, sample in phonemes]


def _languages(pointer: int | None) -> list[str]:
    """espeak_VOICE.languages: (priority byte, name, NUL) repeated, ended by a 0 priority."""
    if not pointer:
        return []
    names, offset = [], 0
    while True:
        priority = ctypes.c_ubyte.from_address(pointer + offset).value
        if priority == 0:
            return names
        name = ctypes.string_at(pointer + offset + 1)
        names.append(name.decode("utf-8", "replace"))
        offset += 2 + len(name)


class Handler(BaseHTTPRequestHandler):
    server_version = "airgap-espeak/1"
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet access log
        pass

    def _reply(self, status: int, body: bytes, content_type: str = "application/json; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, body: dict) -> None:
        self._reply(status, json.dumps(body, ensure_ascii=False).encode("utf-8"))

    def do_GET(self) -> None:  # noqa: N802
        engine: Espeak = self.server.engine  # type: ignore[attr-defined]
        if self.path == "/health":
            self._json(200, {"ok": True, "sample_rate": engine.sample_rate})
        elif self.path == "/voices":
            self._json(200, {"voices": engine.voices()})
        else:
            self._json(404, {"error": f"no route {self.path}"})

    def do_POST(self) -> None:  # noqa: N802
        engine: Espeak = self.server.engine  # type: ignore[attr-defined]
        try:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._json(413, {"error": "body too large"})
                return
            body = json.loads(self.rfile.read(length) or b"{}")
            voice = str(body.get("voice") or "en")
            if self.path == "/phonemes":
                self._json(200, {"phonemes": engine.phonemes(voice, [str(c) for c in body.get("clauses", [])])})
            elif self.path == "/speak":
                pcm, words, phonemes = engine.speak(voice, str(body.get("text", "")), int(body.get("rate", 175)),
                                                    int(body.get("pitch", 50)), int(body.get("range", 50)),
                                                    int(body.get("volume", 100)))
                head = json.dumps({"sample_rate": engine.sample_rate, "words": words, "phonemes": phonemes},
                                  ensure_ascii=False).encode("utf-8")
                self._reply(200, struct.pack(">I", len(head)) + head + pcm, "application/octet-stream")
            else:
                self._json(404, {"error": f"no route {self.path}"})
        except EspeakError as exc:
            self._json(400, {"error": str(exc)})
        except (ValueError, TypeError, KeyError) as exc:
            self._json(400, {"error": f"bad request: {exc}"})


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: object, client_address: object) -> None:
        kind, value = sys.exc_info()[:2]
        if kind is not None and issubclass(kind, (ConnectionError, TimeoutError)):
            return
        print(f"espeak engine: request from {client_address} failed: {kind.__name__ if kind else '?'}: {value}",
              file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--library", default=LIBRARY)
    args = parser.parse_args(argv)
    server = Server((args.host, args.port), Handler)
    server.engine = Espeak(args.library)  # type: ignore[attr-defined]

    def stop(*_: object) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"espeak engine: http://{args.host}:{args.port}", file=sys.stderr, flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
