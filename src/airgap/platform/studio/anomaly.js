// Anomaly Detector: a series pasted as "timestamp,value" lines (or values alone), detected whole;
// the values, the expected band and the anomalies drawn on a canvas.
import { call } from "./api.js";
import { shown } from "./code.js";
import { $, busy, el, showError, showJson, showNote } from "./view.js";

const WIDTH = 720;
const HEIGHT = 220;

export function init() {
  $("ad-run").addEventListener("click", () => busy($("ad-run"), run));
  if (!$("ad-series").value.trim()) $("ad-series").value = sample();
}

// A week of hourly values with a daily cycle and one spike, so the button shows something.
function sample() {
  const start = Date.UTC(2026, 0, 1);
  const lines = [];
  for (let h = 0; h < 168; h += 1) {
    const value = 100 + 20 * Math.sin((2 * Math.PI * h) / 24) + (h === 100 ? 45 : 0) + ((h * 7) % 5) - 2;
    lines.push(`${new Date(start + h * 3600e3).toISOString().replace(".000Z", "Z")},${value.toFixed(1)}`);
  }
  return lines.join("\n");
}

function parseSeries(text) {
  return text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).map((line) => {
    const cells = line.split(/[,;\t]/).map((c) => c.trim());
    const value = Number(cells[cells.length - 1]);
    return cells.length > 1 ? { timestamp: cells[0], value } : { value };
  });
}

function chart(series, answer) {
  const values = series.map((p) => p.value);
  const upper = answer.expectedValues.map((e, i) => e + answer.upperMargins[i]);
  const lower = answer.expectedValues.map((e, i) => e - answer.lowerMargins[i]);
  const all = [...values, ...upper, ...lower];
  const min = Math.min(...all);
  const span = Math.max(...all) - min || 1;
  const x = (i) => (i * (WIDTH - 20)) / Math.max(values.length - 1, 1) + 10;
  const y = (v) => HEIGHT - 10 - ((v - min) * (HEIGHT - 20)) / span;
  const canvas = el("canvas", { width: WIDTH, height: HEIGHT, class: "chart", role: "img",
    "aria-label": "The series (line), its expected band (shaded) and the anomalies (dots)" });
  const ctx = canvas.getContext("2d");
  const colour = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  ctx.fillStyle = "#ddf4ff";
  ctx.beginPath();
  upper.forEach((v, i) => (i ? ctx.lineTo(x(i), y(v)) : ctx.moveTo(x(i), y(v))));
  for (let i = lower.length - 1; i >= 0; i -= 1) ctx.lineTo(x(i), y(lower[i]));
  ctx.closePath();
  ctx.fill();
  ctx.strokeStyle = colour("--accent");
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  values.forEach((v, i) => (i ? ctx.lineTo(x(i), y(v)) : ctx.moveTo(x(i), y(v))));
  ctx.stroke();
  ctx.fillStyle = colour("--negative");
  answer.isAnomaly.forEach((flag, i) => {
    if (!flag) return;
    ctx.beginPath();
    ctx.arc(x(i), y(values[i]), 5, 0, 2 * Math.PI);
    ctx.fill();
  });
  return canvas;
}

async function run() {
  const readable = $("ad-readable");
  showJson($("ad-json"), null);
  const series = parseSeries($("ad-series").value);
  const body = { series, granularity: $("ad-granularity").value, sensitivity: Number($("ad-sensitivity").value) };
  try {
    const { json } = await call("POST", "/anomalydetector/v1.1/timeseries/entire/detect", {
      body: JSON.stringify(body), headers: { "Content-Type": "application/json" },
      show: shown("ad"),
    });
    showJson($("ad-json"), json);
    const found = json.isAnomaly.map((flag, i) => (flag ? i : -1)).filter((i) => i >= 0);
    const box = el("div");
    box.append(el("p", { class: "big" }, `Period ${json.period || "none"}; `,
      el("strong", { text: `${found.length} anomal${found.length === 1 ? "y" : "ies"}` })));
    box.append(chart(series, json));
    if (found.length) {
      box.append(el("ul", {}, ...found.map((i) => el("li", {
        text: `#${i} ${series[i].timestamp || ""} ${series[i].value}: expected ${json.expectedValues[i].toFixed(2)}, `
          + `severity ${json.severity[i].toFixed(2)} (${json.isPositiveAnomaly[i] ? "above" : "below"})`,
      }))));
    } else {
      showNote(box.appendChild(el("div")), "No anomaly at this sensitivity.");
    }
    readable.replaceChildren(box);
  } catch (error) {
    if (error.body) showJson($("ad-json"), error.body);
    showError(readable, error);
  }
}
