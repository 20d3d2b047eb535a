// A labelling project held in the page: documents, their layout result (`<doc>.ocr.json`), the
// fields (`fields.json`) and each document's labels (`<doc>.labels.json`), in the formats of
// Azure's Document Intelligence Studio, so that files move between the two both ways:
//   fields.json  {"$schema", "fields": [{"fieldKey", "fieldType", "fieldFormat"}], "definitions"}
//   labels.json  {"$schema", "document", "labels": [{"label", "labelType"?, "value": [{"page",
//                "text", "boundingBoxes": [[x1, y1, ... x4, y4]]}]}]}, one value per word and
//                boxes in fractions of the page; a drawn region is one value, labelType "region".
//   ocr.json     the prebuilt-layout analyze operation's JSON, as the server answered it.
// No DOM here: label.js draws and listens.

// JSON Schema identifiers that Azure's Studio writes into the files; names only, never fetched.
export const FIELDS_SCHEMA = "https://schema.cognitiveservices.azure.com/formrecognizer/2021-03-01/fields.json";
export const LABELS_SCHEMA = "https://schema.cognitiveservices.azure.com/formrecognizer/2021-03-01/labels.json";
// The field types labelled here by words or regions, and TABLE, a dynamic table (Azure's "array"
// of row objects: `Items/<row>/<column>` labels, its columns in `definitions`); a fixed table
// ("object" of rows) loaded from a file is kept as it is, with its labels, but not edited.
export const FIELD_TYPES = ["string", "number", "date", "time", "integer", "selectionMark", "signature"];
export const TABLE = "array";
const SAME_BOX = 0.002; // page fraction: a label's box and a word's box are the same word

// Label paths escape '~' and '/' in field keys as JSON Pointer does ("Total/Net" -> "Total~1Net").
export function escapeKey(key) {
  return key.split("~").join("~0").split("/").join("~1");
}

export class Project {
  constructor() {
    this.fields = [];
    this.definitions = {};
    this.docs = new Map(); // document name -> {name, file, ocr, labels, state, error}
  }

  doc(name) {
    if (!this.docs.has(name)) this.docs.set(name, { name, file: null, ocr: null, labels: [], state: "new", error: "" });
    return this.docs.get(name);
  }

  addField(key, type) {
    const name = key.trim();
    if (!name) throw new Error("Type a name for the field.");
    if (this.fields.some((f) => f.fieldKey === name)) throw new Error(`There is a field named '${name}' already.`);
    if (!FIELD_TYPES.includes(type)) throw new Error(`'${type}' is not a field type this page labels.`);
    this.fields.push({ fieldKey: name, fieldType: type, fieldFormat: "not-specified" });
    return name;
  }

  // A dynamic table: an "array" field whose rows are objects of `columns` (strings), as Azure's
  // Studio writes one: the row type in `definitions` under "<key>_object".
  addTable(key, columns) {
    const name = key.trim();
    const names = columns.map((c) => c.trim()).filter(Boolean);
    if (!name) throw new Error("Type a name for the table.");
    if (this.fields.some((f) => f.fieldKey === name)) throw new Error(`There is a field named '${name}' already.`);
    if (!names.length) throw new Error("Name the table's columns, separated by commas (Description, Quantity…).");
    if (new Set(names).size !== names.length) throw new Error("Two of the columns have the same name.");
    const itemType = `${name}_object`;
    this.definitions[itemType] = { fieldKey: itemType, fieldType: "object", fieldFormat: "not-specified", itemType: null,
      fields: names.map((c) => ({ fieldKey: c, fieldType: "string", fieldFormat: "not-specified" })) };
    this.fields.push({ fieldKey: name, fieldType: TABLE, fieldFormat: "not-specified", itemType });
    return name;
  }

  // A dynamic table's column names, or null for any other field.
  columns(field) {
    if (!field || field.fieldType !== TABLE) return null;
    const row = this.definitions[field.itemType];
    return row && Array.isArray(row.fields) ? row.fields.map((c) => c.fieldKey) : [];
  }

  // A new name for a field, carried into every label of every document that uses it (the label
  // path is the escaped key, and a table's cells are `<key>/<row>/<column>` under it).
  renameField(from, to) {
    const name = to.trim();
    const field = this.fields.find((f) => f.fieldKey === from);
    if (!field) throw new Error(`There is no field named '${from}'.`);
    if (!name) throw new Error("Type a name for the field.");
    if (name === from) return name;
    if (this.fields.some((f) => f.fieldKey === name)) throw new Error(`There is a field named '${name}' already.`);
    const [before, after] = [escapeKey(from), escapeKey(name)];
    field.fieldKey = name;
    for (const doc of this.docs.values()) {
      for (const label of doc.labels) {
        if (label.label === before) label.label = after;
        else if (label.label.startsWith(`${before}/`)) label.label = after + label.label.slice(before.length);
      }
    }
    return name;
  }

