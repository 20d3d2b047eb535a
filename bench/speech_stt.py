"""Speech to text: accuracy, speed and memory, per model, server path against faster-whisper direct.

On the same generated clips (tests/speech/clips.py: espeak-ng and Flite voices, several speeds,
a quarter with white noise at 15 dB SNR):

1. reference: faster-whisper called directly (its own Silero VAD filter, same model, int8, beam);
2. pipeline: airgap's recognizer in this process (streaming VAD segmenter + Whisper per utterance);
3. server, REST: one ``POST /speech/recognition/conversation/...`` per clip, sequential;
4. server, websocket: the clips as one long stream over USP, sent as fast as possible (a file);
5. real time: N concurrent USP streams each sent at the speed of speech; the latency from the end
   of an utterance's speech to its phrase, and the lag after the end of audio (whether the server
   keeps up). This is "streams per core before RTF passes 1".

WER, real-time factor (seconds of compute per second of audio) and the server's RSS. RTF depends
on what else runs on the machine: the ratios against the reference are the result.

    .venv/bin/python bench/speech_stt.py [--clips 48] [--models tiny.en,base] [--beam 5] [--streams 1,2,4,6]
    .venv/bin/python bench/speech_stt.py --clips 200 --paths pipeline --streams ''   # the 10-minute WER set
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from airgap.services.speech.engines.stt_models import locate  # noqa: E402
from airgap.services.speech.recognition import Recognizers, recognize_clip  # noqa: E402
from airgap.services.speech.settings import SpeechSettings  # noqa: E402
from tests.speech.clips import Clip, quality_set, silence, wav, word_errors  # noqa: E402
from tests.speech.usp_client import UspClient  # noqa: E402
from tests.support.server import ServerProcess  # noqa: E402

RATE = 16_000


def _wer(pairs: list[tuple[Clip, str]]) -> tuple[float, float]:
    """(clean WER, noisy WER)."""
    totals = {False: [0, 0], True: [0, 0]}
    for clip, text in pairs:
        e, n = word_errors(clip.text, text)
        totals[clip.noisy][0] += e
        totals[clip.noisy][1] += n
    return tuple(t[0] / t[1] if t[1] else float("nan") for t in (totals[False], totals[True]))  # type: ignore[return-value]


def _audio_seconds(clips: list[Clip]) -> float:
    return sum(len(c.samples) for c in clips) / RATE


def reference(model: str, clips: list[Clip], beam: int, threads: int) -> tuple[list[tuple[Clip, str]], float]:
    from faster_whisper import WhisperModel

    files = locate(model)
    whisper = WhisperModel(str(files.path) if files.path else model, device="cpu", compute_type="int8",
                           cpu_threads=threads, files=dict(files.files) or None)
    whisper.transcribe(np.zeros(RATE, np.float32), language="en")  # warm up
    out, started = [], time.perf_counter()
    for clip in clips:
        segments, _ = whisper.transcribe(clip.samples.astype(np.float32) / 32768, language="en", beam_size=beam,
                                         vad_filter=True, condition_on_previous_text=False)
        out.append((clip, " ".join(s.text for s in segments)))
    return out, time.perf_counter() - started


def pipeline(model: str, clips: list[Clip], beam: int, threads: int) -> tuple[list[tuple[Clip, str]], float]:
    recognizers = Recognizers(SpeechSettings(model=model, beam_size=beam, threads_per_decode=threads), workers=1)
    recognizers.load()
    choice = recognizers.choose("en-US")

    async def direct(_engine, fn, *args):
        return fn(*args)

    out, started = [], time.perf_counter()
    for clip in clips:
        events, _ = asyncio.run(recognize_clip(clip.samples.astype(np.float32) / 32768, choice, direct, recognizers,
                                               single=False))
        out.append((clip, " ".join(e.utterance.display for e in events if e.kind == "phrase")))
    return out, time.perf_counter() - started


def rss_mb(pid: int) -> tuple[float, float]:
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def rest(server: ServerProcess, clips: list[Clip]) -> tuple[list[tuple[Clip, str]], float]:
    url = f"{server.url}/speech/recognition/conversation/cognitiveservices/v1?language=en-US"
    out, started = [], time.perf_counter()
    with httpx.Client(timeout=120) as client:
        for clip in clips:
            body = client.post(url, content=wav(clip.samples), headers={"Content-Type": "audio/wav"}).json()
            out.append((clip, body.get("DisplayText", "")))
    return out, time.perf_counter() - started


def _long_stream(clips: list[Clip]) -> tuple[np.ndarray, list[float]]:
    """The clips one after another with a second of silence between: the audio and each clip's end."""
    parts, ends, position = [], [], 0
    for clip in clips:
        parts += [clip.samples, silence(1.0)]
        position += len(clip.samples)
        ends.append(position / RATE - 0.3)  # each clip ends with 0.3 s of silence
        position += RATE
    return np.concatenate(parts), ends


