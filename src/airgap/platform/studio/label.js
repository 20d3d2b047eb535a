// The Label tab: label documents for a custom template model as Azure's Document Intelligence
// Studio does, build the model and test it, through the server's public API only.
// - Documents (images, PDF) are read with prebuilt-layout; the words are drawn over the page.
// - A click on a word (or Space on the keyboard) puts it in the chosen field or takes it out; a
//   region drawn with the mouse takes every word inside it, or is kept as a region when it holds none.
// - The project lives in this page (project.js writes Azure's file formats) and in this browser's
//   IndexedDB (store.js), so a reload keeps it. No public API writes to the shared mount, so its
//   files are downloaded (one by one, or zipped with the documents) to be copied there, and "Build
//   model" sends them zipped in base64Source. Files saved by Azure's Studio (fields.json,
//   <doc>.labels.json, <doc>.ocr.json, the documents), or a zip of them, open here the same way.
import { call, describe, poll, storedKey } from "./api.js";
import { buildCode, shown } from "./code.js";
import * as store from "./store.js";
import { $, busy, el, showError, showJson, showNote } from "./view.js";
import { assign, escapeKey, FIELD_TYPES, items, labelOf, labelText, pages, Project, region, TABLE, unassign,
  clearLabel } from "./project.js";
import { base64, unzip, zip } from "./zip.js";

const BASE = "/documentintelligence";
const VERSION = "api-version=2024-11-30";
const WIDTH = 900; // the drawn page's width in canvas pixels
const BROWSER_IMAGES = ["image/png", "image/jpeg", "image/gif", "image/bmp", "image/webp"];
const COLOURS = ["#cf222e", "#1a7f37", "#8250df", "#bc4c00", "#0969da", "#bf3989", "#4d2d00", "#1b7c83"];
const DRAG = 5; // canvas pixels a press must move to draw a region rather than click

let project = new Project();
// field: the chosen field's key; for a table, row (0-based) and column say which cell it labels.
const view = { doc: null, page: 1, field: null, row: 0, column: null, focus: -1, drag: null, images: new Map(),
  renaming: null };
let reading = Promise.resolve(); // layout runs one document at a time

export function init() {
  $("label-files").addEventListener("change", (event) => {
    addFiles([...event.target.files]);
    event.target.value = "";
  });
  $("label-field-add").addEventListener("click", addField);
  $("label-field-name").addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); addField(); }
  });
  $("label-download").addEventListener("click", downloadProject);
  $("label-new").addEventListener("click", newProject);
  $("label-build").addEventListener("click", () => busy($("label-build"), build));
  $("label-test-run").addEventListener("click", () => busy($("label-test-run"), test));
  $("label-field-type").replaceChildren(...FIELD_TYPES.map((t) => el("option", { value: t, text: t })),
    el("option", { value: TABLE, text: "table (rows of columns)" }));
  $("label-field-type").addEventListener("change", showColumnsInput);
  showColumnsInput();
  render();
  listModels();
  restore();
}

// ---- documents and project files ------------------------------------------------------------

// The types a document's file is drawn and sent as, by its extension (a zip's entries have none).
const TYPES = { png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", bmp: "image/bmp",
  webp: "image/webp", tif: "image/tiff", tiff: "image/tiff", pdf: "application/pdf", json: "application/json" };

// A zip's files as Files named by their last path segment (Azure's Studio zips a folder), or an error note.
async function zipped(file) {
  try {
    const entries = (await unzip(file)).filter(({ name }) => !name.startsWith("__MACOSX/"));
    // (an empty archive would otherwise open nothing without a word)
    if (!entries.length) return `${file.name} cannot be opened: it holds no files`;
    return entries.map(({ name, bytes }) => {
      const base = name.split("/").pop();
      return new File([bytes], base, { type: TYPES[base.split(".").pop().toLowerCase()] || "application/octet-stream" });
    });
  } catch (error) {
    return `${file.name} cannot be opened: ${error.message}`;
  }
}

