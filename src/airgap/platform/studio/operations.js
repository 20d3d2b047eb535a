// Operations: the server itself, from the public housekeeping APIs only (the same any monitoring
// tool reads): the licence (/status), engine health (/ready, /status, /metrics), usage per service
// and meter per month or per day (/records/usage-logs/{MM}/{YYYY}?by=day) drawn as an SVG bar
// chart, the usage report to download, highlights of /metrics (requests, latencies) and the jobs in
// flight (/metrics' airgap_jobs, read from the job folder).
import { call } from "./api.js";
import { $, busy, el, showError, showNote } from "./view.js";

const MONTHS = 12;
const DAYS = 31;
const REFRESH_MS = 30000;
// Routes that watch the server rather than use it: left out of the request highlights.
const HOUSEKEEPING = new Set(["/", "/ready", "/ContainerReadiness", "/health", "/ContainerLiveness",
  "/status", "/metrics", "unmatched"]);
const HOUSEKEEPING_PREFIXES = ["/records/", "/studio", "/swagger"];

const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });
// The last months' reports, kept for the chart, the table and the CSV: `columns.month` (the
// MONTHS last months) and `columns.day` (the DAYS last days), each series' quantities per column.
let usage = { columns: { month: [], day: [] }, series: [] };
let refreshing = false;

export function init() {
  $("ops-refresh").addEventListener("click", () => busy($("ops-refresh"), refresh));
  $("ops-server").addEventListener("change", () => busy($("ops-server"), refresh));
  $("ops-meter").addEventListener("change", drawChart);
  $("ops-period").addEventListener("change", () => { drawChart(); showUsageTable(); });
  $("ops-export-month").addEventListener("click", () => busy($("ops-export-month"), exportMonth));
  $("ops-export-all").addEventListener("click", () => busy($("ops-export-all"), exportAll));
  $("ops-export-csv").addEventListener("click", exportCsv);
  fillMonths();
  refresh();
  let pending = false;
  window.addEventListener("resize", () => {
    if (pending || $("page-operations").hidden) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; drawChart(); });
  });
  // Fresh figures each time the tab is opened again, and every REFRESH_MS while the panel is in
  // view; nothing is asked for while another tab or window is shown.
  window.addEventListener("hashchange", () => { if (location.hash === "#operations") refresh(); });
  setInterval(() => {
    if (!$("page-operations").hidden && document.visibilityState === "visible") refresh();
  }, REFRESH_MS);
}

// Every section asks the server on its own: one answer failing leaves the others shown.
let again = false; // asked for while a refresh ran (another server chosen): run once more after it

async function refresh() {
  if (refreshing) {
    again = true;
    return;
  }
  refreshing = true;
  document.body.dataset.operations = "refreshing";
  try {
    const [status, ready, metrics] = await Promise.allSettled([
      call("GET", serverPath("status")), readiness(), call("GET", serverPath("metrics")),
    ]);
    if (ready.status === "fulfilled" && !$("ops-server").value) fillServers(ready.value.servers);
    const samples = metrics.status === "fulfilled" ? parseMetrics(String(metrics.value.json)) : null;
    showLicence(status, ready);
    showEngines(status, ready, samples);
    if (samples) {
      showRequests(samples);
      showJobs(samples);
    } else {
      showError($("ops-requests"), metrics.reason);
      showError($("ops-jobs"), metrics.reason);
    }
    await loadUsage();
    $("ops-updated").textContent = `Updated ${new Date().toLocaleTimeString()}.`;
  } finally {
    refreshing = false;
    document.body.dataset.operations = "shown";
  }
  if (again) {
    again = false;
    await refresh();
  }
}

// Behind the Studio image (airgap studio), each service runs in a server of its own: its merged
// /ready names them (`servers`), and /studio/servers/{name}/{status,metrics,ready} is each one's
// own answer. The choice "" is what the page's origin answers (the front: one replica of one service).
function serverPath(route) {
  const server = $("ops-server").value;
  return server ? `/studio/servers/${encodeURIComponent(server)}/${route}` : `/${route}`;
}

