// Language: the six synchronous kinds of POST /language/:analyze-text (api-version 2023-04-01).
import { call } from "./api.js";
import { shown } from "./code.js";
import { $, busy, el, markedText, percent, showError, showJson } from "./view.js";

const API_VERSION = "2023-04-01";
const PATH = `/language/:analyze-text?api-version=${API_VERSION}`;

export function init() {
  $("lang-run").addEventListener("click", () => busy($("lang-run"), run));
}

function request(kind, text, language) {
  const document = { id: "1", text };
  // Detection finds the language itself; the field is the other kinds' document language.
  if (kind !== "LanguageDetection" && language) document.language = language;
  const parameters = { stringIndexType: "Utf16CodeUnit" };
  if (kind === "LanguageDetection" || kind === "KeyPhraseExtraction") delete parameters.stringIndexType;
  if (kind === "SentimentAnalysis") parameters.opinionMining = true;
  return { kind, analysisInput: { documents: [document] }, parameters };
}

async function run() {
  const kind = $("lang-kind").value;
  const text = $("lang-text").value;
  const readable = $("lang-readable");
  readable.replaceChildren(el("p", { class: "note", text: "Analyzing…" }));
  showJson($("lang-json"), null);
  const body = JSON.stringify(request(kind, text, $("lang-language").value.trim()));
  try {
    const { json } = await call("POST", PATH, {
      body, headers: { "Content-Type": "application/json" },
      show: shown("lang"),
    });
    showJson($("lang-json"), json);
    const results = json.results || {};
    const problems = results.errors || [];
    if (problems.length) {
      const error = problems[0].error || {};
      const inner = error.innererror || {};
      throw new Error(`${inner.code || error.code}: ${inner.message || error.message}`);
    }
    readable.replaceChildren(render(kind, text, results.documents[0]));
  } catch (error) {
    if (error.body) showJson($("lang-json"), error.body);
    showError(readable, error);
  }
}

function render(kind, text, doc) {
  switch (kind) {
    case "LanguageDetection": {
      const found = doc.detectedLanguage;
      return el("p", { class: "big" }, el("strong", { text: found.name }),
        ` (${found.iso6391Name}), confidence ${percent(found.confidenceScore)}`);
    }
    case "SentimentAnalysis":
      return sentiment(text, doc);
    case "EntityRecognition":
      return entities(text, doc.entities, (e) => e.subcategory ? `${e.category}/${e.subcategory}` : e.category);
    case "PiiEntityRecognition": {
      const box = entities(text, doc.entities, (e) => e.category, "pii");
      box.append(el("h4", { text: "Redacted" }), el("p", { class: "redacted", text: doc.redactedText }));
      return box;
    }
    case "KeyPhraseExtraction":
      return el("ul", { class: "chips" }, ...doc.keyPhrases.map((k) => el("li", { text: k })));
    case "EntityLinking":
      return el("ul", {}, ...doc.entities.map((e) => el("li", { text: `${e.name} (${e.dataSource})` })));
    default:
      return el("p", { text: "Done." });
  }
}

function entities(text, found, label, className = "") {
  const spans = found.map((e) => ({
    offset: e.offset, length: e.length, className: className || e.category.toLowerCase(),
    label: `${label(e)} ${percent(e.confidenceScore)}`,
  }));
  const box = el("div");
  box.append(markedText(text, spans));
  if (!found.length) box.append(el("p", { class: "note", text: "No entities found." }));
  return box;
}

function scores(s) {
  return `positive ${percent(s.positive)}, neutral ${percent(s.neutral)}, negative ${percent(s.negative)}`;
}

function sentiment(text, doc) {
  const box = el("div");
  box.append(el("p", { class: "big" }, "Document: ", el("strong", { class: `sentiment ${doc.sentiment}`, text: doc.sentiment }),
    ` (${scores(doc.confidenceScores)})`));
  const list = el("ol", { class: "sentences" });
  for (const sentence of doc.sentences) {
    // Opinion targets and assessments, marked inside their sentence.
    const spans = [];
    for (const opinion of sentence.targets || []) {
      spans.push({ offset: opinion.offset - sentence.offset, length: opinion.length,
        className: `target ${opinion.sentiment}`, label: `target, ${opinion.sentiment}` });
    }
    for (const assessment of sentence.assessments || []) {
      spans.push({ offset: assessment.offset - sentence.offset, length: assessment.length,
        className: `assessment ${assessment.sentiment}`, label: `assessment, ${assessment.sentiment}` });
    }
    list.append(el("li", {},
      el("span", { class: `sentiment ${sentence.sentiment}`, text: sentence.sentiment }),
      ` ${scores(sentence.confidenceScores)}`,
      markedText(sentence.text, spans)));
  }
  box.append(list);
  return box;
}
