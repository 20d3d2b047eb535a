"""Text to speech: speed, first audio and memory, per voice, engine direct against the server path.

1. engine direct: each voice speaks the sentences of tests/speech/clips.py in this process (the
   espeak-ng engine process started beside it, as the server does): real-time factor (seconds of
   compute per second of audio) and time to the first sentence's audio;
2. server, websocket (the SDK's path, raw PCM 24 kHz): time from sending the SSML to the first
   audio frame, and to turn.end; then the direct run's sentences, one turn each, against the
   engine's RTF on the same sentences (the server path's cost, like for like);
3. server, REST mp3 (streamed) and riff (whole file): time to the first byte and to the last;
4. concurrency: N websocket turns at once, aggregate audio seconds per wall second per core
   (``streams per core`` that stay faster than real time), and the server's RSS.

    .venv/bin/python bench/speech_tts.py [--sentences 20] [--streams 1,2,4,8]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from airgap.services.speech import usp  # noqa: E402
from airgap.services.speech.engines import tts_espeak  # noqa: E402
from airgap.services.speech.engines.tts_espeak import EspeakClient, EspeakVoice  # noqa: E402
from airgap.services.speech.engines.tts_flite import FliteVoice  # noqa: E402
from airgap.services.speech.engines.tts_piper import PiperFiles, PiperVoice  # noqa: E402
from airgap.services.speech.engines.tts_types import Prosody  # noqa: E402
from airgap.services.speech.tts import bundled_piper_models  # noqa: E402
from tests.speech.clips import SENTENCES  # noqa: E402
from tests.support.server import ServerProcess, free_port  # noqa: E402

VOICES = {"en-US-JoeNeural": "piper", "en-US-SltFlite": "flite", "en-US-EspeakMale": "espeak-ng",
          "de-DE-EspeakFemale": "espeak-ng"}


def ssml(voice: str, text: str) -> str:
    return (f'<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">'
            f'<voice name="{voice}">{text}</voice></speak>')


def direct(sentences: list[str]) -> dict[str, float]:
    """Each voice's RTF on ``sentences``, one engine call per sentence (what the server does per sentence)."""
    rtf: dict[str, float] = {}
    port = free_port()
    argv = [a.replace("{port}", str(port)) for a in tts_espeak.server_argv("{port}")]
    process = subprocess.Popen(argv, stderr=subprocess.DEVNULL)
    client = EspeakClient(lambda: f"http://127.0.0.1:{port}")
    while not client.health():
        time.sleep(0.05)
    try:
        started = time.perf_counter()
        piper = PiperVoice(PiperFiles.read(bundled_piper_models()[0]), client)
        piper.load()
        print(f"Piper voice load: {time.perf_counter() - started:.2f} s")
        voices = {"en-US-JoeNeural": piper, "en-US-SltFlite": FliteVoice("slt", client),
                  "en-US-EspeakMale": EspeakVoice(client, "gmw/en-US"), "de-DE-EspeakFemale": EspeakVoice(client, "gmw/de+f3")}
        print("\n| voice | engine | audio s | compute s | RTF | first sentence s |")
        print("|---|---|---|---|---|---|")
        for name, voice in voices.items():
            voice.synthesize("Warm up.", Prosody())
            audio_s = compute = 0.0
            first = None
            for text in sentences:
                t = time.perf_counter()
                audio = voice.synthesize(text, Prosody())
                spent = time.perf_counter() - t
                first = spent if first is None else first
                compute += spent
                audio_s += audio.seconds
            print(f"| {name} | {VOICES[name]} | {audio_s:.1f} | {compute:.2f} | {compute / audio_s:.3f} | {first:.3f} |")
            rtf[name] = compute / audio_s
    finally:
        process.terminate()
        process.wait()
    return rtf


async def ws_turn(url: str, voice: str, text: str) -> tuple[float, float, int]:
    """(seconds to the first audio frame, seconds to turn.end, audio bytes)."""
    rid = uuid.uuid4().hex
    context = {"synthesis": {"audio": {"outputFormat": "raw-24khz-16bit-mono-pcm", "metadataOptions": {}}}}
    import websockets

    async with websockets.connect(url, subprotocols=["USP"], max_size=None) as ws:
        await ws.send(usp.text_frame("speech.config", rid, {"context": {}}))
        await ws.send(usp.text_frame("synthesis.context", rid, context))
        started = time.perf_counter()
        await ws.send(usp.text_frame("ssml", rid, ssml(voice, text), content_type="application/ssml+xml"))
        first, size = None, 0
        async for frame in ws:
            if isinstance(frame, bytes):
                first = first or time.perf_counter() - started
                size += len(usp.parse_binary(frame).body)
            elif usp.parse_text(frame).kind == "turn.end":
                return first or 0.0, time.perf_counter() - started, size
    raise RuntimeError("no turn.end")