async function addFiles(chosen) {
  const notes = [];
  const files = [];
  for (const file of chosen) {
    if (!file.name.toLowerCase().endsWith(".zip")) files.push(file);
    else {
      const inside = await zipped(file);
      if (typeof inside === "string") notes.push(inside);
      else files.push(...inside);
    }
  }
  // Project files first, so that a document opened with its ocr.json is not read again.
  const isJson = (f) => f.name.toLowerCase().endsWith(".json");
  for (const file of files.filter(isJson)) {
    try {
      const content = JSON.parse(await file.text());
      if (file.name === "fields.json") project.loadFields(content);
      else if (file.name.endsWith(".labels.json")) project.loadLabels(withoutSuffix(file.name, ".labels.json"), content);
      else if (file.name.endsWith(".ocr.json")) project.doc(withoutSuffix(file.name, ".ocr.json")).ocr = content;
      else notes.push(`${file.name}: not a project file (fields.json, <document>.labels.json, <document>.ocr.json)`);
    } catch (error) {
      notes.push(`${file.name}: ${error.message}`);
    }
  }
  for (const file of files.filter((f) => !isJson(f))) {
    const doc = project.doc(file.name);
    doc.file = file;
    view.images.delete(doc.name);
    if (!doc.ocr) queueLayout(doc);
  }
  for (const doc of project.docs.values()) if (doc.ocr && doc.state !== "reading") doc.state = "ready";
  if (!view.doc && project.docs.size) view.doc = [...project.docs.keys()][0];
  if (!view.field) choose(labelable()[0]?.fieldKey || null);
  status(notes.join("; "));
  render();
}

function withoutSuffix(name, suffix) {
  return name.slice(0, -suffix.length);
}

function queueLayout(doc) {
  doc.state = "reading";
  reading = reading.then(() => readLayout(doc));
}

async function readLayout(doc) {
  render();
  try {
    const submitted = await call("POST", `${BASE}/documentModels/prebuilt-layout:analyze?${VERSION}`, {
      body: doc.file, headers: { "Content-Type": "application/octet-stream" },
    });
    doc.ocr = await poll(submitted.headers.get("Operation-Location"));
    doc.state = "ready";
  } catch (error) {
    doc.state = "failed";
    doc.error = error.message;
  }
  render();
}

function labelable() {
  return project.fields.filter((f) => FIELD_TYPES.includes(f.fieldType) || project.columns(f)?.length);
}

function showColumnsInput() {
  $("label-columns-box").hidden = $("label-field-type").value !== TABLE;
}

// The chosen field, and the label path a word goes to: the field's key, or a table's cell
// `<key>/<row>/<column>` (Azure's path for a dynamic table's cell).
function chosen() {
  return project.fields.find((f) => f.fieldKey === view.field) || null;
}

function choose(key) {
  view.field = key;
  const columns = project.columns(chosen());
  if (columns && !columns.includes(view.column)) view.column = columns[0];
}

function currentPath() {
  const field = chosen();
  if (!field) return null;
  const path = escapeKey(field.fieldKey);
  return project.columns(field) ? `${path}/${view.row}/${escapeKey(view.column)}` : path;
}

function addField() {
  try {
    const type = $("label-field-type").value;
    const name = $("label-field-name").value;
    choose(type === TABLE ? project.addTable(name, $("label-field-columns").value.split(","))
      : project.addField(name, type));
    view.row = 0;
    $("label-field-name").value = "";
    $("label-field-columns").value = "";
    status("");
  } catch (error) {
    status(error.message);
  }
  render();
}

// ---- drawing ---------------------------------------------------------------------------------

function render() {
  renderDocs();
  renderFields();
  renderPage();
  renderFiles();
  document.body.dataset.label = [...project.docs.values()].some((d) => d.state === "reading") ? "reading" : "idle";
  keep();
}

// ---- kept in the browser ---------------------------------------------------------------------

let keeping = null; // the pending save's timer: a burst of changes is written once
let saved = Promise.resolve(); // the last save, so that tests and "New project" wait for it
let restored = false; // nothing is written before the saved project has been read back

