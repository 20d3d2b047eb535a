// Small DOM helpers shared by the pages; text always goes in as text nodes, never as HTML.

export function $(id) {
  return document.getElementById(id);
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function showJson(pre, value) {
  pre.textContent = value === null || value === undefined ? "" : JSON.stringify(value, null, 2);
}

export function clear(node) {
  node.replaceChildren();
}

export function showError(node, error) {
  node.replaceChildren(el("p", { class: "error", role: "alert", text: error.message || String(error) }));
}

export function showNote(node, text) {
  node.replaceChildren(el("p", { class: "note", text }));
}

// Runs `work` with the button disabled, so a slow answer cannot be asked for twice.
export async function busy(button, work) {
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    await work();
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

export function percent(score) {
  return `${Math.round((score || 0) * 100)}%`;
}

// Text with spans marked: `spans` are {offset, length, label, className} in UTF-16 code units
// (the pages ask the API for stringIndexType=Utf16CodeUnit, JavaScript's own string index).
export function markedText(text, spans) {
  const out = el("p", { class: "marked" });
  const sorted = [...spans].sort((a, b) => a.offset - b.offset || b.length - a.length);
  let at = 0;
  for (const span of sorted) {
    if (span.offset < at) continue; // overlapping spans: the first (longest) one is shown
    if (span.offset > at) out.append(text.slice(at, span.offset));
    const mark = el("mark", { class: span.className || "", title: span.label },
      text.slice(span.offset, span.offset + span.length));
    mark.append(el("small", { text: span.label }));
    out.append(mark);
    at = span.offset + span.length;
  }
  out.append(text.slice(at));
  return out;
}
