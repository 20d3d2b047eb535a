"""The Apertium engine process: warm Apertium pipelines behind a small loopback HTTP server.

Apertium (GPL) runs as programs, never inside airgap: this file is a standalone program (the
standard library only, started as ``python apertium_server.py ...`` by the platform's process
supervisor) that keeps each language pair's pipeline (``lt-proc | apertium-tagger | ... |
lt-proc``, read from the installed ``*.mode`` files) running in null-flush mode: a text goes in
followed by a NUL byte, its translation comes out followed by a NUL, and the ten programs stay
loaded between requests. Debian's ``apertium-apy`` does the same but listens on every interface
and starts a deformatter process per request; this one listens on loopback only and does the
text/HTML formatting itself.

Routes (JSON bodies)::

    GET  /health                      200 {"ok": true, "modes": N, "running": M}
    GET  /modes                       {"modes": {"eng-spa": {"dictionary": true}, ...}}
    POST /translate  {"mode", "texts": [...], "format": "txt"|"html"}   {"texts": [...]}
    POST /lookup     {"mode", "words": [...]}   {"entries": [[{"lemma", "tags", "targets": [...]}]]}

A pipeline that dies or stops answering is killed and started again, and the request is tried
once more on the fresh one; a request that still fails gets a 503.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import select
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

MODES_DIR = Path("/usr/share/apertium/modes")
PIPELINE_TIMEOUT = 30.0  # seconds one batch may take before its pipeline counts as stuck
MAX_BODY = 8 * 1024 * 1024


# --- the installed modes -----------------------------------------------------------------------

_PAIR_MODE = re.compile(r"^([a-z]{2,3}(?:_[A-Za-z0-9]+)?)-([a-z]{2,3}(?:_[A-Za-z0-9]+)?)$")


def pair_modes(modes_dir: Path = MODES_DIR) -> dict[str, Path]:
    """``{"eng-spa": path}`` for every translation mode (``<source>-<target>.mode``) installed.

    Debug and alternative modes (``en-eo-bytecode``, ``gl-pt-latin1``, ``eco-es-fr``) are left out.
    """
    found = {}
    try:
        entries = sorted(Path(modes_dir).glob("*.mode"))
    except OSError:
        return {}
    for path in entries:
        if _PAIR_MODE.match(path.stem):
            found[path.stem] = path
    return found


def _mode_text(path: Path) -> str:
    """The mode's pipeline in null-flush form with word-bound blanks, as ``apertium -z`` runs it."""
    tool = shutil.which("apertium-wblank-mode")
    if tool:
        try:
            out = subprocess.run([tool, "-z", str(path)], capture_output=True, text=True, timeout=30, check=True)
            if out.stdout.strip():
                return out.stdout.strip()
        except (OSError, subprocess.SubprocessError):
            pass
    text = path.read_text(encoding="utf-8").strip()
    # apertium-apy's rule: every program takes -z except a few that flush on NUL by themselves.
    parts = []
    for command in text.split("|"):
        command = command.strip()
        if not re.match(r"^(vislcg3|cg-mwesplit|hfst-tokeni[sz]e|divvun-suggest)\b", command):
            command = re.sub(r"^(\S+)", r"\1 -z", command, count=1)
        parts.append(command)
    return " | ".join(parts)


def pipeline_commands(path: Path) -> list[list[str]]:
    """The argv of each program of the mode's pipeline, unknown words unmarked (``apertium -u``)."""
    text = _mode_text(path).replace("$1", "-n").replace("$2", "")
    return [shlex.split(command) for command in text.split("|") if command.strip()]


def dictionary_commands(path: Path) -> tuple[list[str], list[str]] | None:
    """(analyser, bilingual dictionary) argv of the mode, or None when it has no plain lt-proc ones."""
    analyser = bilingual = None
    for argv in pipeline_commands(path):
        if argv[0] != "lt-proc":
            continue
        files = [a for a in argv[1:] if not a.startswith("-")]
        if not files:
            continue
        flags = [a for a in argv[1:] if a.startswith("-")]
        if analyser is None and files[-1].endswith("automorf.bin") and flags in ([], ["-z"], ["-z", "-w"], ["-w", "-z"]):
            analyser = ["lt-proc", "-z", files[-1]]
        if bilingual is None and "-b" in flags and files[-1].endswith(".bin"):
            bilingual = ["lt-proc", "-z", "-b", files[-1]]
    if analyser is None or bilingual is None:
        return None
    return analyser, bilingual


# --- the stream format -------------------------------------------------------------------------

