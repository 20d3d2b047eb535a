// The request a panel just sent, written out twice (issue 18: "each panel shows the exact request
// and the SDK code for it"): as it went on the wire (api.js's describe) and as the Python a user of
// the official Azure SDK would write for it, pointed at this server. The Python is made here from
// the request itself (method, path, headers, body), so no panel keeps a copy of it; a panel only
// names where both go (`shown("lang")` writes #lang-request and #lang-code).
import { root } from "./api.js";
import { $ } from "./view.js";

// A `show` for api.call: it gets the request as written on the wire (api.describe) and as sent.
export function shown(prefix) {
  return (wire, request) => {
    $(`${prefix}-request`).textContent = wire;
    $(`${prefix}-code`).textContent = python(request) || "";
  };
}

// ---- Python -------------------------------------------------------------------------------------

// A JavaScript value as a Python literal (JSON's string escapes are Python's too).
export function py(value, indent = "") {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : `float("${value}")`;
  if (typeof value === "string") return JSON.stringify(value);
  const inner = `${indent}    `;
  const [open, close, items] = Array.isArray(value)
    ? ["[", "]", value.map((v) => py(v, inner))]
    : ["{", "}", Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${py(v, inner)}`)];
  // Short and flat on one line, as a person writes ["Hello"]; else one item a line.
  const flat = items.join(", ");
  if (!flat.includes("\n") && indent.length + flat.length <= 72) return `${open}${flat}${close}`;
  return `${open}\n${items.map((item) => inner + item).join(",\n")},\n${indent}${close}`;
}

function preamble(pip, imports, { azureKey = true, endpoint = ["ENDPOINT", location.origin + root] } = {}) {
  const lines = [`# pip install ${pip}`, "import os", ...imports];
  if (azureKey) lines.push("from azure.core.credentials import AzureKeyCredential");
  return [...lines, "",
    `${endpoint[0]} = ${py(endpoint[1])}  # this server, as the Studio reached it`,
    'KEY = os.environ.get("AIRGAP_KEY", "none")  # its subscription key, where it asks for one', ""];
}

// kind of analyze-text -> the TextAnalyticsClient method and what to print of its result.
const TEXT_ANALYTICS = {
  LanguageDetection: { method: "detect_language", print: [
    "print(result.primary_language.name, result.primary_language.iso6391_name, result.primary_language.confidence_score)"] },
  SentimentAnalysis: { method: "analyze_sentiment", options: ["show_opinion_mining=True"], print: [
    "print(result.sentiment, result.confidence_scores)",
    "for sentence in result.sentences:",
    "    for opinion in sentence.mined_opinions:",
    "        print(opinion.target.text, opinion.target.sentiment, [a.text for a in opinion.assessments])"] },
  EntityRecognition: { method: "recognize_entities", print: [
    "for entity in result.entities:",
    "    print(entity.text, entity.category, entity.subcategory, entity.confidence_score)"] },
  PiiEntityRecognition: { method: "recognize_pii_entities", print: [
    "print(result.redacted_text)",
    "for entity in result.entities:",
    "    print(entity.text, entity.category, entity.confidence_score)"] },
  KeyPhraseExtraction: { method: "extract_key_phrases", print: ["print(result.key_phrases)"] },
  EntityLinking: { method: "recognize_linked_entities", print: [
    "for entity in result.entities:",
    "    print(entity.name, entity.data_source, entity.url)"] },
};

function textAnalytics(body) {
  const sdk = TEXT_ANALYTICS[body.kind];
  if (!sdk) return null;
  const document = body.analysisInput.documents[0];
  const args = ["documents", ...(document.language ? [`language=${py(document.language)}`] : []), ...(sdk.options || [])];
  return [...preamble("azure-ai-textanalytics", ["from azure.ai.textanalytics import TextAnalyticsClient"]),
    "client = TextAnalyticsClient(ENDPOINT, AzureKeyCredential(KEY))",
    `documents = [${py(document.text)}]`,
    "# Offsets come in Python's string index (code points); the page asks for UTF-16 units, JavaScript's.",
    `[result] = client.${sdk.method}(${args.join(", ")})`,
    "if result.is_error:",
    "    raise SystemExit(result.error)",
    ...sdk.print];
}

function translate(query, body) {
  const args = [`body=${py(body.map((item) => item.Text))}`, `to_language=${py(query.getAll("to"))}`];
  if (query.get("from")) args.push(`from_language=${py(query.get("from"))}`);
  return [...preamble("azure-ai-translation-text", ["from azure.ai.translation.text import TextTranslationClient"]),
    "# The 2.x client sends its own api-version (2026-06-06), which this server answers too.",
    "client = TextTranslationClient(endpoint=ENDPOINT, credential=AzureKeyCredential(KEY))",
    `[item] = client.translate(${args.join(", ")})`,
    "if item.detected_language:",
    "    print(item.detected_language.language, item.detected_language.score)",
    "for translation in item.translations:",
    "    print(translation.language, translation.text)"];
}

function speechHost() {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${root}`;
}

function speechPreamble(imports = []) {
  return [...preamble("azure-cognitiveservices-speech", [...imports, "import azure.cognitiveservices.speech as speechsdk"],
    { azureKey: false, endpoint: ["HOST", speechHost()] }),
    "# The SDK speaks to the same service over its websocket, as to Azure's containers.",
    "config = speechsdk.SpeechConfig(host=HOST, subscription=KEY)"];
}

function recognize(query, file) {
  const words = query.get("wordLevelTimestamps") === "true";
  return [...speechPreamble(words ? ["import json"] : []),
    `config.speech_recognition_language = ${py(query.get("language") || "en-US")}`,
    ...(query.get("format") === "detailed" ? ["config.output_format = speechsdk.OutputFormat.Detailed"] : []),
    ...(words ? ["config.request_word_level_timestamps()  # wordLevelTimestamps=true"] : []),
    `audio = speechsdk.audio.AudioConfig(filename=${py(fileName(file, "audio.wav"))})`,
    "recognizer = speechsdk.SpeechRecognizer(speech_config=config, audio_config=audio)",
    "result = recognizer.recognize_once()",
    "print(result.reason, result.text)",
    ...(words ? ["# Each word with its offset and duration in seconds (the JSON's are 100-ns ticks).",
      'best = (json.loads(result.json).get("NBest") or [{}])[0]  # none when nothing was recognised',
      'for word in best.get("Words", []):',
      '    print(word["Word"], word["Offset"] / 1e7, word["Duration"] / 1e7)']
      : ["print(result.json)  # the service's JSON answer"])];
}

// "riff-24khz-16bit-mono-pcm" -> "Riff24Khz16BitMonoPcm", the SDK's enum member.
function outputFormat(header) {
  return header.split("-").map((part) => part.replace(/[a-z]/, (c) => c.toUpperCase())).join("");
}

function synthesize(headers, ssml) {
  const format = headers["X-Microsoft-OutputFormat"];
  return [...speechPreamble(),
    ...(format ? [`config.set_speech_synthesis_output_format(speechsdk.SpeechSynthesisOutputFormat.${outputFormat(format)})`] : []),
    'audio = speechsdk.audio.AudioOutputConfig(filename="speech.wav")',
    "synthesizer = speechsdk.SpeechSynthesizer(speech_config=config, audio_config=audio)",
    `result = synthesizer.speak_ssml_async(${py(ssml)}).get()`,
    'print(result.reason, len(result.audio_data), "bytes, written to speech.wav")'];
}

function fileName(file, otherwise) {
  return (file && file.name) || otherwise;
}

function read(file) {
  return [...preamble("azure-cognitiveservices-vision-computervision", ["import time",
    "from azure.cognitiveservices.vision.computervision import ComputerVisionClient",
    "from azure.cognitiveservices.vision.computervision.models import OperationStatusCodes",
    "from msrest.authentication import CognitiveServicesCredentials"], { azureKey: false }),
  "# Read 3.2, as this panel calls it (azure-ai-vision-imageanalysis's ImageAnalysisClient with",
  "# VisualFeatures.READ calls Image Analysis 4.0 instead, which this server serves too).",
  "client = ComputerVisionClient(ENDPOINT, CognitiveServicesCredentials(KEY))",
  `with open(${py(fileName(file, "page.png"))}, "rb") as image:`,
  "    submitted = client.read_in_stream(image, raw=True)",
  'operation_id = submitted.headers["Operation-Location"].split("/")[-1]',
  "while True:",
  "    result = client.get_read_result(operation_id)",
  "    if result.status not in (OperationStatusCodes.not_started, OperationStatusCodes.running):",
  "        break",
  "    time.sleep(0.5)",
  "for page in result.analyze_result.read_results:",
  "    for line in page.lines:",
  "        print(line.text, line.bounding_box)"];
}

function analyzeDocument(modelId, file) {
  return [...preamble("azure-ai-documentintelligence", ["from azure.ai.documentintelligence import DocumentIntelligenceClient"]),
    "client = DocumentIntelligenceClient(ENDPOINT, AzureKeyCredential(KEY))",
    `with open(${py(fileName(file, "document.pdf"))}, "rb") as source:`,
    `    poller = client.begin_analyze_document(${py(modelId)}, body=source)`,
    "result = poller.result()",
    "for page in result.pages:",
    "    for word in page.words or []:",
    "        print(page.page_number, word.content, word.polygon)",
    "for document in result.documents or []:",
    "    for name, field in (document.fields or {}).items():",
    "        print(name, field.content, field.confidence)"];
}

// documentModels:build as the Label tab sends it: the training files zipped in base64Source (the
// container's extension, which the SDK's request model carries as written), read here from the
// project zip the tab downloads.
export function buildCode(request, archive) {
  const body = { ...request, base64Source: "SOURCE" };
  return [...preamble("azure-ai-documentintelligence", ["import base64",
    "from azure.ai.documentintelligence import DocumentIntelligenceAdministrationClient",
    "from azure.ai.documentintelligence.models import BuildDocumentModelRequest"]),
  "client = DocumentIntelligenceAdministrationClient(ENDPOINT, AzureKeyCredential(KEY))",
  `# The project zip this page downloads ("Download the project"): fields.json, the labels and`,
  "# ocr.json files (the documents in it are not read). base64Source is the container's own way;",
  "# the same files in a folder under the shared mount work too: azure_blob_source's containerUrl",
  "# is then that folder as a file URL (docs/document.md).",
  `with open(${py(archive)}, "rb") as archive:`,
  '    SOURCE = base64.b64encode(archive.read()).decode("ascii")',
  `poller = client.begin_build_document_model(BuildDocumentModelRequest(${py(body).replace('"SOURCE"', "SOURCE")}))`,
  "model = poller.result()",
  "print(model.model_id, sorted(model.doc_types[model.model_id].field_schema))"].join("\n");
}

