// Conversations (CLU): the projects and deployments from the authoring API, then a prediction.
import { call } from "./api.js";
import { shown } from "./code.js";
import { $, busy, el, percent, showError, showJson, showNote } from "./view.js";

const VERSION = "api-version=2023-04-01";
const AUTHORING = "/language/authoring/analyze-conversations/projects";

export async function init() {
  $("clu-run").addEventListener("click", () => busy($("clu-run"), run));
  $("clu-project").addEventListener("change", deployments);
  try {
    const { json } = await call("GET", `${AUTHORING}?${VERSION}`);
    const projects = json.value || [];
    $("clu-project").replaceChildren(...projects.map((p) => el("option", { value: p.projectName, text: p.projectName })));
    if (!projects.length) {
      showNote($("clu-readable"), "No project yet: import and train one with the authoring API, then deploy it.");
      return;
    }
    await deployments();
  } catch (error) {
    showError($("clu-readable"), error);
  }
}

async function deployments() {
  const project = encodeURIComponent($("clu-project").value);
  const select = $("clu-deployment");
  try {
    const { json } = await call("GET", `${AUTHORING}/${project}/deployments?${VERSION}`);
    const found = json.value || [];
    select.replaceChildren(...found.map((d) => el("option", { value: d.deploymentName, text: d.deploymentName })));
    if (!found.length) showNote($("clu-readable"), "This project has no deployment: deploy a trained model first.");
  } catch (error) {
    showError($("clu-readable"), error);
  }
}

async function run() {
  const readable = $("clu-readable");
  readable.replaceChildren(el("p", { class: "note", text: "Predicting…" }));
  showJson($("clu-json"), null);
  const body = JSON.stringify({
    kind: "Conversation",
    analysisInput: { conversationItem: { id: "1", participantId: "1", text: $("clu-text").value } },
    parameters: {
      projectName: $("clu-project").value, deploymentName: $("clu-deployment").value,
      stringIndexType: "Utf16CodeUnit",
    },
  });
  try {
    const { json } = await call("POST", `/language/:analyze-conversations?${VERSION}`, {
      body, headers: { "Content-Type": "application/json" },
      show: shown("clu"),
    });
    showJson($("clu-json"), json);
    const prediction = json.result.prediction;
    const box = el("div");
    box.append(el("p", { class: "big" }, "Top intent: ", el("strong", { text: prediction.topIntent || "(none)" })));
    box.append(el("ul", {}, ...(prediction.intents || []).slice(0, 5)
      .map((i) => el("li", { text: `${i.category} ${percent(i.confidenceScore)}` }))));
    const entities = prediction.entities || [];
    if (entities.length) {
      box.append(el("h4", { text: "Entities" }), el("ul", {}, ...entities
        .map((e) => el("li", { text: `${e.category}: “${e.text}” ${percent(e.confidenceScore)}` }))));
    }
    readable.replaceChildren(box);
  } catch (error) {
    if (error.body) showJson($("clu-json"), error.body);
    showError(readable, error);
  }
}