_SPECIAL = re.compile(r"([\\\[\]^$/@<>{}])")
# Block-level elements end a sentence: the deformatter closes the text before them, as deshtml does.
_BLOCK = {"address", "article", "aside", "blockquote", "body", "br", "dd", "div", "dl", "dt", "fieldset",
          "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header",
          "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot",
          "th", "thead", "title", "tr", "ul"}
_RAW_TEXT = {"script", "style", "code", "pre", "textarea"}
_TAG = re.compile(r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<![^>]*>|<\?.*?\?>|</?[A-Za-z][^<>]*>", re.S)
_TAG_NAME = re.compile(r"</?\s*([A-Za-z][A-Za-z0-9:-]*)")
_NOTRANSLATE = re.compile(r"""\bclass\s*=\s*(["'])[^"']*\bnotranslate\b[^"']*\1|\btranslate\s*=\s*(["'])no\2""", re.I)
# The sentence closer the deformatter adds and the reformatter removes (apertium-destxt's ".[]").
_CLOSE = ".[]"


def _escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def _blank(raw: str) -> str:
    return "[" + _escape(raw) + "]" if raw else ""


def _text_run(text: str) -> str:
    """Plain text into the stream: special characters escaped, line breaks and '~' as blanks."""
    out = []
    for piece in re.split(r"(\s*\n\s*|~)", text):
        if not piece:
            continue
        if piece == "~" or "\n" in piece:
            if piece.count("\n") >= 2 and out and not out[-1].endswith("]"):
                out.append(_CLOSE)  # a paragraph break closes the sentence
            out.append(_blank(piece))
        else:
            out.append(_escape(piece))
    return "".join(out)


def deformat_text(text: str) -> str:
    return _text_run(text) + _CLOSE


def deformat_html(markup: str) -> str:
    """HTML into the stream: markup (tags, comments, script/style, ``notranslate`` elements) becomes
    blanks the pipeline carries through untouched; text is unescaped (``&amp;`` is ``&``)."""
    out: list[str] = []
    pos = 0
    skip_until: tuple[str, int] | None = None  # (tag name, depth) of a raw or notranslate element
    raw_start = 0
    pending_text = False
    for match in _TAG.finditer(markup):
        tag = match.group(0)
        name_match = _TAG_NAME.match(tag)
        name = name_match.group(1).lower() if name_match else ""
        closing = tag.startswith("</")
        if skip_until is not None:
            skip_name, depth = skip_until
            if name == skip_name and not tag.endswith("/>"):
                depth += -1 if closing else 1
            if depth == 0:
                out.append(_blank(markup[raw_start:match.end()]))
                skip_until = None
                pos = match.end()
            else:
                skip_until = (skip_name, depth)
            continue
        text = markup[pos:match.start()]
        if text:
            out.append(_text_run(html.unescape(text)))
            pending_text = pending_text or bool(text.strip())
        if name in _BLOCK and pending_text:
            out.append(_CLOSE)
            pending_text = False
        pos = match.end()
        if not closing and name and not tag.endswith("/>") and (name in _RAW_TEXT or _NOTRANSLATE.search(tag)):
            skip_until, raw_start = (name, 1), match.start()
            continue
        out.append(_blank(tag))
    if skip_until is not None:  # unclosed raw element: the rest is markup
        out.append(_blank(markup[raw_start:]))
    else:
        rest = markup[pos:]
        if rest:
            out.append(_text_run(html.unescape(rest)))
    out.append(_CLOSE)
    return "".join(out)


def _unescape(stream: str) -> str:
    return re.sub(r"\\(.)", r"\1", stream, flags=re.S)


def reformat(stream: str, markup: bool) -> str:
    """Pipeline output back to text: sentence closers removed, blanks unwrapped, escapes undone;
    for HTML, translated text is escaped again while blanks (the original markup) stay as they were."""
    out = []
    i, n = 0, len(stream)
    text: list[str] = []

    def flush_text() -> None:
        if text:
            piece = _unescape("".join(text))
            out.append(html.escape(piece, quote=False) if markup else piece)
            text.clear()

    while i < n:
        ch = stream[i]
        if ch == "\\" and i + 1 < n:
            text.append(stream[i:i + 2])
            i += 2
        elif stream.startswith(_CLOSE, i):
            i += len(_CLOSE)
        elif ch == "[":
            flush_text()
            j = i + 1
            if stream.startswith("[", j):  # word-bound blank [[...]]: keep its content, drop the brackets
                end = stream.find("]]", j)
                j, close = (j + 1, end) if end != -1 else (j, n)
                i = close + 2 if end != -1 else n
                out.append(_unescape(stream[j:close]))
                continue
            depth_end = j
            while depth_end < n and stream[depth_end] != "]":
                depth_end += 2 if stream[depth_end] == "\\" else 1
            out.append(_unescape(stream[j:depth_end]))
            i = depth_end + 1
        else:
            text.append(ch)
            i += 1
    flush_text()
    return "".join(out)


# --- pipelines ---------------------------------------------------------------------------------

class PipelineError(RuntimeError):
    """The pipeline died or stopped answering; it has been stopped."""


class Pipeline:
    """One running chain of Apertium programs in null-flush mode, used by one request at a time."""

    def __init__(self, commands: Sequence[Sequence[str]], timeout: float = PIPELINE_TIMEOUT) -> None:
        self.commands = [list(c) for c in commands]
        self.timeout = timeout
        self.lock = threading.Lock()
        self.procs: list[subprocess.Popen] = []
        self.uses = 0
        self._start()

    def _start(self) -> None:
        procs: list[subprocess.Popen] = []
        previous = None
        try:
            for argv in self.commands:
                proc = subprocess.Popen(argv, stdin=previous.stdout if previous else subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0,
                                        close_fds=True)
                if previous is not None:
                    previous.stdout.close()  # the child holds it now
                procs.append(proc)
                previous = proc
        except OSError:
            for proc in procs:
                _kill(proc)
            raise
        self.procs = procs

    @property
    def alive(self) -> bool:
        return bool(self.procs) and all(p.poll() is None for p in self.procs)

    def stop(self) -> None:
        for proc in self.procs:
            _kill(proc)
        self.procs = []

    def run(self, segments: Sequence[str]) -> list[str]:
        """Each segment (already in stream format) through the pipeline; one output per segment."""
        if not self.alive:
            raise PipelineError("the pipeline is not running")
        nonce = "[/AIRGAP:" + uuid.uuid4().hex + "]"
        payload = "".join(s + "\0" for s in segments) + nonce + "\0"
        data = payload.encode("utf-8")
        stdin, stdout = self.procs[0].stdin, self.procs[-1].stdout
        failure: list[BaseException] = []

        def write() -> None:
            try:
                stdin.write(data)
                stdin.flush()
            except (OSError, ValueError) as exc:
                failure.append(exc)

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        end = nonce.encode("utf-8")
        buffer = bytearray()
        deadline = time.monotonic() + self.timeout
        fd = stdout.fileno()
        while end not in buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                self.stop()
                raise PipelineError(f"no answer within {self.timeout:.0f} s")
            ready, _, _ = select.select([fd], [], [], min(left, 1.0))
            if not ready:
                if not self.alive:
                    self.stop()
                    raise PipelineError("a program of the pipeline exited")
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                self.stop()
                raise PipelineError("the pipeline closed its output")
            buffer += chunk
        writer.join(self.timeout)
        # Everything after the nonce (its NUL, stray NULs) belongs to this batch too; a pipeline
        # never has more than one batch in flight, so the next one starts clean.
        body = bytes(buffer[:buffer.index(end)])
        self.uses += 1
        parts = [p for p in body.decode("utf-8", errors="replace").split("\0") if p.strip()]
        if len(parts) != len(segments):
            self.stop()
            raise PipelineError(f"{len(segments)} segments in, {len(parts)} out")
        return parts


def _kill(proc: subprocess.Popen) -> None:
    for stream in (proc.stdin, proc.stdout):
        try:
            if stream is not None:
                stream.close()
        except OSError:
            pass
    if proc.poll() is None:
        proc.kill()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        pass


@dataclass
class Pool:
    """Up to ``size`` pipelines of one mode, started on first use; a dead one is replaced."""

    commands: list[list[str]]
    size: int = 1
    pipelines: list[Pipeline] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    restarts: int = 0

    def _acquire(self) -> Pipeline:
        while True:
            with self.lock:
                for pipe in self.pipelines:
                    if pipe.lock.acquire(blocking=False):
                        return pipe
                if len(self.pipelines) < self.size:
                    pipe = Pipeline(self.commands)
                    pipe.lock.acquire()
                    self.pipelines.append(pipe)
                    return pipe
                waiting = self.pipelines[0]
            with waiting.lock:  # wait for one to be free, then look again
                pass

    def run(self, segments: Sequence[str]) -> list[str]:
        for attempt in (1, 2):
            pipe = self._acquire()
            try:
                if not pipe.alive:
                    pipe.stop()
                    pipe._start()
                    self.restarts += 1
                return pipe.run(segments)
            except PipelineError:
                if attempt == 2:
                    raise
                pipe.stop()
                self.restarts += 1
            finally:
                pipe.lock.release()
        raise AssertionError("unreachable")

    def warm(self) -> None:
        self.run([deformat_text("warm up")])

    def stop(self) -> None:
        with self.lock:
            for pipe in self.pipelines:
                pipe.stop()
            self.pipelines = []

    @property
    def running(self) -> int:
        return sum(1 for p in self.pipelines if p.alive)


# --- dictionary lookups ------------------------------------------------------------------------

_LU = re.compile(r"\^((?:\\.|[^$\\])*)\$")


def _split_unit(unit: str) -> list[str]:
    parts, current, i = [], [], 0
    while i < len(unit):
        ch = unit[i]
        if ch == "\\" and i + 1 < len(unit):
            current.append(unit[i:i + 2])
            i += 2
            continue
        if ch == "/":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts


def _lemma_tags(analysis: str) -> tuple[str, list[str]]:
    lemma, _, rest = analysis.partition("<")
    tags = re.findall(r"<([^>]+)>", "<" + rest) if rest else []
    # '#' joins the invariable part of a multiword ("get# married"): the lemma is the words.
    return _unescape(lemma.lstrip("*@#")).replace("# ", " ").replace("#", ""), tags


class Dictionary:
    """Word lookups through a pair's analyser and bilingual dictionary (``lt-proc -b``)."""

    def __init__(self, analyser: list[str], bilingual: list[str]) -> None:
        self.analyser = Pool([analyser])
        self.bilingual = Pool([bilingual])

    def lookup(self, words: Sequence[str]) -> list[list[dict]]:
        analysed = self.analyser.run([_escape(w.replace("\0", "")) or "-" for w in words])
        per_word: list[list[tuple[str, list[str]]]] = []
        queries: list[str] = []
        for output in analysed:
            analyses = []
            for unit in _LU.findall(output):
                parts = _split_unit(unit)
                for analysis in parts[1:]:
                    if analysis.startswith("*") or "<" not in analysis:
                        continue
                    # Multiword analyses (+) and compounds keep only their first part's tags.
                    lemma, tags = _lemma_tags(analysis.split("+")[0])
                    if (lemma, tags) not in analyses:
                        analyses.append((lemma, tags))
                break  # the first lexical unit is the word looked up
            per_word.append(analyses)
            queries.extend("^" + _escape(lemma) + "".join(f"<{t}>" for t in tags) + "$" for lemma, tags in analyses)
        translated = self.bilingual.run(queries) if queries else []
        results, k = [], 0
        for analyses in per_word:
            entries = []
            for lemma, tags in analyses:
                targets = []
                for unit in _LU.findall(translated[k]):
                    for target in _split_unit(unit)[1:]:
                        if not target or target.startswith("@"):
                            continue
                        t_lemma, t_tags = _lemma_tags(target)
                        if t_lemma and {"lemma": t_lemma, "tags": t_tags} not in targets:
                            targets.append({"lemma": t_lemma, "tags": t_tags})
                k += 1
                entries.append({"lemma": lemma, "tags": tags, "targets": targets})
            results.append(entries)
        return results

    def stop(self) -> None:
        self.analyser.stop()
        self.bilingual.stop()


# --- the server --------------------------------------------------------------------------------

class Engine:
    def __init__(self, modes: dict[str, Path], pipes: int) -> None:
        self.modes = modes
        self.pipes = pipes
        self.pools: dict[str, Pool] = {}
        self.dictionaries: dict[str, Dictionary | None] = {}
        self.lock = threading.Lock()

    def preload(self, modes: Sequence[str]) -> None:
        for mode in modes:
            if mode in self.modes:
                try:
                    self.pool(mode).warm()
                except (PipelineError, OSError) as exc:
                    print(f"apertium engine: {mode} did not start: {exc}", file=sys.stderr, flush=True)

    def pool(self, mode: str) -> Pool:
        with self.lock:
            pool = self.pools.get(mode)
            if pool is None:
                pool = self.pools[mode] = Pool(pipeline_commands(self.modes[mode]), self.pipes)
            return pool

    def dictionary(self, mode: str) -> Dictionary | None:
        with self.lock:
            if mode not in self.dictionaries:
                commands = dictionary_commands(self.modes[mode])
                self.dictionaries[mode] = Dictionary(*commands) if commands else None
            return self.dictionaries[mode]

    def translate(self, mode: str, texts: Sequence[str], markup: bool) -> list[str]:
        deformat = deformat_html if markup else deformat_text
        # NUL ends a segment in null-flush mode: one inside a text would split it in two.
        texts = [t.replace("\0", "") for t in texts]
        results = list(texts)
        todo = [i for i, t in enumerate(texts) if t.strip()]
        if todo:
            outputs = self.pool(mode).run([deformat(texts[i]) for i in todo])
            for i, output in zip(todo, outputs):
                results[i] = _keep_edges(texts[i], reformat(output, markup))
        return results

    def stop(self) -> None:
        for pool in self.pools.values():
            pool.stop()
        for dictionary in self.dictionaries.values():
            if dictionary is not None:
                dictionary.stop()


def _keep_edges(source: str, translated: str) -> str:
    """The source's leading and trailing white space around the translation (the pipeline trims it)."""
    lead = source[:len(source) - len(source.lstrip())]
    trail = source[len(source.rstrip()):]
    return lead + translated.strip() + trail


class Handler(BaseHTTPRequestHandler):
    server_version = "airgap-apertium/1"
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; without TCP_NODELAY a kept-alive client waits for the
    # delayed ACK (40 ms) before the body arrives.
    disable_nagle_algorithm = True
    engine: Engine

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet access log
        pass

    def _reply(self, status: int, body: dict) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802
        engine = self.server.engine  # type: ignore[attr-defined]
        if self.path == "/health":
            running = sum(p.running for p in engine.pools.values())
            self._reply(200, {"ok": True, "modes": len(engine.modes), "running": running})
        elif self.path == "/modes":
            self._reply(200, {"modes": {m: {} for m in engine.modes}})
        else:
            self._reply(404, {"error": f"no route {self.path}"})

    def do_POST(self) -> None:  # noqa: N802
        engine = self.server.engine  # type: ignore[attr-defined]
        try:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._reply(413, {"error": "body too large"})
                return
            body = json.loads(self.rfile.read(length) or b"{}")
            mode = body.get("mode")
            if mode not in engine.modes:
                self._reply(404, {"error": f"mode {mode!r} is not installed"})
                return
            if self.path == "/translate":
                texts = [str(t) for t in body.get("texts", [])]
                markup = body.get("format") == "html"
                self._reply(200, {"texts": engine.translate(mode, texts, markup)})
            elif self.path == "/lookup":
                dictionary = engine.dictionary(mode)
                if dictionary is None:
                    self._reply(404, {"error": f"mode {mode} has no bilingual dictionary"})
                    return
                self._reply(200, {"entries": dictionary.lookup([str(w) for w in body.get("words", [])])})
            else:
                self._reply(404, {"error": f"no route {self.path}"})
        except PipelineError as exc:
            self._reply(503, {"error": f"apertium pipeline failed: {exc}"})
        except (ValueError, TypeError, KeyError) as exc:
            self._reply(400, {"error": f"bad request: {exc}"})
        except OSError as exc:
            self._reply(503, {"error": f"apertium could not run: {exc}"})


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that went away (airgap closed a kept-alive connection) is not an error; anything
        else is one line on stderr, not a traceback in the server's log."""
        kind, value = sys.exc_info()[:2]
        if kind is not None and issubclass(kind, (ConnectionError, TimeoutError)):
            return
        print(f"apertium engine: request from {client_address} failed: {kind.__name__ if kind else '?'}: {value}",
              file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--modes", default=str(MODES_DIR), help="folder of installed *.mode files")
    parser.add_argument("--pipes", type=int, default=1, help="pipelines per pair at most")
    parser.add_argument("--only", default="", help="comma-separated modes to serve (default: all)")
    parser.add_argument("--preload", default="", help="comma-separated modes to start at once")
    args = parser.parse_args(argv)
    modes = pair_modes(Path(args.modes))
    if args.only:
        wanted = set(args.only.split(","))
        modes = {m: p for m, p in modes.items() if m in wanted}
    engine = Engine(modes, max(1, args.pipes))
    server = Server((args.host, args.port), Handler)
    server.engine = engine  # type: ignore[attr-defined]
    # Listening first, so the supervisor sees the process up while the chosen pairs warm up.
    threading.Thread(target=engine.preload, args=([m for m in args.preload.split(",") if m],), daemon=True).start()

    def stop(*_: object) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"apertium engine: {len(modes)} modes on http://{args.host}:{args.port}", file=sys.stderr, flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        engine.stop()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