function fillServers(servers) {
  if (!Array.isArray(servers) || !servers.length) return;
  const select = $("ops-server");
  const names = servers.map(String);
  if ([...select.options].slice(1).map((o) => o.value).join() === names.join()) return;
  select.replaceChildren(el("option", { value: "", text: "this origin (merged /ready; /status and /metrics of the front)" }),
    ...names.map((name) => el("option", { value: name, text: name })));
  $("ops-server-box").hidden = false;
}

// /ready answers 503 while loading or refusing, with the same body: both are an answer here.
async function readiness() {
  try {
    return (await call("GET", serverPath("ready"))).json;
  } catch (error) {
    // (a 503 envelope from the Studio, a server it cannot reach, is an error, not a readiness)
    if (error.status === 503 && error.body && typeof error.body.services === "object") return error.body;
    throw error;
  }
}

// ---- licence ------------------------------------------------------------------------------

// A disconnected licence's /status message: "language: licence ID valid until 2027-01-01T00:00:00Z; ...".
const VALID_UNTIL = /^(?:([\w-]+): )?licence (\S+) valid until (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)(?: \((.*)\))?$/;
const EXPIRED_AT = /expired at (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)/;

export function licences(message) {
  return String(message || "").split("; ").map((part) => VALID_UNTIL.exec(part.trim())).filter(Boolean)
    .map(([, service, id, expires, overage]) => ({ service: service || "", id, expires, overage: overage || "" }));
}

function daysLeft(iso) {
  return Math.floor((Date.parse(iso) - Date.now()) / 86400000);
}

function showLicence(status, ready) {
  const box = $("ops-licence");
  if (status.status !== "fulfilled") {
    showError(box, status.reason);
    return;
  }
  const { apiStatus, apiStatusMessage } = status.value.json;
  const good = apiStatus === "Valid";
  const out = [el("p", {}, el("span", { class: `badge ${good ? "ok" : "bad"}`, text: apiStatus }), " ",
    apiStatusMessage || "")];
  const found = licences(apiStatusMessage);
  if (found.length) {
    out.push(table(["Service", "Licence", "Expires (UTC)", "Days left", "Overage"], found.map((l) => {
      const days = daysLeft(l.expires);
      return [l.service || "all", l.id, l.expires.replace("T", " ").replace("Z", ""),
        { text: String(days), class: days < 14 ? "warn" : "" }, l.overage || "none"];
    }), "Licences in force"));
  }
  const expired = EXPIRED_AT.exec(apiStatusMessage || "");
  if (expired) out.push(el("p", { class: "error", text: `Expired ${-daysLeft(expired[1])} days ago (${expired[1]}).` }));
  if (ready.status === "fulfilled" && ready.value.reason) {
    out.push(el("p", { class: "error", text: `Not serving: ${ready.value.reason}` }));
  }
  box.replaceChildren(...out);
}

// ---- engines ------------------------------------------------------------------------------

function showEngines(status, ready, samples) {
  const box = $("ops-engines");
  if (ready.status !== "fulfilled") {
    showError(box, ready.reason);
    return;
  }
  const out = [];
  const services = Object.entries(ready.value.services || {});
  out.push(table(["Service", "State"], services.map(([name, state]) => [name, stateCell(state, "ready")]),
    "Hosted services"));
  const models = (samples || []).filter((s) => s.name === "airgap_model_loaded");
  if (models.length) {
    out.push(table(["Service", "Engine", "Model"], models.map((s) => [s.labels.service, s.labels.engine,
      stateCell(s.value >= 1 ? "loaded" : "not loaded", "loaded")]), "Engine models in this process"));
  }
  const processes = status.status === "fulfilled" ? status.value.json.processes || [] : [];
  if (processes.length) {
    out.push(table(["Process", "Service", "State", "PID", "Restarts", "Reason"], processes.map((p) => [
      p.name, p.service, stateCell(p.state, "healthy"), p.pid ?? "", String(p.restarts),
      p.reason || (p.nextAttempt ? `next attempt ${p.nextAttempt}` : "")]), "Engine processes"));
  } else {
    out.push(note("No engine runs in a process of its own: every engine is inside the server."));
  }
  box.replaceChildren(...out);
}