def rss_mib(pid: int) -> float:
    total = 0.0
    for p in [pid, *[int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]]:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) / 1024
    return total


def server_path(sentences: list[str], streams: list[int], direct_rtf: dict[str, float]) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-tts-"))
    server = ServerProcess(settings=["Services=speech", "TextToSpeech:MaxStreams=64", f"Threads={os.cpu_count()}"],
                           log_path=folder / "server.log", output_dir=folder)
    server.start()
    url = f"ws://127.0.0.1:{server.port}/cognitiveservices/websocket/v1"
    text = " ".join(sentences[:4])
    try:
        print(f"\nServer RSS after start: {rss_mib(server.process.pid):.0f} MiB (server + espeak-ng process)")
        print("\n| voice | path | first audio s | total s | audio s | RTF |")
        print("|---|---|---|---|---|---|")
        for voice in VOICES:
            asyncio.run(ws_turn(url, voice, "Warm up."))
            first, total, size = asyncio.run(ws_turn(url, voice, text))
            audio = size / 2 / 24000
            print(f"| {voice} | websocket raw 24 kHz | {first:.3f} | {total:.3f} | {audio:.1f} | {total / audio:.3f} |")
        # Like for like with the engine direct: the same sentences, one turn each, one after another.
        print("\n| voice | websocket, the direct run's sentences one turn each: audio s | wall s | RTF | direct RTF | "
              "server / direct |")
        print("|---|---|---|---|---|---|")
        for voice in VOICES:
            wall = audio = 0.0
            for sentence in sentences:
                _first, total, size = asyncio.run(ws_turn(url, voice, sentence))
                wall += total
                audio += size / 2 / 24000
            print(f"| {voice} | {audio:.1f} | {wall:.2f} | {wall / audio:.3f} | {direct_rtf[voice]:.3f} | "
                  f"{wall / audio / direct_rtf[voice]:.2f} |")
        for fmt in ("audio-24khz-48kbitrate-mono-mp3", "riff-24khz-16bit-mono-pcm"):
            started = time.perf_counter()
            first = None
            with httpx.stream("POST", f"{server.url}/cognitiveservices/v1", content=ssml("en-US-JoeNeural", text),
                              headers={"Content-Type": "application/ssml+xml", "X-Microsoft-OutputFormat": fmt},
                              timeout=120) as response:
                for _ in response.iter_bytes():
                    first = first or time.perf_counter() - started
            print(f"| en-US-JoeNeural | REST {fmt} | {first:.3f} | {time.perf_counter() - started:.3f} | | |")
        print("\n| concurrent websocket turns (Joe) | wall s | audio s | audio s per wall s | per core | median first audio s | RSS MiB |")
        print("|---|---|---|---|---|---|---|")
        cores = os.cpu_count() or 1
        for n in streams:
            async def many() -> list[tuple[float, float, int]]:
                return await asyncio.gather(*[ws_turn(url, "en-US-JoeNeural", sentences[i % len(sentences)] + " " +
                                                      sentences[(i + 1) % len(sentences)]) for i in range(n)])
            started = time.perf_counter()
            results = asyncio.run(many())
            wall = time.perf_counter() - started
            audio = sum(size for _, _, size in results) / 2 / 24000
            firsts = sorted(first for first, _, _ in results)
            print(f"| {n} | {wall:.2f} | {audio:.1f} | {audio / wall:.1f} | {audio / wall / cores:.1f} | "
                  f"{firsts[len(firsts) // 2]:.3f} | {rss_mib(server.process.pid):.0f} |")
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=20)
    parser.add_argument("--streams", default="1,2,4,8")
    args = parser.parse_args()
    sentences = SENTENCES[:args.sentences]
    print(f"{os.cpu_count()} CPUs; {len(sentences)} sentences")
    rtf = direct(sentences)
    server_path(sentences, [int(n) for n in args.streams.split(",")], rtf)


if __name__ == "__main__":
    main()