  // A field goes with its labels in every document, as Azure's Studio does.
  removeField(key) {
    const path = escapeKey(key);
    const field = this.fields.find((f) => f.fieldKey === key);
    if (field && field.itemType && !this.fields.some((f) => f !== field && f.itemType === field.itemType)) {
      delete this.definitions[field.itemType];
    }
    this.fields = this.fields.filter((f) => f.fieldKey !== key);
    for (const doc of this.docs.values()) {
      doc.labels = doc.labels.filter((l) => l.label !== path && !l.label.startsWith(`${path}/`));
    }
  }

  loadFields(json) {
    if (!json || !Array.isArray(json.fields) || json.fields.some((f) => !f || typeof f.fieldKey !== "string")) {
      throw new Error("fields.json must hold a 'fields' list of {fieldKey, fieldType}.");
    }
    this.fields = json.fields;
    this.definitions = json.definitions || {};
  }

  loadLabels(name, json) {
    if (!json || !Array.isArray(json.labels)) throw new Error(`${name} must hold a 'labels' list.`);
    this.doc(name).labels = json.labels;
  }

  fieldsFile() {
    return { $schema: FIELDS_SCHEMA, fields: this.fields, definitions: this.definitions };
  }

  labelsFile(doc) {
    return { $schema: LABELS_SCHEMA, document: doc.name, labels: doc.labels };
  }

  // The training files, name -> JSON text: fields.json, then per document its ocr.json and, when it
  // has labels, its labels.json (Azure's Studio deletes the file of a document left unlabelled).
  files() {
    const out = [["fields.json", json(this.fieldsFile())]];
    for (const doc of [...this.docs.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      if (doc.labels.length) out.push([`${doc.name}.labels.json`, json(this.labelsFile(doc))]);
      if (doc.ocr) out.push([`${doc.name}.ocr.json`, json(doc.ocr)]);
    }
    return out;
  }
}

function json(value) {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function pages(doc) {
  return (doc.ocr && doc.ocr.analyzeResult && doc.ocr.analyzeResult.pages) || [];
}

// What can be labelled on a page: its words and selection marks, with their polygon in the page's
// unit and as fractions of the page (the labels' boxes), in reading order.
export function items(doc, number) {
  const page = pages(doc).find((p) => p.pageNumber === number);
  if (!page) return [];
  const share = (polygon) => polygon.map((v, i) => (i % 2 ? v / page.height : v / page.width));
  const words = (page.words || []).map((w) => ({ kind: "word", text: w.content, polygon: w.polygon }));
  const marks = (page.selectionMarks || []).map((m) => ({ kind: "mark", text: m.state, polygon: m.polygon }));
  return [...words, ...marks].filter((it) => Array.isArray(it.polygon) && it.polygon.length >= 8)
    .map((it, index) => ({ ...it, page: number, index, box: share(it.polygon) }));
}

function sameBox(a, b) {
  return a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) <= SAME_BOX);
}

function holds(value, item) {
  const boxes = value.boundingBoxes || [];
  return value.page === item.page && boxes.length === 1 && sameBox(boxes[0], item.box);
}

// The label (field path) a word or mark is in, or null.
export function labelOf(doc, item) {
  const found = doc.labels.find((l) => l.labelType !== "region" && l.value.some((v) => holds(v, item)));
  return found ? found.label : null;
}

function take(doc, item) {
  for (const label of doc.labels) label.value = label.value.filter((v) => !holds(v, item));
  doc.labels = doc.labels.filter((l) => l.value.length);
}

// Words and marks go to `path`, leaving whatever label they were in; a region label of the path gives way.
export function assign(doc, path, chosen, order) {
  for (const item of chosen) take(doc, item);
  let label = doc.labels.find((l) => l.label === path);
  if (label && label.labelType === "region") {
    doc.labels = doc.labels.filter((l) => l !== label);
    label = null;
  }
  if (!label) {
    label = { label: path, value: [] };
    doc.labels.push(label);
  }
  for (const item of chosen) label.value.push({ page: item.page, text: item.text, boundingBoxes: [item.box] });
  // Reading order (page, then the layout's word order), so the label's text reads as printed.
  const rank = (v) => {
    const at = order(v.page).findIndex((it) => holds(v, it));
    return v.page * 1e6 + (at < 0 ? 1e5 : at);
  };
  label.value.sort((a, b) => rank(a) - rank(b));
}

export function unassign(doc, item) {
  take(doc, item);
}

// A drawn region with no word inside (a signature, an empty box): the field's one value, as Azure
// writes it (labelType "region", text ""), replacing the field's words on this document.
export function region(doc, path, page, box) {
  doc.labels = doc.labels.filter((l) => l.label !== path);
  doc.labels.push({ label: path, labelType: "region", value: [{ page, text: "", boundingBoxes: [box] }] });
}

export function clearLabel(doc, path) {
  doc.labels = doc.labels.filter((l) => l.label !== path);
}

// A label's words joined as printed.
export function labelText(label) {
  return label.value.map((v) => v.text).filter(Boolean).join(" ");
}
