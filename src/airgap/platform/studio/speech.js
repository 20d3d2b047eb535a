// Speech: REST for short audio (speech to text, with word timings) from an uploaded file, the
// microphone or the synthesised speech, and REST synthesis with the voices list.
import { call } from "./api.js";
import { shown } from "./code.js";
import { $, busy, el, percent, showError, showJson } from "./view.js";

const OUTPUT_FORMAT = "riff-24khz-16bit-mono-pcm"; // plays in every browser's <audio>
const RATE = 16000; // what a recording is sent at: 16 kHz mono 16-bit PCM, the service's own format
const TICKS = 1e7; // the API's offsets and durations are in 100-ns ticks

let synthesised = null; // the last synthesised WAV (a File), for "Recognise this speech"
let synthesisedLocale = null; // and its voice's locale, the language to recognise it in
let recording = null; // the microphone while Record is on: {stream, context, source, processor, chunks}
const urls = {}; // <audio> id -> its blob: URL, revoked when the player gets another

export async function init() {
  $("stt-run").addEventListener("click", () => busy($("stt-run"), recognizeFile));
  $("stt-record").addEventListener("click", toggleRecording);
  $("tts-run").addEventListener("click", () => busy($("tts-run"), synthesize));
  $("rt-run").addEventListener("click", () => busy($("rt-run"),
    () => recognize("rt", synthesised, { player: "tts-audio", language: synthesisedLocale })));
  try {
    const { json } = await call("GET", "/cognitiveservices/voices/list");
    const voices = [...json].sort((a, b) => a.Locale.localeCompare(b.Locale) || a.ShortName.localeCompare(b.ShortName));
    $("tts-voice").replaceChildren(...voices.map((v) => el("option",
      { value: v.ShortName, "data-locale": v.Locale, text: `${v.Locale} · ${v.LocalName || v.DisplayName} (${v.Gender})` })));
    const english = voices.find((v) => v.Locale === "en-US");
    if (english) $("tts-voice").value = english.ShortName;
  } catch (error) {
    showError($("tts-readable"), error);
  }
}

function showAlert(node, text) {
  node.replaceChildren(el("p", { class: "error", role: "alert", text }));
}

async function recognizeFile() {
  const file = $("stt-file").files[0];
  if (!file) {
    showAlert($("stt-readable"), "Choose a WAV file first, or press Record.");
    return;
  }
  play("stt-audio", file);
  await recognize("stt", file, { player: "stt-audio" });
}

// Recognition of one clip (REST for short audio, detailed, with word timings), shown under `prefix`
// (#stt-… or #rt-…): the transcript and a table of its words; a word's button plays its stretch of
// the audio in `player`.
async function recognize(prefix, audio, { player, language = null }) {
  const readable = $(`${prefix}-readable`);
  readable.replaceChildren(el("p", { class: "note", text: "Recognizing…" }));
  showJson($(`${prefix}-json`), null);
  const query = new URLSearchParams({ language: language || $("stt-language").value.trim() || "en-US", format: "detailed",
    wordLevelTimestamps: "true" });
  const type = audio.type || "audio/wav";
  try {
    const { json } = await call("POST", `/speech/recognition/conversation/cognitiveservices/v1?${query}`, {
      body: audio, headers: { "Content-Type": type.startsWith("audio/ogg") ? "audio/ogg; codecs=opus" : "audio/wav" },
      show: shown(prefix),
    });
    showJson($(`${prefix}-json`), json);
    if (json.RecognitionStatus !== "Success") {
      readable.replaceChildren(el("p", { class: "note", text: `RecognitionStatus: ${json.RecognitionStatus}` }));
      return;
    }
    const best = (json.NBest || [])[0];
    readable.replaceChildren(el("p", { class: "big transcript", text: json.DisplayText }),
      el("p", { class: "note", text: `${seconds(json.Duration)} s from ${seconds(json.Offset)} s`
        + (best ? `, confidence ${percent(best.Confidence)}` : "") }),
      best && best.Words && best.Words.length ? wordTable(best.Words, player, prefix) : null);
  } catch (error) {
    if (error.body) showJson($(`${prefix}-json`), error.body);
    showError(readable, error);
  }
}

