// Translator: GET /languages fills the pickers, POST /translate (Text Translation 3.0).
import { call } from "./api.js";
import { shown } from "./code.js";
import { $, busy, el, showError, showJson } from "./view.js";

const VERSION = "api-version=3.0";

export async function init() {
  $("tr-run").addEventListener("click", () => busy($("tr-run"), run));
  const from = $("tr-from");
  const to = $("tr-to");
  from.append(el("option", { value: "", text: "Detect" }));
  try {
    const { json } = await call("GET", `/languages?${VERSION}&scope=translation`);
    const languages = Object.entries(json.translation || {})
      .sort((a, b) => a[1].name.localeCompare(b[1].name));
    for (const [code, about] of languages) {
      const label = `${about.name} (${code})`;
      from.append(el("option", { value: code, text: label }));
      to.append(el("option", { value: code, text: label }));
    }
    if (json.translation && json.translation.es) to.value = "es";
  } catch (error) {
    showError($("tr-readable"), error);
  }
}

async function run() {
  const readable = $("tr-readable");
  readable.replaceChildren(el("p", { class: "note", text: "Translating…" }));
  showJson($("tr-json"), null);
  const query = new URLSearchParams({ "api-version": "3.0", to: $("tr-to").value });
  if ($("tr-from").value) query.set("from", $("tr-from").value);
  const body = JSON.stringify([{ Text: $("tr-text").value }]);
  try {
    const { json, headers } = await call("POST", `/translate?${query}`, {
      body, headers: { "Content-Type": "application/json" },
      show: shown("tr"),
    });
    showJson($("tr-json"), json);
    const item = json[0];
    const box = el("div");
    for (const translation of item.translations) {
      box.append(el("p", { class: "big", lang: translation.to, text: translation.text }));
    }
    const detected = item.detectedLanguage;
    if (detected) box.append(el("p", { class: "note", text: `Detected ${detected.language} (score ${detected.score}).` }));
    box.append(el("p", { class: "note", text: `X-MT-System: ${headers.get("X-MT-System") || "(not sent)"}` }));
    readable.replaceChildren(box);
  } catch (error) {
    if (error.body) showJson($("tr-json"), error.body);
    showError(readable, error);
  }
}
