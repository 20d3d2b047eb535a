// The Studio's shell: which services this server hosts (GET /ready), the key field, the tabs.
import { onKeyRefused, storedKey, storeKey, url } from "./api.js";
import { $, el } from "./view.js";
import * as language from "./language.js";
import * as translator from "./translator.js";
import * as speech from "./speech.js";
import * as ocr from "./ocr.js";
import * as conversations from "./conversations.js";
import * as anomaly from "./anomaly.js";
import * as operations from "./operations.js";
import * as label from "./label.js";

// Service name (as /ready lists it) -> its page. Services without a page here are not shown.
const PAGES = [
  { service: "language", id: "language", title: "Language", init: language.init },
  { service: "translator", id: "translator", title: "Translator", init: translator.init },
  { service: "speech", id: "speech", title: "Speech", init: speech.init },
  { service: "vision", id: "vision", title: "Vision Read", init: () => ocr.init("vision") },
  { service: "document", id: "document", title: "Document layout", init: () => ocr.init("document") },
  { service: "document", id: "label", title: "Label documents", init: label.init },
  { service: "conversations", id: "conversations", title: "Conversations", init: conversations.init },
  { service: "anomaly", id: "anomaly", title: "Anomaly Detector", init: anomaly.init },
];

// Pages about the server itself, shown whatever it hosts, in their own tab list after the services'.
const SERVER_PAGES = [
  { id: "operations", title: "Operations", init: operations.init },
];

const started = new Set();
let hosted = [];

function setUpKey() {
  const field = $("key");
  field.value = storedKey();
  field.addEventListener("input", () => {
    storeKey(field.value.trim());
    $("key-note").textContent = "";
  });
  $("key-form").addEventListener("submit", (event) => event.preventDefault());
  onKeyRefused(() => {
    $("key-note").textContent = "This server needs a subscription key (401): type it here and try again.";
    field.focus();
  });
}

function show(id) {
  const page = hosted.find((p) => p.id === id) || hosted[0];
  if (!page) return;
  for (const p of [...PAGES, ...SERVER_PAGES]) $(`page-${p.id}`).hidden = p !== page;
  for (const tab of document.querySelectorAll("#nav button, #nav-server button")) {
    tab.setAttribute("aria-current", tab.dataset.page === page.id ? "page" : "false");
  }
  if (!started.has(page.id)) {
    started.add(page.id);
    page.init();
  }
}

async function readiness() {
  // /ready answers 503 while models load, with the same list of services.
  const response = await fetch(url("/ready"), { headers: { Accept: "application/json" } });
  return response.json();
}

async function start() {
  setUpKey();
  let state;
  try {
    state = await readiness();
  } catch (error) {
    $("server-state").textContent = `The server did not say which services it hosts: ${error.message}`;
    return;
  }
  const names = Object.keys(state.services || {});
  hosted = PAGES.filter((p) => names.includes(p.service));
  const tabFor = (page) => {
    const tab = el("button", { type: "button", "data-page": page.id, text: page.title });
    tab.addEventListener("click", () => { location.hash = page.id; });
    return tab;
  };
  $("nav").append(...hosted.map(tabFor));
  $("nav-server").append(...SERVER_PAGES.map(tabFor));
  if (hosted.length) reportState(state);
  else $("server-state").textContent = `This server hosts no service the Studio has a page for (${names.join(", ") || "none"}).`;
  hosted = [...hosted, ...SERVER_PAGES];
  window.addEventListener("hashchange", () => show(location.hash.slice(1)));
  show(location.hash.slice(1));
}

// While models load, say so and look again; the pages' own calls wait on the server meanwhile.
function reportState(state) {
  const note = $("server-state");
  if (state.status === "ready") {
    note.textContent = "";
    return;
  }
  const loading = Object.entries(state.services || {}).filter(([, s]) => s !== "ready").map(([n]) => n);
  note.textContent = `Not ready yet: ${state.reason || `loading ${loading.join(", ")}`}`;
  setTimeout(async () => {
    try { reportState(await readiness()); } catch { /* the next look will tell */ }
  }, 2000);
}

document.body.dataset.studio = "starting";
start().finally(() => { document.body.dataset.studio = "started"; });