function stateCell(state, good) {
  return { text: state, class: state === good ? "ok" : "bad" };
}

// ---- /metrics -----------------------------------------------------------------------------

// Prometheus text format: `name{label="value",...} number`; comments and blank lines skipped.
export function parseMetrics(text) {
  const samples = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const match = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels = {};
    for (const [, name, value] of (match[2] || "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[name] = value.replace(/\\(.)/g, (_, c) => (c === "n" ? "\n" : c));
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

function housekeeping(route) {
  return HOUSEKEEPING.has(route) || HOUSEKEEPING_PREFIXES.some((p) => route.startsWith(p));
}

// A quantile from cumulative histogram buckets, linear within the bucket it falls in.
export function quantile(buckets, q) {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted.length ? sorted[sorted.length - 1].count : 0;
  if (!total) return null;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const { le, count } of sorted) {
    if (count >= rank) {
      if (le === Infinity) return lower; // beyond the last bound: the bound is all that is known
      return lower + ((le - lower) * (rank - below)) / Math.max(count - below, 1);
    }
    lower = le;
    below = count;
  }
  return lower;
}

// name_bucket/_sum/_count samples grouped by `key(labels)`.
function histograms(samples, name, key) {
  const out = new Map();
  const entry = (labels) => {
    const k = key(labels);
    if (!out.has(k)) out.set(k, { labels, buckets: [], sum: 0, count: 0 });
    return out.get(k);
  };
  for (const s of samples) {
    if (s.name === `${name}_bucket`) entry(s.labels).buckets.push({ le: Number(s.labels.le), count: s.value });
    else if (s.name === `${name}_sum`) entry(s.labels).sum = s.value;
    else if (s.name === `${name}_count`) entry(s.labels).count = s.value;
  }
  return out;
}

function seconds(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return "";
  return value < 1 ? `${number.format(Math.round(value * 10000) / 10)} ms` : `${number.format(value)} s`;
}

function showRequests(samples) {
  const routes = new Map();
  let watching = 0;
  for (const s of samples.filter((x) => x.name === "airgap_requests_total")) {
    if (housekeeping(s.labels.route)) {
      watching += s.value;
      continue;
    }
    const k = `${s.labels.method} ${s.labels.route}`;
    const row = routes.get(k) || { requests: 0, errors: 0 };
    row.requests += s.value;
    if (Number(s.labels.status) >= 400) row.errors += s.value;
    routes.set(k, row);
  }
  const latency = histograms(samples, "airgap_request_seconds", (l) => `${l.method} ${l.route}`);
  const rows = [...routes.entries()].sort((a, b) => b[1].requests - a[1].requests).map(([k, r]) => {
    const h = latency.get(k);
    return [k, number.format(r.requests), number.format(r.errors),
      h && h.count ? seconds(h.sum / h.count) : "", h ? seconds(quantile(h.buckets, 0.95)) : ""];
  });
  const total = [...routes.values()].reduce((n, r) => n + r.requests, 0);
  const out = [el("p", { text: `${number.format(total)} API requests since the server started `
    + `(and ${number.format(watching)} to its housekeeping routes: status, metrics, reports, this page).` })];
  if (rows.length) out.push(table(["Route", "Requests", "Errors", "Mean", "95th percentile"], rows, "API requests by route"));
  const engines = histograms(samples, "airgap_inference_seconds", (l) => l.engine);
  if (engines.size) {
    out.push(table(["Engine", "Calls", "Mean", "95th percentile"], [...engines.values()].map((h) => [
      h.labels.engine, number.format(h.count), h.count ? seconds(h.sum / h.count) : "",
      seconds(quantile(h.buckets, 0.95))]), "Time inside each engine"));
  }
  const records = samples.find((s) => s.name === "airgap_usage_records_total");
  if (records) out.push(note(`${number.format(records.value)} usage records written since the server started.`));
  $("ops-requests").replaceChildren(...out);
}

// Jobs not finished yet, per service, kind and status, from airgap_jobs and
// airgap_jobs_oldest_age_seconds (the job folder's figures, the same from every worker and replica).
export function jobRows(samples) {
  const key = (l) => `${l.service}\u0000${l.kind}\u0000${l.status}`;
  const oldest = new Map(samples.filter((x) => x.name === "airgap_jobs_oldest_age_seconds")
    .map((x) => [key(x.labels), x.value]));
  return samples.filter((x) => x.name === "airgap_jobs" && x.value > 0)
    .map((x) => ({ ...x.labels, jobs: x.value, oldest: oldest.get(key(x.labels)) }))
    .sort((a, b) => a.service.localeCompare(b.service) || a.kind.localeCompare(b.kind) || a.status.localeCompare(b.status));
}

function age(value) {
  if (value === undefined) return "";
  if (value < 90) return `${Math.round(value)} s`;
  return value < 5400 ? `${Math.round(value / 60)} min` : `${number.format(Math.round(value / 360) / 10)} h`;
}

// The jobs in flight, the long-running operations accepted (202) by route, and streams open now.
function showJobs(samples) {
  const jobs = jobRows(samples);
  const out = [jobs.length
    ? table(["Service", "Kind", "Status", "Jobs", "Oldest"], jobs.map((j) => [j.service, j.kind, j.status,
      number.format(j.jobs), age(j.oldest)]), "Jobs in flight (every process sharing the job folder)")
    : el("p", { text: "No job in flight." })];
  const accepted = new Map();
  for (const s of samples.filter((x) => x.name === "airgap_requests_total" && x.labels.status === "202")) {
    const k = `${s.labels.method} ${s.labels.route}`;
    accepted.set(k, (accepted.get(k) || 0) + s.value);
  }
  const open = samples.find((s) => s.name === "airgap_websockets_open");
  out.push(el("p", { text: `${number.format(open ? open.value : 0)} websocket streams open now.` }));
  if (accepted.size) {
    out.push(table(["Route", "Accepted"], [...accepted].map(([k, n]) => [k, number.format(n)]),
      "Long-running operations accepted since the server started"));
  } else {
    out.push(note("No long-running operation (job, read, analyze) was accepted since the server started."));
  }
  $("ops-jobs").replaceChildren(...out);
}

// ---- usage --------------------------------------------------------------------------------

// The last MONTHS months, oldest first, as {month, year, key: "2026-12"} in UTC (reports go by UTC).
export function lastMonths(now = new Date(), count = MONTHS) {
  const out = [];
  for (let back = count - 1; back >= 0; back -= 1) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1));
    const month = d.getUTCMonth() + 1;
    out.push({ month, year: d.getUTCFullYear(), key: `${d.getUTCFullYear()}-${String(month).padStart(2, "0")}` });
  }
  return out;
}