function snapshot() {
  return { fields: project.fields, definitions: project.definitions,
    docs: [...project.docs.values()].map((d) => ({ name: d.name, file: d.file, ocr: d.ocr, labels: d.labels })) };
}

function keep() {
  if (!restored) return;
  clearTimeout(keeping);
  keeping = setTimeout(() => {
    keeping = null;
    const empty = !project.fields.length && !project.docs.size; // nothing to keep: nothing kept
    saved = (empty ? store.clear() : store.save(snapshot())).then(() => { document.body.dataset.labelSaved = String(Date.now()); },
      (error) => status(`This browser did not keep the project (${error && error.message}); download it to keep it.`));
  }, 200);
}

async function restore() {
  try {
    const kept = await store.load();
    if (kept && (kept.fields.length || kept.docs.length)) {
      project.fields = kept.fields;
      project.definitions = kept.definitions || {};
      for (const d of kept.docs) {
        const doc = project.doc(d.name);
        Object.assign(doc, { file: d.file || null, ocr: d.ocr || null, labels: d.labels || [] });
        doc.state = doc.ocr ? "ready" : "new";
        if (!doc.ocr && doc.file) queueLayout(doc);
      }
      view.doc = [...project.docs.keys()][0] || null;
      choose(labelable()[0]?.fieldKey || null);
      status(`The project kept in this browser is back: ${project.fields.length} fields, ${project.docs.size} documents.`);
    }
  } catch (error) {
    status(`This browser's saved project could not be read (${error && error.message}).`);
  }
  restored = true;
  document.body.dataset.labelRestored = "true";
  render();
}

async function newProject() {
  clearTimeout(keeping);
  await saved;
  await store.clear().catch(() => {});
  project = new Project();
  Object.assign(view, { doc: null, page: 1, field: null, row: 0, column: null, focus: -1, drag: null, renaming: null });
  view.images.clear();
  status("A new, empty project: the one before is no longer kept in this browser.");
  render();
}

function renderDocs() {
  const box = $("label-docs");
  if (!project.docs.size) {
    showNote(box, "No document yet: choose images or PDFs of one form (five samples are recommended), "
      + "or the files of a project saved before.");
    return;
  }
  const list = el("ul", { class: "label-docs" });
  for (const doc of project.docs.values()) {
    const state = { reading: "reading the layout…", failed: `layout failed: ${doc.error}`,
      new: "no layout (add the document or its .ocr.json)" }[doc.state] || `${doc.labels.length} labelled`;
    const button = el("button", { type: "button", "aria-pressed": String(doc.name === view.doc), "data-doc": doc.name },
      doc.name, el("small", { text: ` ${state}` }));
    button.addEventListener("click", () => { view.doc = doc.name; view.page = 1; view.focus = -1; render(); });
    list.append(el("li", {}, button));
  }
  box.replaceChildren(list);
}

function colour(path) {
  const top = path.split("/")[0];
  const at = project.fields.findIndex((f) => escapeKey(f.fieldKey) === top);
  return at < 0 ? "#57606a" : COLOURS[at % COLOURS.length];
}

// The field's colour as a CSSOM property: the page's CSP refuses inline style attributes.
function swatch(path) {
  const span = el("span", { class: "label-swatch", "aria-hidden": "true" });
  span.style.background = colour(path);
  return span;
}