def websocket_file(server: ServerProcess, clips: list[Clip]) -> tuple[str, float]:
    audio, _ends = _long_stream(clips)
    url = f"ws://127.0.0.1:{server.port}/speech/recognition/conversation/cognitiveservices/v1?language=en-US"

    async def go() -> str:
        async with UspClient(url) as client:
            await client.start()
            await client.send_wav(wav(audio))
            received = await client.read(timeout=600)
        return " ".join(b["DisplayText"] for b in received.bodies("speech.phrase") if b["RecognitionStatus"] == "Success")

    started = time.perf_counter()
    text = asyncio.run(go())
    return text, time.perf_counter() - started


async def _real_time_stream(url: str, audio: np.ndarray, ends: list[float]) -> tuple[list[float], float]:
    """Sends ``audio`` at the speed of speech; (end-of-speech-to-phrase latencies, lag after the last audio)."""
    data = wav(audio)
    latencies: list[float] = []
    async with UspClient(url) as client:
        await client.start()
        await client.audio(data[:44])
        started = time.perf_counter()
        arrivals: list[tuple[float, dict]] = []

        async def reader() -> None:
            received = await client.read(timeout=600)
            del received

        async def collect() -> None:
            seen = 0
            while True:
                await asyncio.sleep(0.05)
                frames = client.received.frames
                for path, _rid, body in frames[seen:]:
                    if path == "speech.phrase" and body.get("RecognitionStatus") == "Success":
                        arrivals.append((time.perf_counter() - started, body))
                seen = len(frames)
                if frames and frames[-1][0] == "turn.end":
                    return

        read_task = asyncio.create_task(reader())
        collect_task = asyncio.create_task(collect())
        chunk = 3200  # 100 ms
        pcm = data[44:]
        for index, start in enumerate(range(0, len(pcm), chunk)):
            await asyncio.sleep(max(0.0, started + index * 0.1 - time.perf_counter()))
            await client.audio(pcm[start:start + chunk])
        audio_done = time.perf_counter() - started
        await client.audio(b"")
        await collect_task
        lag = time.perf_counter() - started - audio_done
        read_task.cancel()
        for arrival, body in arrivals:
            speech_end = (body["Offset"] + body["Duration"]) / 1e7
            latencies.append(arrival - speech_end)
    return latencies, lag


