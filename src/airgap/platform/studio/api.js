// Calls to this server's public APIs, as the Azure SDKs make them.
// The page may sit under a path prefix (a reverse proxy's root path): every API path is taken
// relative to the folder that serves /studio, never to a fixed origin.

const KEY_STORAGE = "airgap.studio.key";

export const root = location.pathname.replace(/\/studio\/?$/, "");

export function url(path) {
  return root + path;
}

export function storedKey() {
  try { return sessionStorage.getItem(KEY_STORAGE) || ""; } catch { return ""; }
}

export function storeKey(key) {
  try {
    if (key) sessionStorage.setItem(KEY_STORAGE, key); else sessionStorage.removeItem(KEY_STORAGE);
  } catch { /* storage disabled: the key lives in the field only */ }
}

let keyListener = () => {};

// The shell is told when the server refuses for want of a key, so it can point at the field.
export function onKeyRefused(listener) {
  keyListener = listener;
}

export class ApiFailure extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

function errorMessage(status, body) {
  if (body && typeof body === "object") {
    const error = body.error || body;
    const inner = error.innererror || error.innerError;
    const code = (inner && inner.code) || error.code;
    if (error.message) return code ? `${code}: ${error.message}` : error.message;
  }
  if (typeof body === "string" && body.trim()) return body.trim().slice(0, 500);
  return `HTTP ${status}`;
}

// One request: returns {status, headers, json, blob}; a status >= 400 throws an ApiFailure with the
// Azure envelope's message. `show`, when given, gets the request written out as the SDK sends it,
// then the request itself (code.js's `shown` writes the SDK code for it from that).
export async function call(method, path, { body, headers = {}, binary = false, show } = {}) {
  const sent = { ...headers };
  const key = storedKey();
  if (key) sent["Ocp-Apim-Subscription-Key"] = key;
  if (show) show(describe(method, path, headers, body, !!key), { method, path, headers, body });
  const response = await fetch(url(path), { method, headers: sent, body });
  const type = response.headers.get("content-type") || "";
  let json = null;
  let blob = null;
  if (binary && response.ok) {
    blob = await response.blob();
  } else {
    const text = await response.text();
    json = type.includes("json") && text ? JSON.parse(text) : text;
  }
  if (response.status === 401) keyListener();
  if (!response.ok) throw new ApiFailure(response.status, errorMessage(response.status, json), json);
  return { status: response.status, headers: response.headers, json, blob };
}

const BODY_LIMIT = 4000; // characters of a request body shown; a long series is cut, and says so

export function describe(method, path, headers, body, withKey) {
  const lines = [`${method} ${url(path)}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (withKey) lines.push("Ocp-Apim-Subscription-Key: ***");
  if (body instanceof Blob) lines.push("", `<${body.name ? `${body.name}, ` : ""}${body.size} bytes of ${body.type || "file"}>`);
  else if (typeof body === "string") lines.push("", cut(prettyIfJson(body)));
  return lines.join("\n");
}

function cut(text) {
  if (text.length <= BODY_LIMIT) return text;
  return `${text.slice(0, BODY_LIMIT)}\n… (${text.length - BODY_LIMIT} more characters, ${text.length} in all)`;
}

function prettyIfJson(text) {
  try { return JSON.stringify(JSON.parse(text), null, 2); } catch { return text; }
}

// A long-running operation: the Operation-Location of a 202, polled until it ends.
export async function poll(location, { onStatus, interval = 500, limit = 600 } = {}) {
  const target = new URL(location, window.location.href);
  // Same server: keep the path and query, whatever host name the server wrote.
  const path = target.pathname.slice(root.length) + target.search;
  for (let attempt = 0; attempt < limit; attempt += 1) {
    const { json } = await call("GET", path);
    const status = String(json.status || "").toLowerCase();
    if (onStatus) onStatus(status);
    if (status === "succeeded") return json;
    if (status === "failed" || status === "canceled" || status === "cancelled") {
      const error = json.error || (json.errors && json.errors[0]) || {};
      throw new ApiFailure(200, `The operation ${status}: ${error.message || "no reason given"}`, json);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
  throw new ApiFailure(0, "The operation did not finish while the page waited; its result stays on the server.", null);
}