function renderFields() {
  const box = $("label-fields");
  if (!project.fields.length) {
    showNote(box, "No field yet: name one (Customer, Total…), pick its type and add it.");
    return;
  }
  const doc = current();
  const rows = project.fields.map((field) => {
    const path = escapeKey(field.fieldKey);
    const columns = project.columns(field);
    const editable = FIELD_TYPES.includes(field.fieldType) || !!(columns && columns.length);
    const label = doc ? doc.labels.find((l) => l.label === path) : null;
    const cells = doc && columns ? doc.labels.filter((l) => l.label.startsWith(`${path}/`)) : [];
    const id = `label-field-${project.fields.indexOf(field)}`;
    const radio = el("input", { type: "radio", name: "label-field", id, value: field.fieldKey });
    radio.checked = field.fieldKey === view.field;
    radio.disabled = !editable;
    radio.addEventListener("change", () => { choose(field.fieldKey); renderFields(); renderPage(); });
    const rowsLabelled = new Set(cells.map((l) => l.label.split("/")[1])).size;
    const shown = columns ? (rowsLabelled ? `${rowsLabelled} rows` : "")
      : label ? (label.labelType === "region" ? "(region)" : labelText(label)) : "";
    const remove = linkButton("Delete", `Delete the field ${field.fieldKey}`);
    remove.addEventListener("click", () => {
      project.removeField(field.fieldKey);
      if (view.field === field.fieldKey) choose(labelable()[0]?.fieldKey || null);
      render();
    });
    const clear = linkButton("Clear", `Clear ${field.fieldKey} on this document`);
    clear.addEventListener("click", () => {
      clearLabel(doc, path);
      if (columns) doc.labels = doc.labels.filter((l) => !l.label.startsWith(`${path}/`));
      render();
    });
    clear.disabled = !label && !cells.length;
    const rename = linkButton("Rename", `Rename the field ${field.fieldKey}`);
    rename.addEventListener("click", () => { view.renaming = field.fieldKey; renderFields(); });
    const name = view.renaming === field.fieldKey ? renamer(field, id)
      : el("label", { for: id }, swatch(path),
        `${field.fieldKey} `, el("small", { text: editable ? field.fieldType : `${field.fieldType} (kept as loaded)` }));
    const cellPicker = columns && field.fieldKey === view.field ? tableControls(field, columns, cells) : null;
    return el("li", { "data-field": field.fieldKey },
      radio, name, el("span", { class: "label-value", text: shown }), clear, rename, remove, cellPicker);
  });
  box.replaceChildren(el("fieldset", {}, el("legend", { text: "Label the words with" }),
    el("ul", { class: "label-fields" }, ...rows)));
}

// A chosen table: which cell the next words go to (row and column), and its cells on this document.
function tableControls(field, columns, cells) {
  const row = el("input", { id: "label-row", type: "number", min: "1", step: "1", size: "4" });
  row.value = String(view.row + 1);
  row.addEventListener("change", () => {
    view.row = Math.max(0, (Number.parseInt(row.value, 10) || 1) - 1);
    renderFields();
  });
  const column = el("select", { id: "label-column" }, ...columns.map((c) => el("option", { value: c, text: c })));
  column.value = view.column;
  column.addEventListener("change", () => { view.column = column.value; renderPage(); });
  const count = Math.max(view.row + 1, ...cells.map((l) => Number(l.label.split("/")[1]) + 1));
  const text = (r, c) => {
    const cell = cells.find((l) => l.label === `${escapeKey(field.fieldKey)}/${r}/${escapeKey(c)}`);
    return cell ? (cell.labelType === "region" ? "(region)" : labelText(cell)) : "";
  };
  const body = Array.from({ length: count }, (_, r) => el("tr", {}, el("th", { scope: "row", text: String(r + 1) }),
    ...columns.map((c) => el("td", { text: text(r, c) }))));
  return el("div", { class: "label-cell" },
    el("label", { for: "label-row", text: "Row " }), row, " ",
    el("label", { for: "label-column", text: "Column " }), column,
    el("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": `${field.fieldKey} on this document` },
      el("table", { class: "label-table" }, el("caption", { text: `${field.fieldKey} on this document` }),
        el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Row" }),
          ...columns.map((c) => el("th", { scope: "col", text: c })))),
        el("tbody", {}, ...body))));
}

// The field's name as a text box: Enter (or leaving it) renames the field in every label, Escape keeps it.
function renamer(field, id) {
  const input = el("input", { id: "label-field-rename", size: "18", spellcheck: "false", autocomplete: "off",
    "aria-label": `New name for the field ${field.fieldKey}`, "aria-describedby": "label-status" });
  input.value = field.fieldKey;
  const done = (keep) => {
    if (view.renaming !== field.fieldKey) return;
    view.renaming = null;
    if (!keep) {
      try {
        const from = field.fieldKey; // renameField changes the field object itself
        const name = project.renameField(from, input.value);
        if (view.field === from) view.field = name;
        status(name === from ? "" : `Renamed ${from} to ${name} in every document's labels.`);
      } catch (error) {
        status(error.message);
      }
    }
    render();
    $(id)?.focus();
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === "Escape") { event.preventDefault(); done(event.key === "Escape"); }
  });
  input.addEventListener("blur", () => done(false));
  queueMicrotask(() => { input.focus(); input.select(); });
  return input;
}

