// Speech: REST for short audio (speech to text) and REST synthesis with the voices list.
import { call } from "./api.js";
import { shown } from "./code.js";
import { $, busy, el, percent, showError, showJson } from "./view.js";

const OUTPUT_FORMAT = "riff-24khz-16bit-mono-pcm"; // plays in every browser's <audio>
let audioUrl = null;

export async function init() {
  $("stt-run").addEventListener("click", () => busy($("stt-run"), recognize));
  $("tts-run").addEventListener("click", () => busy($("tts-run"), synthesize));
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

async function recognize() {
  const readable = $("stt-readable");
  const file = $("stt-file").files[0];
  if (!file) {
    readable.replaceChildren(el("p", { class: "error", role: "alert", text: "Choose a WAV file first." }));
    return;
  }
  readable.replaceChildren(el("p", { class: "note", text: "Recognizing…" }));
  showJson($("stt-json"), null);
  const query = new URLSearchParams({ language: $("stt-language").value.trim() || "en-US", format: "detailed" });
  const type = file.type || "audio/wav";
  try {
    const { json } = await call("POST", `/speech/recognition/conversation/cognitiveservices/v1?${query}`, {
      body: file, headers: { "Content-Type": type.startsWith("audio/ogg") ? "audio/ogg; codecs=opus" : "audio/wav" },
      show: shown("stt"),
    });
    showJson($("stt-json"), json);
    if (json.RecognitionStatus !== "Success") {
      readable.replaceChildren(el("p", { class: "note", text: `RecognitionStatus: ${json.RecognitionStatus}` }));
      return;
    }
    const best = (json.NBest || [])[0];
    readable.replaceChildren(el("p", { class: "big", text: json.DisplayText }),
      el("p", { class: "note", text: `${(json.Duration / 1e7).toFixed(2)} s from ${(json.Offset / 1e7).toFixed(2)} s`
        + (best ? `, confidence ${percent(best.Confidence)}` : "") }));
  } catch (error) {
    if (error.body) showJson($("stt-json"), error.body);
    showError(readable, error);
  }
}

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
    if (audioUrl) URL.revokeObjectURL(audioUrl);
    audioUrl = URL.createObjectURL(blob);
    const player = $("tts-audio");
    player.src = audioUrl;
    player.hidden = false;
    readable.replaceChildren(el("p", { class: "note", text: `${blob.size} bytes of ${OUTPUT_FORMAT}.` }));
  } catch (error) {
    showError(readable, error);
  }
}