function conversation(body) {
  return [...preamble("azure-ai-language-conversations", ["from azure.ai.language.conversations import ConversationAnalysisClient"]),
    "client = ConversationAnalysisClient(ENDPOINT, AzureKeyCredential(KEY))",
    `result = client.analyze_conversation(task=${py(body)})`,
    'prediction = result["result"]["prediction"]',
    'print(prediction["topIntent"])',
    'for intent in prediction["intents"]:',
    '    print(intent["category"], intent["confidenceScore"])',
    'for entity in prediction["entities"]:',
    '    print(entity["category"], entity["text"], entity["confidenceScore"])'];
}

const INLINE_POINTS = 24; // a longer series is read from a CSV file than written into the code

function anomaly(body) {
  const timed = body.series.every((p) => p.timestamp !== undefined);
  const point = (p) => (timed ? `TimeSeriesPoint(timestamp=${py(p.timestamp)}, value=${py(p.value)})`
    : `TimeSeriesPoint(value=${py(p.value)})`);
  const series = body.series.length <= INLINE_POINTS
    ? [`series = [\n${body.series.map((p) => `    ${point(p)},`).join("\n")}\n]`]
    : [`# The ${body.series.length} points pasted in the page, saved as series.csv, one "${timed ? "timestamp," : ""}value" a line.`,
      'with open("series.csv", newline="") as lines:',
      `    series = [${timed ? "TimeSeriesPoint(timestamp=row[0], value=float(row[1]))" : "TimeSeriesPoint(value=float(row[0]))"}`
        + " for row in csv.reader(lines)]"];
  const options = ["series=series", `granularity=${py(body.granularity)}`];
  if (body.sensitivity !== undefined) options.push(`sensitivity=${py(body.sensitivity)}`);
  const imports = ["from azure.ai.anomalydetector import AnomalyDetectorClient",
    "from azure.ai.anomalydetector.models import TimeSeriesPoint, UnivariateDetectionOptions"];
  if (body.series.length > INLINE_POINTS) imports.unshift("import csv");
  return [...preamble("azure-ai-anomalydetector", imports),
    "client = AnomalyDetectorClient(ENDPOINT, AzureKeyCredential(KEY))",
    ...series,
    `result = client.detect_univariate_entire_series(UnivariateDetectionOptions(${options.join(", ")}))`,
    "print(result.period, [i for i, flag in enumerate(result.is_anomaly) if flag])"];
}

function parsed(body) {
  try { return JSON.parse(body); } catch { return null; }
}

// The Python for a request, or null where no SDK call matches it (GETs of lists, say).
export function python({ method, path, headers, body }) {
  if (method !== "POST") return null;
  const [route, search = ""] = path.split("?");
  const query = new URLSearchParams(search);
  const json = typeof body === "string" ? parsed(body) : null;
  let lines = null;
  if (route === "/language/:analyze-text" && json) lines = textAnalytics(json);
  else if (route === "/translate" && json) lines = translate(query, json);
  else if (route === "/speech/recognition/conversation/cognitiveservices/v1") lines = recognize(query, body);
  else if (route === "/cognitiveservices/v1") lines = synthesize(headers, body);
  else if (route === "/vision/v3.2/read/analyze") lines = read(body);
  else if (route === "/language/:analyze-conversations" && json) lines = conversation(json);
  else if (route === "/anomalydetector/v1.1/timeseries/entire/detect" && json) lines = anomaly(json);
  else {
    const model = route.match(/^\/documentintelligence\/documentModels\/([^/:]+):analyze$/);
    if (model) lines = analyzeDocument(decodeURIComponent(model[1]), body);
  }
  return lines && lines.join("\n");
}