function linkButton(text, name) {
  return el("button", { type: "button", class: "link", "aria-label": name, text });
}

function current() {
  return view.doc ? project.docs.get(view.doc) : null;
}

function renderPage() {
  const box = $("label-page");
  const doc = current();
  if (!doc || !pages(doc).length) {
    box.replaceChildren();
    return;
  }
  const all = pages(doc);
  const page = all.find((p) => p.pageNumber === view.page) || all[0];
  view.page = page.pageNumber;
  const canvas = el("canvas", {
    id: "label-canvas", width: String(WIDTH), height: String(Math.round(page.height * (WIDTH / page.width))),
    tabindex: "0", role: "application", "aria-roledescription": "page to label",
    "aria-label": `Page ${page.pageNumber} of ${doc.name}: click a word or draw a region to label it with the chosen `
      + "field; "
      + "with the keyboard, the arrow keys move between words and Space labels or unlabels the word.",
    "aria-describedby": "label-status", "data-page-width": String(page.width), "data-page-height": String(page.height),
  });
  listen(canvas, doc, page);
  const picker = all.length > 1 ? pagePicker(all) : null;
  box.replaceChildren(...[picker, el("figure", {}, canvas,
    el("figcaption", { text: `${doc.name}, page ${page.pageNumber} of ${all.length} `
      + `(${page.width} × ${page.height} ${page.unit})` }))]
    .filter(Boolean));
  paint(canvas, doc, page);
  if (doc.file && BROWSER_IMAGES.includes(doc.file.type) && !view.images.has(doc.name)) {
    const image = new Image();
    image.src = URL.createObjectURL(doc.file);
    view.images.set(doc.name, null);
    image.decode().then(() => { view.images.set(doc.name, image); if (view.doc === doc.name) renderPage(); }, () => {});
  }
}

function pagePicker(all) {
  const select = el("select", { id: "label-page-number" },
    ...all.map((p) => el("option", { value: String(p.pageNumber), text: String(p.pageNumber) })));
  select.value = String(view.page);
  select.addEventListener("change", () => { view.page = Number(select.value); view.focus = -1; renderPage(); });
  return el("div", { class: "controls" }, el("label", { for: "label-page-number", text: "Page" }), select);
}

function paint(canvas, doc, page) {
  const g = canvas.getContext("2d");
  const scale = canvas.width / page.width;
  const image = view.images.get(doc.name);
  g.fillStyle = "#fff";
  g.fillRect(0, 0, canvas.width, canvas.height);
  const here = items(doc, page.pageNumber);
  if (image && page.pageNumber === 1) {
    g.drawImage(image, 0, 0, canvas.width, canvas.height);
  } else {
    // No picture of the page (a PDF, a TIFF, a project opened without its documents): the words
    // are written where the layout found them.
    g.fillStyle = "#444";
    for (const it of here.filter((i) => i.kind === "word")) {
      const height = Math.max(6, (it.polygon[7] - it.polygon[1]) * scale);
      g.font = `${Math.round(height * 0.8)}px sans-serif`;
      g.fillText(it.text, it.polygon[0] * scale, it.polygon[1] * scale + height * 0.8);
    }
  }
  const shape = (box, width, height) => {
    g.beginPath();
    for (let i = 0; i < box.length; i += 2) g.lineTo(box[i] * width, box[i + 1] * height);
    g.closePath();
  };
  g.lineWidth = 1;
  g.strokeStyle = "#1f6feb88";
  for (const it of here) { shape(it.polygon, scale, scale); g.stroke(); }
  for (const label of doc.labels) {
    for (const value of label.value.filter((v) => v.page === page.pageNumber)) {
      for (const box of value.boundingBoxes || []) {
        shape(box, canvas.width, canvas.height);
        g.fillStyle = `${colour(label.label)}40`;
        g.fill();
        g.lineWidth = 2;
        g.strokeStyle = colour(label.label);
        g.stroke();
      }
    }
  }
  const focused = here[view.focus];
  if (focused) {
    g.lineWidth = 3;
    g.strokeStyle = "#000";
    shape(focused.polygon, scale, scale);
    g.stroke();
  }
  if (view.drag && view.drag.moved) {
    const { from, to } = view.drag;
    g.setLineDash([6, 4]);
    g.lineWidth = 2;
    g.strokeStyle = view.field ? colour(currentPath()) : "#000";
    g.strokeRect(from.x, from.y, to.x - from.x, to.y - from.y);
    g.setLineDash([]);
  }
}