// The last `count` UTC days, oldest first, as {key: "2026-12-05", day, month, year}.
export function lastDays(now = new Date(), count = DAYS) {
  const out = [];
  for (let back = count - 1; back >= 0; back -= 1) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - back));
    out.push({ key: d.toISOString().slice(0, 10), day: d.getUTCDate(), month: d.getUTCMonth() + 1, year: d.getUTCFullYear() });
  }
  return out;
}

// `byDay`: with each UTC day's meters too (`?by=day`, an airgap extension of Azure's report).
function reportPath({ month, year }, byDay = false) {
  return `/records/usage-logs/${String(month).padStart(2, "0")}/${year}${byDay ? "?by=day" : ""}`;
}

// One service answers Azure's object; several, a list of them.
function services(report) {
  return Array.isArray(report) ? report : [report];
}

async function loadUsage() {
  const months = lastMonths();
  const days = lastDays();
  const dayAt = new Map(days.map((d, i) => [d.key, i]));
  let reports;
  try {
    reports = await Promise.all(months.map(async (m) => (await call("GET", reportPath(m, true))).json));
  } catch (error) {
    $("ops-chart-svg").setAttribute("hidden", "");
    showError($("ops-chart-note"), error);
    return;
  }
  const series = new Map(); // "service · meter" -> quantities by month and by day
  const entry = (service, meter) => {
    const key = `${service}\u0000${meter}`;
    if (!series.has(key)) {
      series.set(key, { service, meter, values: { month: months.map(() => 0), day: days.map(() => 0) } });
    }
    return series.get(key).values;
  };
  reports.forEach((report, i) => {
    for (const s of services(report)) {
      for (const m of s.meters || []) entry(s.serviceName, m.name).month[i] += m.quantity;
      for (const d of s.days || []) {
        if (!dayAt.has(d.date)) continue; // older than the days shown
        for (const m of d.meters) entry(s.serviceName, m.name).day[dayAt.get(d.date)] += m.quantity;
      }
    }
  });
  usage = { columns: { month: months, day: days }, series: [...series.values()] };
  fillMeters();
  drawChart();
  showUsageTable();
}