function seconds(ticks) {
  return (ticks / TICKS).toFixed(2);
}

// The words in a real table (a header per column, the word as the row's header) inside a focusable
// scrolling box, as the Studio's other wide tables; the word is a button that plays its stretch.
function wordTable(words, player, prefix) {
  const caption = "Words, in seconds from the start of the audio (press a word to hear it)";
  const rows = words.map((w) => {
    const start = w.Offset / TICKS;
    const end = (w.Offset + w.Duration) / TICKS;
    const button = el("button", { type: "button", class: "link", "aria-label": `Play “${w.Word}”, ${start.toFixed(2)} s`,
      text: w.Word });
    button.addEventListener("click", () => playStretch($(player), start, end));
    return el("tr", {}, el("th", { scope: "row" }, button), el("td", { text: seconds(w.Offset) }),
      el("td", { text: seconds(w.Duration) }),
      el("td", { text: w.Confidence === undefined ? "" : percent(w.Confidence) }));
  });
  return el("div", { id: `${prefix}-words`, class: "table-scroll words-scroll", tabindex: "0", role: "region",
    "aria-label": "Words and their timings" },
  el("table", { class: "words-table" }, el("caption", { text: caption }),
    el("thead", {}, el("tr", {}, ...["Word", "Offset (s)", "Duration (s)", "Confidence"]
      .map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, ...rows)));
}

const stops = new WeakMap(); // player -> the timer that pauses it at the end of a word

function playStretch(player, start, end) {
  clearTimeout(stops.get(player));
  player.currentTime = start;
  player.play().then(() => stops.set(player, setTimeout(() => player.pause(), (end - start) * 1000)),
    () => {}); // a browser that refuses to play (no output device) leaves the player where it was
}

// Shows `blob` in the <audio> `id` (the upload, the recording or the synthesised speech).
function play(id, blob) {
  if (urls[id]) URL.revokeObjectURL(urls[id]);
  urls[id] = URL.createObjectURL(blob);
  $(id).src = urls[id];
  $(id).hidden = false;
}

// ---- microphone ---------------------------------------------------------------------------------

// Why the browser will not offer the microphone on this page, or null when it may.
function microphoneUnavailable() {
  if (!window.isSecureContext) {
    return `The browser offers the microphone only to a secure page: this page is ${location.origin}, not https `
      + "and not localhost. Open the Studio over https, or by the name localhost or 127.0.0.1 on the "
      + "server's own machine (an SSH tunnel will do), or upload a WAV file instead.";
  }
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return "This browser has no microphone API (getUserMedia); upload a WAV file instead.";
  }
  if (!window.AudioContext || !window.OfflineAudioContext) return "This browser has no Web Audio; upload a WAV file instead.";
  return null;
}

function refusal(error) {
  const name = error && error.name;
  if (name === "NotAllowedError" || name === "SecurityError") {
    return "The browser refused the microphone: permission was denied (by you, the site settings or a policy). "
      + "Allow the microphone for this page in the browser's site settings, then press Record again.";
  }
  if (name === "NotFoundError" || name === "OverconstrainedError") return "The browser found no microphone.";
  if (name === "NotReadableError") return "The microphone could not be opened: another program may hold it.";
  return `The microphone could not be opened: ${(error && error.message) || error}`;
}

async function toggleRecording() {
  const button = $("stt-record");
  if (recording) {
    await busy(button, stopRecording);
    return;
  }
  const readable = $("stt-readable");
  const unavailable = microphoneUnavailable();
  if (unavailable) {
    showAlert(readable, unavailable);
    return;
  }
  let stream;
  button.disabled = true; // until the browser answers (it may be asking the user)
  try {
    // The raw signal: echo cancellation and the like are for calls, and they distort what is recognised.
    stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: false,
      noiseSuppression: false, autoGainControl: false } });
  } catch (error) {
    showAlert(readable, refusal(error));
    return;
  } finally {
    button.disabled = false;
  }
  const context = new AudioContext();
  const source = context.createMediaStreamSource(stream);
  // A ScriptProcessorNode hands over the samples on the main thread. An AudioWorklet would need a
  // module of its own served by the Studio (the page's policy refuses blob: scripts); a recording of
  // a few seconds is light enough for this.
  const processor = context.createScriptProcessor(4096, 1, 1);
  const chunks = [];
  processor.onaudioprocess = (event) => chunks.push(new Float32Array(event.inputBuffer.getChannelData(0)));
  source.connect(processor);
  processor.connect(context.destination); // the node runs only when connected; its output is silence
  if (context.state === "suspended") await context.resume();
  recording = { stream, context, source, processor, chunks };
  button.textContent = "Stop";
  readable.replaceChildren(el("p", { class: "note", text: "Recording from the microphone… press Stop to recognise it." }));
}