// ---- labelling with the mouse and the keyboard ----------------------------------------------

function listen(canvas, doc, page) {
  const at = (event) => {
    const r = canvas.getBoundingClientRect();
    return { x: (event.clientX - r.left) * (canvas.width / r.width),
      y: (event.clientY - r.top) * (canvas.height / r.height) };
  };
  canvas.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    canvas.setPointerCapture(event.pointerId);
    view.drag = { from: at(event), to: at(event), moved: false };
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!view.drag) return;
    view.drag.to = at(event);
    view.drag.moved ||= Math.hypot(view.drag.to.x - view.drag.from.x, view.drag.to.y - view.drag.from.y) > DRAG;
    if (view.drag.moved) paint(canvas, doc, page);
  });
  canvas.addEventListener("pointerup", (event) => {
    if (!view.drag) return;
    const { from, moved } = view.drag;
    const to = at(event);
    view.drag = null;
    if (moved) drawn(doc, page, canvas, from, to);
    else clicked(doc, page, canvas, to);
  });
  canvas.addEventListener("keydown", (event) => {
    const here = items(doc, page.pageNumber);
    if (!here.length) return;
    const moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    if (event.key in moves) {
      view.focus = Math.min(here.length - 1, Math.max(0, view.focus + moves[event.key]));
    } else if (event.key === "Home" || event.key === "End") {
      view.focus = event.key === "Home" ? 0 : here.length - 1;
    } else if ((event.key === " " || event.key === "Enter") && here[view.focus]) {
      toggle(doc, here[view.focus]);
    } else {
      return;
    }
    event.preventDefault();
    const it = here[view.focus];
    const path = labelOf(doc, it);
    status(`Word ${view.focus + 1} of ${here.length}: ${it.text}${path ? ` (${path})` : ""}`);
    paint(canvas, doc, page);
  });
}

function ready() {
  if (view.field) return true;
  status("Add a field first, then choose it: the words you click go to the chosen field.");
  return false;
}

function clicked(doc, page, canvas, point) {
  const scale = canvas.width / page.width;
  const x = point.x / scale;
  const y = point.y / scale;
  const hit = items(doc, page.pageNumber).find((it) => {
    const xs = it.polygon.filter((_, i) => i % 2 === 0);
    const ys = it.polygon.filter((_, i) => i % 2 === 1);
    return x >= Math.min(...xs) && x <= Math.max(...xs) && y >= Math.min(...ys) && y <= Math.max(...ys);
  });
  if (!hit || !ready()) return;
  toggle(doc, hit);
  render();
}

function toggle(doc, item) {
  if (!ready()) return;
  const path = currentPath();
  if (labelOf(doc, item) === path) unassign(doc, item);
  else assign(doc, path, [item], (n) => items(doc, n));
  status(`${item.text}: ${labelOf(doc, item) || "no field"}`);
  renderFields();
  renderFiles();
  renderDocs();
}