function shortMeter(name) {
  return name.replace(/^.*\.Container\./, "");
}

function seriesLabel(s) {
  return `${s.service} · ${shortMeter(s.meter)}`;
}

function fillMeters() {
  const select = $("ops-meter");
  const chosen = select.value;
  select.replaceChildren(...usage.series.map((s, i) => el("option", { value: String(i), text: seriesLabel(s) })));
  const keep = usage.series.findIndex((s, i) => String(i) === chosen);
  // The meter chosen before a refresh stays chosen; at first, the one used most this month.
  if (keep >= 0) select.value = chosen;
  else if (usage.series.length) {
    const last = MONTHS - 1;
    const busiest = usage.series.reduce((best, s, i) => (s.values.month[last] > usage.series[best].values.month[last]
      ? i : best), 0);
    select.value = String(busiest);
  }
  select.disabled = !usage.series.length;
}

function monthName(month, year) {
  return new Date(Date.UTC(year, month - 1, 1)).toLocaleString(undefined, { month: "short", timeZone: "UTC" });
}

function monthLabel({ month, year }, first) {
  const name = monthName(month, year);
  return month === 1 || first ? `${name} ${year}` : name;
}

// A day's axis label: its number, with the month's name on the first bar and on each 1st.
function dayLabel({ day, month, year }, first) {
  return day === 1 || first ? `${day} ${monthName(month, year)}` : String(day);
}

function period() {
  return $("ops-period").value === "day" ? "day" : "month";
}

// A nice upper bound for the axis: 1, 2 or 5 times a power of ten.
export function niceMax(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((f) => f * power).find((v) => v >= value);
}

