// Vision Read 3.2 and Document Intelligence (2024-11-30): upload, poll the operation, then draw
// the words, lines, tables and selection marks over the page in a canvas.
import { call, poll } from "./api.js";
import { shown } from "./code.js";
import { $, busy, el, showError, showJson } from "./view.js";

const WIDTH = 900; // the drawn page's width in CSS pixels; boxes are scaled to it
const BROWSER_IMAGES = ["image/png", "image/jpeg", "image/gif", "image/bmp", "image/webp"];

const SERVICES = {
  vision: {
    submit: () => "/vision/v3.2/read/analyze",
    pages: (result) => (result.analyzeResult.readResults || []).map((p) => ({
      number: p.page, width: p.width, height: p.height, unit: p.unit,
      lines: p.lines.map((l) => ({ box: l.boundingBox, text: l.text })),
      words: p.lines.flatMap((l) => l.words.map((w) => ({ box: w.boundingBox, text: w.text }))),
      marks: [], tables: [],
    })),
  },
  document: {
    submit: () => `/documentintelligence/documentModels/${encodeURIComponent($("document-model").value)}:analyze`
      + "?api-version=2024-11-30",
    pages: (result) => {
      const analysis = result.analyzeResult;
      return (analysis.pages || []).map((p) => ({
        number: p.pageNumber, width: p.width, height: p.height, unit: p.unit,
        lines: (p.lines || []).map((l) => ({ box: l.polygon, text: l.content })),
        words: (p.words || []).map((w) => ({ box: w.polygon, text: w.content })),
        marks: (p.selectionMarks || []).map((m) => ({ box: m.polygon, text: m.state })),
        tables: (analysis.tables || []).flatMap((t) => (t.boundingRegions || [])
          .filter((r) => r.pageNumber === p.pageNumber).map((r) => ({ box: r.polygon, text: `${t.rowCount}×${t.columnCount}` }))),
      }));
    },
  },
};

export function init(name) {
  $(`${name}-run`).addEventListener("click", () => busy($(`${name}-run`), () => run(name)));
}

async function run(name) {
  const service = SERVICES[name];
  const readable = $(`${name}-readable`);
  const file = $(`${name}-file`).files[0];
  if (!file) {
    readable.replaceChildren(el("p", { class: "error", role: "alert", text: "Choose an image or a PDF first." }));
    return;
  }
  readable.replaceChildren(el("p", { class: "note", text: "Uploading…" }));
  $(`${name}-pages`).replaceChildren();
  showJson($(`${name}-json`), null);
  try {
    const submitted = await call("POST", service.submit(), {
      body: file, headers: { "Content-Type": "application/octet-stream" },
      show: shown(name),
    });
    const location = submitted.headers.get("Operation-Location");
    const result = await poll(location, {
      onStatus: (s) => { readable.replaceChildren(el("p", { class: "note", text: `Operation ${s}…` })); },
    });
    showJson($(`${name}-json`), result);
    const pages = service.pages(result);
    const image = BROWSER_IMAGES.includes(file.type) ? await loadImage(file) : null;
    const words = pages.reduce((n, p) => n + p.words.length, 0);
    readable.replaceChildren(el("p", { text: `${pages.length} page(s), ${words} words.` }), legend(), fields(result));
    $(`${name}-pages`).replaceChildren(...pages.map((page, i) => draw(page, i === 0 ? image : null)));
  } catch (error) {
    if (error.body) showJson($(`${name}-json`), error.body);
    showError(readable, error);
  }
}

function loadImage(file) {
  const image = new Image();
  image.src = URL.createObjectURL(file);
  return image.decode().then(() => image, () => null);
}

function legend() {
  return el("p", { class: "legend" }, el("span", { class: "swatch word", text: "word" }),
    el("span", { class: "swatch line", text: "line" }), el("span", { class: "swatch table", text: "table" }),
    el("span", { class: "swatch mark", text: "selection mark" }));
}

// Prebuilt models' fields (invoice, receipt) beside the page.
function fields(result) {
  const documents = (result.analyzeResult && result.analyzeResult.documents) || [];
  if (!documents.length) return el("span");
  const list = el("dl", { class: "fields" });
  for (const doc of documents) {
    for (const [name, field] of Object.entries(doc.fields || {})) {
      list.append(el("dt", { text: name }), el("dd", { text: field.content ?? JSON.stringify(field.value ?? "") }));
    }
  }
  return list;
}

const STYLE = { word: "#1f6feb", line: "#d29922", table: "#8250df", mark: "#1a7f37" };

function draw(page, image) {
  const scale = WIDTH / page.width;
  const canvas = el("canvas", {
    width: String(WIDTH), height: String(Math.round(page.height * scale)),
    role: "img", "aria-label": `Page ${page.number}: ${page.words.length} words, ${page.lines.length} lines`,
    "data-words": String(page.words.length), "data-unit": page.unit,
  });
  const g = canvas.getContext("2d");
  g.fillStyle = "#fff";
  g.fillRect(0, 0, canvas.width, canvas.height);
  if (image) {
    g.drawImage(image, 0, 0, canvas.width, canvas.height);
  } else {
    // No picture of the page (a PDF, a TIFF): the words are written where they were found.
    g.fillStyle = "#444";
    for (const word of page.words) {
      const [x, y] = [word.box[0] * scale, word.box[1] * scale];
      const height = Math.max(6, (word.box[7] - word.box[1]) * scale);
      g.font = `${Math.round(height * 0.8)}px sans-serif`;
      g.fillText(word.text, x, y + height * 0.8);
    }
  }
  const outline = (items, colour, width) => {
    g.strokeStyle = colour;
    g.lineWidth = width;
    for (const item of items) {
      g.beginPath();
      for (let i = 0; i < item.box.length; i += 2) g.lineTo(item.box[i] * scale, item.box[i + 1] * scale);
      g.closePath();
      g.stroke();
    }
  };
  outline(page.tables, STYLE.table, 3);
  outline(page.lines, STYLE.line, 1.5);
  outline(page.words, STYLE.word, 1);
  outline(page.marks, STYLE.mark, 2);
  return el("figure", {}, canvas, el("figcaption", { text: `Page ${page.number} (${page.width} × ${page.height} ${page.unit})` }));
}