function drawn(doc, page, canvas, from, to) {
  if (!ready()) { paint(canvas, doc, page); return; }
  const left = Math.min(from.x, to.x) / canvas.width;
  const right = Math.max(from.x, to.x) / canvas.width;
  const top = Math.min(from.y, to.y) / canvas.height;
  const bottom = Math.max(from.y, to.y) / canvas.height;
  const inside = items(doc, page.pageNumber).filter((it) => {
    const xs = it.box.filter((_, i) => i % 2 === 0);
    const ys = it.box.filter((_, i) => i % 2 === 1);
    const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
    const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
    return cx >= left && cx <= right && cy >= top && cy <= bottom;
  });
  const path = currentPath();
  if (inside.length) {
    assign(doc, path, inside, (n) => items(doc, n));
    status(`${path}: ${inside.map((it) => it.text).join(" ")}`);
  } else {
    region(doc, path, page.pageNumber, [left, top, right, top, right, bottom, left, bottom]);
    status(`${path}: a region with no word in it`);
  }
  render();
}

function status(text) {
  $("label-status").textContent = text;
}

// ---- the project's files ---------------------------------------------------------------------

function renderFiles() {
  const files = project.files();
  const list = $("label-file-list");
  list.replaceChildren(...files.map(([name, text]) => {
    const link = el("button", { type: "button", class: "link", text: name, "aria-label": `Download ${name}` });
    link.addEventListener("click", () => save(name, new Blob([text], { type: "application/json" })));
    return el("li", {}, link, el("small", { text: ` ${text.length.toLocaleString()} bytes` }));
  }));
  const doc = current();
  showJson($("label-json"), doc ? project.labelsFile(doc) : null);
}