def real_time(server: ServerProcess, clips: list[Clip], streams: int) -> tuple[float, float, float]:
    """(median latency, 90th percentile latency, worst lag) of ``streams`` concurrent real-time streams."""
    audio, ends = _long_stream(clips)
    url = f"ws://127.0.0.1:{server.port}/speech/recognition/conversation/cognitiveservices/v1?language=en-US"

    async def go():
        return await asyncio.gather(*(_real_time_stream(url, audio, ends) for _ in range(streams)))

    results = asyncio.run(go())
    latencies = sorted(latency for lats, _lag in results for latency in lats)
    lag = max(lag for _lats, lag in results)
    if not latencies:
        return float("nan"), float("nan"), lag
    return latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.9)], lag


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=48)
    parser.add_argument("--models", default="tiny.en,base")
    parser.add_argument("--beam", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2, help="CTranslate2 threads per decode")
    parser.add_argument("--streams", default="1,2,4,6", help="concurrent real-time streams to try (tiny.en)")
    parser.add_argument("--stream-clips", type=int, default=6, help="clips in each real-time stream")
    parser.add_argument("--partials-ms", type=int, default=1000, help="Speech:HypothesisIntervalMs (0: off)")
    parser.add_argument("--streams-only", action="store_true", help="only the real-time streams (tiny.en)")
    parser.add_argument("--paths", default="reference,pipeline,server",
                        help="what to run per model: reference (faster-whisper direct), pipeline (airgap's "
                             "recognizer in process), server (REST and websocket); e.g. pipeline for WER alone")
    args = parser.parse_args()
    clips = quality_set(args.clips, noisy_every=4)
    seconds = _audio_seconds(clips)
    print(f"{len(clips)} clips, {seconds:.1f} s of audio ({sum(c.noisy for c in clips)} noisy); "
          f"{os.cpu_count()} CPUs; beam {args.beam}, {args.threads} threads per decode\n")
    print(f"| model | path | WER clean | WER noisy | time (s) | RTF | vs reference | RSS (MB) |")
    print("|---|---|---|---|---|---|---|---|")
    if args.streams_only:
        streams(args, clips)
        return
    paths = set(args.paths.split(","))
    for model in args.models.split(","):
        rows = []
        if "reference" in paths:
            ref, ref_time = reference(model, clips, args.beam, args.threads)
            rows.append(("faster-whisper direct (reference)", ref, ref_time, ""))
        if "pipeline" in paths:
            mine, mine_time = pipeline(model, clips, args.beam, args.threads)
            rows.append(("airgap pipeline in process", mine, mine_time, ""))
        if "server" not in paths:
            for name, pairs, took, _ in rows:
                clean, noisy = _wer(pairs)
                print(f"| {model} | {name} | {clean:.1%} | {noisy:.1%} | {took:.1f} | {took / seconds:.3f} | | |",
                      flush=True)
            continue
        ref_time = rows[0][2] if rows and rows[0][0].startswith("faster-whisper") else float("nan")
        folder = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-speech-{os.getpid()}"
        (folder / "output").mkdir(parents=True, exist_ok=True)
        server = ServerProcess(settings=["Services=speech", f"Speech:Model={model}", f"Speech:BeamSize={args.beam}",
                                         f"Speech:ThreadsPerDecode={args.threads}", "Speech:MaxStreams=64"],
                               output_dir=folder / "output", log_path=folder / "server.log")
        with server:
            idle_rss, _ = rss_mb(server.process.pid)
            served, served_time = rest(server, clips)
            rows.append(("server, REST per clip", served, served_time, ""))
            text, ws_time = websocket_file(server, clips)
            rss, peak = rss_mb(server.process.pid)
            e, n = word_errors(" ".join(c.text for c in clips), text)
            for name, pairs, took, _ in rows:
                clean, noisy = _wer(pairs)
                extra = f"{rss:.0f} (idle {idle_rss:.0f}, peak {peak:.0f})" if name.startswith("server") else ""
                print(f"| {model} | {name} | {clean:.1%} | {noisy:.1%} | {took:.1f} | {took / seconds:.3f} | "
                      f"{took / ref_time:.2f} | {extra} |")
            print(f"| {model} | server, websocket (one stream, as a file) | {e / n:.1%} (all) | | {ws_time:.1f} | "
                  f"{ws_time / (seconds + len(clips)):.3f} | {ws_time / ref_time:.2f} | |")
    if "tiny.en" in args.models.split(",") and args.streams:
        streams(args, clips)


def streams(args: argparse.Namespace, clips: list[Clip]) -> None:
    folder = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-speech-streams-{os.getpid()}"
    (folder / "output").mkdir(parents=True, exist_ok=True)
    server = ServerProcess(settings=["Services=speech", "Speech:Model=tiny.en", f"Speech:BeamSize={args.beam}",
                                     f"Speech:ThreadsPerDecode={args.threads}", "Speech:MaxStreams=64",
                                     f"Speech:HypothesisIntervalMs={args.partials_ms}"],
                           output_dir=folder / "output", log_path=folder / "server.log")
    with server:
        print(f"\nReal-time streams (tiny.en, beam {args.beam}, partial results every {args.partials_ms} ms when a "
              f"thread is free), each {args.stream_clips} utterances at the speed of speech:\n")
        print("| streams | latency end of speech -> phrase, median (s) | p90 (s) | worst lag after the audio (s) | RSS (MB) |")
        print("|---|---|---|---|---|")
        stream_clips = clips[: args.stream_clips]
        for count in (int(c) for c in args.streams.split(",")):
            median, p90, lag = real_time(server, stream_clips, count)
            print(f"| {count} | {median:.2f} | {p90:.2f} | {lag:.2f} | {rss_mb(server.process.pid)[0]:.0f} |",
                  flush=True)


if __name__ == "__main__":
    main()