// The chart's <svg> is in the page's markup; what it holds is made in its namespace.
function svg(tag, attrs = {}, text) {
  const node = document.createElementNS($("ops-chart-svg").namespaceURI, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function drawChart() {
  const box = $("ops-chart");
  const chart = $("ops-chart-svg");
  const s = usage.series[Number($("ops-meter").value)];
  const per = period();
  const columns = usage.columns[per];
  const values = s ? s.values[per] : [];
  const empty = !values.some((v) => v);
  chart.toggleAttribute("hidden", empty);
  if (empty) {
    $("ops-chart-title").textContent = `Usage per ${per}`;
    showNote($("ops-chart-note"), !s ? "No usage was recorded in the last twelve months."
      : `No ${shortMeter(s.meter)} of ${s.service} was recorded in the last ${per === "day" ? `${DAYS} days` : "twelve months"}.`);
    return;
  }
  $("ops-chart-note").replaceChildren();
  // Drawn at the box's own width, so that the axis text keeps its size on a phone.
  const width = Math.max(300, Math.min(960, box.clientWidth || 720));
  const height = 260;
  const left = 64;
  const bottom = 34;
  const top = 14;
  const plot = height - top - bottom;
  const max = niceMax(Math.max(...values));
  const step = (width - left - 8) / values.length;
  const y = (v) => top + plot - (v * plot) / max;
  const title = `${shortMeter(s.meter)} of ${s.service} per ${per}`;
  $("ops-chart-title").textContent = `${title} (UTC)`;
  chart.setAttribute("viewBox", `0 0 ${width} ${height}`);
  chart.replaceChildren(svg("desc", { id: "ops-chart-desc" }, columns.map((m, i) =>
    `${m.key}: ${number.format(values[i])}`).join("; ")));
  // Days are narrow: a label on every bar that has room, else on every week's first day shown.
  const labelled = (i) => per === "month" || step >= 30 || (columns.length - 1 - i) % 7 === 0;
  for (let tick = 0; tick <= 4; tick += 1) {
    const v = (max * tick) / 4;
    chart.append(svg("line", { x1: left, x2: width - 8, y1: y(v), y2: y(v), class: "grid" }));
    chart.append(svg("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end", class: "axis" }, number.format(v)));
  }
  values.forEach((v, i) => {
    const x = left + i * step;
    const bar = svg("rect", { x: x + step * 0.15, y: y(v), width: step * 0.7, height: Math.max(0, y(0) - y(v)),
      class: "bar", "data-value": v });
    bar.append(svg("title", {}, `${columns[i].key}: ${number.format(v)} ${shortMeter(s.meter)}`));
    chart.append(bar);
    if (!labelled(i)) return;
    const text = per === "day" ? dayLabel(columns[i], i === 0)
      : step >= 44 ? monthLabel(columns[i], i === 0) : columns[i].key.slice(5);
    chart.append(svg("text", { x: x + step / 2, y: height - bottom + 16, "text-anchor": "middle", class: "axis" }, text));
  });
}

function showUsageTable() {
  const box = $("ops-usage");
  if (!usage.series.length) {
    box.replaceChildren();
    return;
  }
  const per = period();
  const rows = usage.series.map((s) => [s.service, shortMeter(s.meter),
    ...s.values[per].map((v) => (v ? number.format(v) : ""))]);
  box.replaceChildren(table(["Service", "Meter", ...usage.columns[per].map((m) => m.key)], rows,
    `Usage per service and meter, ${per} by ${per} (UTC)`));
}

// ---- export -------------------------------------------------------------------------------

function fillMonths() {
  const select = $("ops-month");
  select.replaceChildren(...lastMonths().reverse().map((m) => el("option", { value: m.key, text: m.key })));
}

function download(name, text, type) {
  const href = URL.createObjectURL(new Blob([text], { type }));
  const link = el("a", { href, download: name, hidden: "" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60000);
}

async function exportMonth() {
  const [year, month] = $("ops-month").value.split("-").map(Number);
  try {
    const { json } = await call("GET", reportPath({ month, year }));
    download(`usage-logs-${$("ops-month").value}.json`, JSON.stringify(json, null, 2), "application/json");
    $("ops-export-note").textContent = "";
  } catch (error) {
    showError($("ops-export-note"), error);
  }
}

async function exportAll() {
  try {
    const { json } = await call("GET", "/records/usage-logs");
    download("usage-logs-all.json", JSON.stringify(json, null, 2), "application/json");
    $("ops-export-note").textContent = "";
  } catch (error) {
    showError($("ops-export-note"), error);
  }
}

function csvCell(value) {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// The table as shown: month by month or day by day.
function exportCsv() {
  const per = period();
  const lines = [["serviceName", "meter", ...usage.columns[per].map((m) => m.key)]];
  for (const s of usage.series) lines.push([s.service, s.meter, ...s.values[per]]);
  download(`usage-by-${per}.csv`, `${lines.map((l) => l.map(csvCell).join(",")).join("\r\n")}\r\n`, "text/csv");
}

// ---- tables -------------------------------------------------------------------------------

function note(text) {
  return el("p", { class: "note", text });
}

// A table in a scrolling box (wide tables scroll inside it, not the page); cells are text, or
// {text, class} for a state to colour.
function table(headers, rows, caption) {
  const head = el("tr", {}, ...headers.map((h) => el("th", { scope: "col", text: h })));
  const body = rows.map((row) => el("tr", {}, ...row.map((cell, i) => {
    const value = cell && typeof cell === "object" ? cell : { text: cell };
    const attrs = { class: value.class || "", text: String(value.text ?? "") };
    return i === 0 ? el("th", { scope: "row", ...attrs }) : el("td", attrs);
  })));
  return el("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": caption },
    el("table", { class: "ops-table" }, el("caption", { text: caption }), el("thead", {}, head),
      el("tbody", {}, ...body)));
}