function save(name, blob) {
  const href = URL.createObjectURL(blob);
  const link = el("a", { href, download: name, hidden: "" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60000);
}

function trainingEntries() {
  const encoder = new TextEncoder();
  return project.files().map(([name, text]) => ({ name, bytes: encoder.encode(text) }));
}

// The folder to copy under the shared mount: the documents beside their files, as in Azure's container.
async function downloadProject() {
  const entries = trainingEntries();
  for (const doc of project.docs.values()) {
    if (doc.file) entries.push({ name: doc.name, bytes: new Uint8Array(await doc.file.arrayBuffer()) });
  }
  save("labelled-project.zip", zip(entries));
}

// ---- build and test --------------------------------------------------------------------------

async function build() {
  const readable = $("label-build-readable");
  const modelId = $("label-model-id").value.trim();
  showJson($("label-build-json"), null);
  if (!modelId) {
    showError(readable, new Error("Type a model ID first (letters, digits and . _ ~ -)."));
    return;
  }
  if (![...project.docs.values()].some((d) => d.labels.length)) {
    showError(readable, new Error("Label at least one document first (five samples are recommended)."));
    return;
  }
  const request = { modelId, buildMode: "template" };
  if ($("label-description").value.trim()) request.description = $("label-description").value.trim();
  if ($("label-overwrite").checked) request.allowOverwrite = true;
  const archive = zip(trainingEntries());
  const body = JSON.stringify({ ...request, base64Source: await base64(archive) });
  // The request as sent, with the zip's base64 left out: it is the project's files.
  $("label-build-request").textContent = describe("POST", `${BASE}/documentModels:build?${VERSION}`,
    { "Content-Type": "application/json" },
    JSON.stringify({ ...request, base64Source: `<${archive.size} bytes of zip, base64>` }), !!storedKey());
  $("label-build-code").textContent = buildCode(request, "labelled-project.zip");
  showNote(readable, "Sending the labelled files…");
  try {
    const submitted = await call("POST", `${BASE}/documentModels:build?${VERSION}`, {
      body, headers: { "Content-Type": "application/json" },
    });
    const operation = await poll(submitted.headers.get("Operation-Location"), {
      onStatus: (s) => showNote(readable, `Build ${s}…`),
    });
    showJson($("label-build-json"), operation);
    const model = operation.result;
    const type = model.docTypes[model.modelId];
    const rows = Object.entries(type.fieldSchema).map(([name, schema]) => el("tr", {},
      el("th", { scope: "row", text: name }), el("td", { text: schema.type }),
      el("td", { text: `${Math.round((type.fieldConfidence[name] ?? 0) * 100)}%` })));
    readable.replaceChildren(el("p", { text: `Model ${model.modelId} built (template).` }),
      table("Fields of the model", ["Field", "Type", "Confidence"], rows));
    await listModels(model.modelId);
  } catch (error) {
    if (error.body) showJson($("label-build-json"), error.body);
    showError(readable, error);
  }
}

function table(caption, headers, rows) {
  return el("table", { class: "label-table" }, el("caption", { text: caption }),
    el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", { scope: "col", text: h })))), el("tbody", {}, ...rows));
}

async function listModels(chosen) {
  const select = $("label-test-model");
  try {
    const { json } = await call("GET", `${BASE}/documentModels?${VERSION}`);
    const custom = (json.value || []).map((m) => m.modelId).filter((id) => !id.startsWith("prebuilt-"));
    select.replaceChildren(...custom.map((id) => el("option", { value: id, text: id })));
    if (chosen) select.value = chosen;
  } catch {
    // A key not typed yet: the list is asked again after the next build.
  }
}

async function test() {
  const readable = $("label-test-readable");
  const file = $("label-test-file").files[0];
  const modelId = $("label-test-model").value;
  $("label-test-pages").replaceChildren();
  showJson($("label-test-json"), null);
  if (!modelId || !file) {
    showError(readable, new Error(modelId ? "Choose an image or a PDF to analyze." : "Build a model first."));
    return;
  }
  showNote(readable, "Uploading…");
  try {
    const submitted = await call("POST", `${BASE}/documentModels/${encodeURIComponent(modelId)}:analyze?${VERSION}`, {
      body: file, headers: { "Content-Type": "application/octet-stream" },
      show: shown("label-test"),
    });
    const result = await poll(submitted.headers.get("Operation-Location"), {
      onStatus: (s) => showNote(readable, `Operation ${s}…`),
    });
    showJson($("label-test-json"), result);
    const [found] = result.analyzeResult.documents || [];
    const fields = Object.entries((found && found.fields) || {});
    const rows = fields.map(([name, field]) => el("tr", { "data-field": name },
      el("th", { scope: "row" }, swatch(escapeKey(name)), name),
      el("td", { text: shownValue(field) }),
      el("td", { text: field.confidence === undefined ? "" : `${Math.round(field.confidence * 100)}%` })));
    readable.replaceChildren(
      el("p", { text: `${modelId}: document confidence ${Math.round(((found && found.confidence) || 0) * 100)}%.` }),
      table("Fields found", ["Field", "Value", "Confidence"], rows));
    await drawResult(result, fields, file);
  } catch (error) {
    if (error.body) showJson($("label-test-json"), error.body);
    showError(readable, error);
  }
}

function shownValue(field) {
  const value = field.valueString ?? field.valueNumber ?? field.valueDate ?? field.valueTime ?? field.valueInteger
    ?? field.valueSelectionMark ?? field.valueSignature ?? field.content;
  return value === undefined ? "(not found)" : String(value);
}

// The tested page with each found field's region, in its field's colour.
async function drawResult(result, fields, file) {
  const page = (result.analyzeResult.pages || [])[0];
  if (!page) return;
  const doc = { name: file.name, file, ocr: result, labels: [] };
  for (const [name, field] of fields) {
    for (const region of field.boundingRegions || []) {
      const box = region.polygon.map((v, i) => (i % 2 ? v / page.height : v / page.width));
      doc.labels.push({ label: escapeKey(name), labelType: "region",
        value: [{ page: region.pageNumber, text: "", boundingBoxes: [box] }] });
    }
  }
  const canvas = el("canvas", { width: String(WIDTH), height: String(Math.round(page.height * (WIDTH / page.width))),
    role: "img",
    "aria-label": `${file.name}, page 1, with the regions of the ${fields.length} fields found` });
  $("label-test-pages").replaceChildren(el("figure", {}, canvas));
  if (BROWSER_IMAGES.includes(file.type)) {
    const image = new Image();
    image.src = URL.createObjectURL(file);
    await image.decode().then(() => view.images.set(`test:${file.name}`, image), () => {});
  }
  doc.name = `test:${file.name}`;
  paint(canvas, doc, page);
}
