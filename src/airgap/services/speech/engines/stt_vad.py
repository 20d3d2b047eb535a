"""Utterances from a stream of audio: Silero VAD (the ONNX model inside faster-whisper), streaming.

Azure answers one phrase per utterance, an utterance ending at a pause (its segmentation
silence). ``Segmenter`` is fed 16 kHz samples as they arrive, scores each 32 ms window with
Silero VAD, and reports where speech was confirmed to start and which utterances have closed
(speech followed by ``silence_ms`` of silence, or cut at ``max_speech_s`` at the last short
pause). The same object cuts a whole file (REST) and a live stream (websocket), so both give
the same phrases. The state machine is Silero's own ``get_speech_timestamps``, made incremental.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

SAMPLE_RATE = 16_000
WINDOW = 512   # samples per VAD decision (32 ms)
CONTEXT = 64   # samples of the previous window the model sees with each window

_session_lock = threading.Lock()
_session = None


def _vad_session():
    """One ONNX Runtime session per process (its ``run`` is thread-safe)."""
    global _session
    with _session_lock:
        if _session is None:
            from faster_whisper.vad import get_vad_model

            _session = get_vad_model().session
        return _session


def load() -> None:
    _vad_session()


@dataclass(frozen=True)
class Span:
    """Speech from ``start`` to ``end``, in samples at 16 kHz from the start of the stream."""

    start: int
    end: int

    @property
    def samples(self) -> int:
        return self.end - self.start


@dataclass
class Events:
    started: list[int] = field(default_factory=list)   # samples where an utterance was confirmed
    closed: list[Span] = field(default_factory=list)   # utterances that have ended


class Segmenter:
    def __init__(self, silence_ms: int = 500, min_speech_ms: int = 200, max_speech_s: float = 20.0,
                 threshold: float = 0.5) -> None:
        self.threshold = threshold
        self.neg_threshold = max(threshold - 0.15, 0.01)
        self.min_silence = silence_ms * SAMPLE_RATE // 1000
        self.min_speech = min_speech_ms * SAMPLE_RATE // 1000
        self.max_speech = int(max_speech_s * SAMPLE_RATE) - WINDOW
        self.short_pause = 98 * SAMPLE_RATE // 1000  # a pause long enough to cut at when an utterance is too long
        self.total = 0          # samples fed so far
        self._tail = np.zeros(0, np.float32)
        self._context = np.zeros(CONTEXT, np.float32)
        self._windows = 0
        self._reset()

    def _reset(self) -> None:
        self.triggered = False
        self.confirmed = False
        self.start = 0
        self.temp_end = 0
        self.prev_end = 0
        self.next_start = 0

    @property
    def open_start(self) -> int | None:
        """Start of the utterance in progress, once confirmed as speech."""
        return self.start if self.triggered and self.confirmed else None

    def _probabilities(self, windows: np.ndarray) -> np.ndarray:
        contexts = np.concatenate([self._context[None, :], windows[:-1, -CONTEXT:]], axis=0)
        batch = np.concatenate([contexts, windows], axis=1)
        state = np.zeros((1, 1, 128), dtype=np.float32)
        out, _h, _c = _vad_session().run(None, {"input": batch, "h": state, "c": state})
        self._context = windows[-1, -CONTEXT:].copy()
        return np.asarray(out, dtype=np.float32).reshape(-1)

    def feed(self, samples: np.ndarray) -> Events:
        events = Events()
        self.total += len(samples)
        data = np.concatenate([self._tail, samples.astype(np.float32, copy=False)]) if len(self._tail) else samples
        count = len(data) // WINDOW
        self._tail = np.array(data[count * WINDOW:], dtype=np.float32)
        if not count:
            return events
        windows = np.ascontiguousarray(data[:count * WINDOW], dtype=np.float32).reshape(count, WINDOW)
        for p in self._probabilities(windows):
            self._step(float(p), self._windows * WINDOW, events)
            self._windows += 1
        return events

    def _close(self, end: int, events: Events) -> None:
        if end - self.start >= self.min_speech:
            if not self.confirmed:
                events.started.append(self.start)
            events.closed.append(Span(self.start, end))

    def _step(self, p: float, pos: int, events: Events) -> None:
        if p >= self.threshold and self.temp_end:
            self.temp_end = 0
            if self.next_start < self.prev_end:
                self.next_start = pos
        if p >= self.threshold and not self.triggered:
            self.triggered, self.confirmed, self.start = True, False, pos
            return
        if not self.triggered:
            return
        if not self.confirmed and not self.temp_end and pos - self.start >= self.min_speech:
            self.confirmed = True
            events.started.append(self.start)
        if pos - self.start > self.max_speech:  # too long for one phrase: cut at the last short pause
            if self.prev_end:
                self._close(self.prev_end, events)
                resume = self.next_start if self.next_start >= self.prev_end else None
                self._reset()
                if resume is not None:
                    self.triggered, self.confirmed, self.start = True, True, resume
                    events.started.append(resume)
            else:
                self._close(pos, events)
                self._reset()
            return
        if p < self.neg_threshold:
            if not self.temp_end:
                self.temp_end = pos
            if pos - self.temp_end > self.short_pause:
                self.prev_end = self.temp_end
            if pos - self.temp_end >= self.min_silence:
                self._close(self.temp_end, events)
                self._reset()

    def finish(self) -> Events:
        """The end of the stream: the utterance in progress closes where the audio ends."""
        events = Events()
        if self.triggered:
            end = self.temp_end or self.total
            self._close(end, events)
            self._reset()
        return events