async function stopRecording() {
  const { stream, context, source, processor, chunks } = recording;
  recording = null;
  $("stt-record").textContent = "Record";
  for (const track of stream.getTracks()) track.stop();
  source.disconnect();
  processor.disconnect();
  const rate = context.sampleRate;
  await context.close();
  const captured = joined(chunks);
  if (!captured.length) {
    showAlert($("stt-readable"), "Nothing was recorded: the microphone sent no sound.");
    return;
  }
  const file = new File([wavFile(await resample(captured, rate, RATE), RATE)], "recording.wav", { type: "audio/wav" });
  play("stt-audio", file);
  await recognize("stt", file, { player: "stt-audio" });
}

function joined(chunks) {
  const out = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

// `samples` (mono float, -1..1) at `rate` Hz, resampled to `target` Hz by the browser's own
// resampler (an OfflineAudioContext renders the buffer at its rate).
export async function resample(samples, rate, target) {
  if (rate === target) return samples;
  const offline = new OfflineAudioContext(1, Math.max(1, Math.round(samples.length * target / rate)), target);
  const buffer = offline.createBuffer(1, samples.length, rate);
  buffer.copyToChannel(samples, 0);
  const node = offline.createBufferSource();
  node.buffer = buffer;
  node.connect(offline.destination);
  node.start();
  return (await offline.startRendering()).getChannelData(0);
}

// A WAV file (RIFF, PCM, mono, 16-bit little-endian) of float samples at `rate` Hz.
export function wavFile(samples, rate) {
  const view = new DataView(new ArrayBuffer(44 + samples.length * 2));
  const text = (at, value) => [...value].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
  text(0, "RIFF");
  view.setUint32(4, 36 + samples.length * 2, true);
  text(8, "WAVE");
  text(12, "fmt ");
  view.setUint32(16, 16, true); // the fmt chunk's size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // one channel
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true); // bytes a second
  view.setUint16(32, 2, true); // bytes a frame
  view.setUint16(34, 16, true); // bits a sample
  text(36, "data");
  view.setUint32(40, samples.length * 2, true);
  samples.forEach((s, i) => view.setInt16(44 + i * 2, Math.round(Math.max(-1, Math.min(1, s)) * 32767), true));
  return view.buffer;
}

// ---- text to speech -----------------------------------------------------------------------------

function escapeXml(text) {
  return text.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c]);
}

async function synthesize() {
  const readable = $("tts-readable");
  const option = $("tts-voice").selectedOptions[0];
  if (!option) return;
  readable.replaceChildren(el("p", { class: "note", text: "Synthesising…" }));
  const ssml = `<speak version="1.0" xml:lang="${option.dataset.locale}">`
    + `<voice name="${escapeXml(option.value)}">${escapeXml($("tts-text").value)}</voice></speak>`;
  try {
    const { blob } = await call("POST", "/cognitiveservices/v1", {
      body: ssml, binary: true,
      headers: { "Content-Type": "application/ssml+xml", "X-Microsoft-OutputFormat": OUTPUT_FORMAT },
      show: shown("tts"),
    });
    synthesised = new File([blob], "speech.wav", { type: "audio/wav" });
    synthesisedLocale = option.dataset.locale;
    play("tts-audio", synthesised);
    $("rt-run").disabled = false;
    $("rt-readable").replaceChildren();
    readable.replaceChildren(el("p", { class: "note", text: `${blob.size} bytes of ${OUTPUT_FORMAT}.` }));
  } catch (error) {
    showError(readable, error);
  }
}
