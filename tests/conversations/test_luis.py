"""LUIS as the LUIS container serves it, against a real server whose ``Mounts:Input`` holds an
exported LUIS app (tests/data/luis/home_app.json, schema 7.0.0, written by hand) under the
container's package names, a CLU project export, and a file that is not a usable package: v3.0
and v2.0 prediction, the LUIS error shape, and ``:import?format=luis`` through the authoring SDK."""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from azure.ai.language.conversations import ConversationAnalysisClient
from azure.ai.language.conversations.authoring import ConversationAuthoringClient
from azure.core.credentials import AzureKeyCredential

from tests.support.server import ServerProcess

APP_FILE = Path(__file__).resolve().parents[1] / "data" / "luis" / "home_app.json"
APP = "3f1b6c2e-8a4d-4e8b-9c1a-2b7d5e6f8a90"
BROKEN = "0d9e8f7a-6b5c-4d3e-2f1a-0b9c8d7e6f5a"
V3 = f"/luis/prediction/v3.0/apps/{APP}"
# A fixed reference moment: relative dates resolve the same way on every run.
REFERENCE = "2024-02-13T13:15:00.000Z"

CLU_EXPORT = {
    "projectFileVersion": "2023-04-01", "stringIndexType": "Utf16CodeUnit",
    "metadata": {"projectKind": "Conversation", "projectName": "Greetings", "language": "en-us",
                 "settings": {"confidenceThreshold": 0.0}, "multilingual": False, "description": ""},
    "assets": {"projectKind": "Conversation",
               "intents": [{"category": "Hello"}, {"category": "Bye"}, {"category": "None"}],
               "entities": [{"category": "Name"}],
               "utterances": [
                   {"text": "hello there", "intent": "Hello", "entities": []},
                   {"text": "hi, I am Ada", "intent": "Hello", "entities": [{"category": "Name", "offset": 9,
                                                                              "length": 3}]},
                   {"text": "good morning", "intent": "Hello", "entities": []},
                   {"text": "hey, my name is Grace", "intent": "Hello", "entities": [{"category": "Name", "offset": 16,
                                                                                       "length": 5}]},
                   {"text": "goodbye", "intent": "Bye", "entities": []},
                   {"text": "see you later", "intent": "Bye", "entities": []},
                   {"text": "bye for now", "intent": "Bye", "entities": []},
                   {"text": "farewell, talk soon", "intent": "Bye", "entities": []}]}}


@pytest.fixture(scope="module")
def luis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("luis-server")
    inputs = folder / "input"
    inputs.mkdir()
    shutil.copy(APP_FILE, inputs / f"{APP}_PRODUCTION.json")
    (inputs / f"{APP}_STAGING.gz").write_bytes(gzip.compress(APP_FILE.read_bytes()))
    shutil.copy(APP_FILE, inputs / f"{APP}_v0.2.json")
    (inputs / f"{BROKEN}_PRODUCTION.gz").write_bytes(b"an Azure package, not a gzipped app JSON")
    (inputs / "greetings.json").write_text(json.dumps(CLU_EXPORT))
    with ServerProcess(settings=["Services=conversations", f"Mounts:Shared={folder / 'shared'}",
                                 f"Mounts:Input={inputs}"], log_path=folder / "server.log") as server:
        yield server


@pytest.fixture(scope="module")
def http(luis_server: ServerProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=luis_server.url, timeout=60) as client:
        yield client


def test_v3_get_on_the_production_slot(http: httpx.Client) -> None:
    text = "turn on the lamp in the kitchen"
    response = http.get(f"{V3}/slots/production/predict", params={"query": text})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["query"] == text
    prediction = body["prediction"]
    assert prediction["topIntent"] == "TurnOn"
    assert list(prediction["intents"]) == ["TurnOn"]  # only the top intent without show-all-intents
    assert 0 < prediction["intents"]["TurnOn"]["score"] <= 1
    assert prediction["entities"]["Device"] == [["light"]]  # a list entity: its canonical forms
    assert prediction["entities"]["Room"] == ["kitchen"]
    assert "$instance" not in prediction["entities"]


def test_v3_post_verbose_and_all_intents(http: httpx.Client) -> None:
    text = "order 2 large pizzas with mushrooms tomorrow at 7 pm"
    response = http.post(f"{V3}/slots/PRODUCTION/predict", params={"verbose": "true", "show-all-intents": "true"},
                         json={"query": text, "options": {"datetimeReference": REFERENCE}})
    assert response.status_code == 200, response.text
    prediction = response.json()["prediction"]
    assert prediction["topIntent"] == "OrderPizza"
    assert set(prediction["intents"]) == {"None", "OrderPizza", "SetAlarm", "TrackOrder", "TurnOff", "TurnOn"}
    entities = prediction["entities"]
    assert entities["number"] == [2, 7]
    assert entities["Pizza.Size"] == ["large"]  # a 7.x child entity, named Parent.Child
    assert entities["datetimeV2"] == [{"type": "datetime", "values": [
        {"timex": "2024-02-14T19", "resolution": [{"value": "2024-02-14 19:00:00"}]}]}]
    instance = entities["$instance"]
    number = instance["number"][0]
    assert (number["text"], number["startIndex"], number["length"]) == ("2", 6, 1)
    assert (number["type"], number["modelTypeId"], number["modelType"]) == ("builtin.number", 2,
                                                                            "Prebuilt Entity Extractor")
    when = instance["datetimeV2"][0]
    assert (when["type"], when["startIndex"], when["length"]) == ("builtin.datetimeV2.datetime", 36, 16)
    size = instance["Pizza.Size"][0]
    assert (size["startIndex"], size["length"], size["modelTypeId"]) == (8, 5, 1)
    assert 0 < size["score"] <= 1
    assert size["recognitionSources"] == ["model"]


def test_v3_regex_entity_staging_gz_version_and_short_prefix(http: httpx.Client) -> None:
    text = "where is my order ORD-77777"
    for path in (f"{V3}/slots/staging/predict", f"{V3}/versions/0.2/predict",
                 f"/luis/v3.0/apps/{APP}/slots/production/predict"):
        response = http.get(path, params={"query": text, "verbose": "true"})
        assert response.status_code == 200, (path, response.text)
        prediction = response.json()["prediction"]
        assert prediction["topIntent"] == "TrackOrder"
        assert prediction["entities"]["OrderNumber"] == ["ORD-77777"]
        regex = prediction["entities"]["$instance"]["OrderNumber"][0]
        assert (regex["startIndex"], regex["length"], regex["modelTypeId"]) == (18, 9, 8)


def test_v2_get_with_inclusive_end_index(http: httpx.Client) -> None:
    text = "Switch off the Television in the bedroom"
    response = http.get(f"/luis/v2.0/apps/{APP}", params={"q": text, "verbose": "true"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["query"] == text
    assert body["topScoringIntent"]["intent"] == "TurnOff"
    assert [i["intent"] for i in body["intents"]][0] == "TurnOff" and len(body["intents"]) == 6
    by_type = {e["type"]: e for e in body["entities"]}
    device = by_type["Device"]
    assert (device["startIndex"], device["endIndex"], device["entity"]) == (15, 24, "television")
    assert text[device["startIndex"]:device["endIndex"] + 1].lower() == device["entity"]
    assert device["resolution"] == {"values": ["tv"]}
    room = by_type["Room"]
    assert (room["startIndex"], room["endIndex"]) == (33, 39) and 0 < room["score"] <= 1


def test_v2_post_json_string_on_staging(http: httpx.Client) -> None:
    text = "set an alarm for 7 am and order ORD-12121"
    response = http.post(f"/luis/v2.0/apps/{APP}", params={"staging": "true"}, json=text)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "intents" not in body  # only with verbose=true
    entities = {e["type"]: e for e in body["entities"]}
    assert (entities["OrderNumber"]["startIndex"], entities["OrderNumber"]["endIndex"]) == (32, 40)
    assert entities["OrderNumber"]["entity"] == "ord-12121"
    assert entities["builtin.datetimeV2.time"]["entity"] == "7 am"
    assert entities["builtin.datetimeV2.time"]["resolution"]["values"][0]["timex"] == "T07"


def test_errors_in_luis_shape(http: httpx.Client) -> None:
    unknown = "11111111-2222-3333-4444-555555555555"
    response = http.get(f"/luis/prediction/v3.0/apps/{unknown}/slots/production/predict", params={"query": "hi"})
    assert response.status_code == 404
    error = response.json()["error"]
    assert set(error) == {"code", "message"} and error["code"] == "NotFound"
    assert f"{unknown}_PRODUCTION.json" in error["message"]
    response = http.get(f"/luis/v2.0/apps/{unknown}", params={"q": "hi"})
    assert response.status_code == 404 and response.json()["error"]["code"] == "NotFound"
    broken = http.get(f"/luis/v2.0/apps/{BROKEN}", params={"q": "hi"}).json()["error"]
    assert "not gzip" in broken["message"]
    assert http.get(f"{V3}/slots/preview/predict", params={"query": "hi"}).status_code == 400
    assert http.get(f"{V3}/versions/9.9/predict", params={"query": "hi"}).status_code == 404
    missing = http.get(f"{V3}/slots/production/predict")
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "BadArgument"
    assert http.get(f"{V3}/slots/production/predict", params={"query": "a" * 501}).status_code == 414
    assert http.get(f"{V3}/slots/production/predict", params={"query": "hi", "verbose": "maybe"}).status_code == 400
    assert http.post(f"{V3}/slots/production/predict", json=["not", "an", "object"]).status_code == 400


def test_clu_export_in_the_input_mount_is_deployed(luis_server: ServerProcess) -> None:
    client = ConversationAnalysisClient(luis_server.url, AzureKeyCredential("unused"))
    result = client.analyze_conversation({
        "kind": "Conversation",
        "analysisInput": {"conversationItem": {"id": "1", "participantId": "1", "text": "hello, I am Linus"}},
        "parameters": {"projectName": "Greetings", "deploymentName": "production"}})
    assert result["result"]["prediction"]["topIntent"] == "Hello"


def test_import_format_luis_with_the_authoring_sdk(luis_server: ServerProcess) -> None:
    authoring = ConversationAuthoringClient(luis_server.url, AzureKeyCredential("unused"))
    app = json.loads(APP_FILE.read_text())
    job = authoring.begin_import_project("HomePizza", app, exported_project_format="Luis",
                                         polling_interval=0.2).result()
    assert job["status"] == "succeeded"
    assert authoring.get_project("HomePizza")["projectKind"] == "Conversation"
    authoring.begin_train("HomePizza", {"modelLabel": "m1", "trainingMode": "standard"}, polling_interval=0.5).result()
    authoring.begin_deploy_project("HomePizza", "prod", {"trainedModelLabel": "m1"}, polling_interval=0.2).result()
    client = ConversationAnalysisClient(luis_server.url, AzureKeyCredential("unused"))
    result = client.analyze_conversation({
        "kind": "Conversation",
        "analysisInput": {"conversationItem": {"id": "1", "participantId": "1", "text": "switch on the telly"}},
        "parameters": {"projectName": "HomePizza", "deploymentName": "prod"}})
    prediction = result["result"]["prediction"]
    assert prediction["topIntent"] == "TurnOn"
    device = next(e for e in prediction["entities"] if e["category"] == "Device")
    assert (device["offset"], device["length"]) == (14, 5)
    assert {"extraInformationKind": "ListKey", "key": "tv"} in device["extraInformation"]
    bad = dict(app, utterances=[{"text": "hi", "intent": "None",
                                 "entities": [{"entity": "Room", "startPos": 0, "endPos": 5}]}])
    response = httpx.post(f"{luis_server.url}/language/authoring/analyze-conversations/projects/Bad/:import",
                          params={"api-version": "2023-04-01", "format": "luis"}, json=bad)
    assert response.status_code == 400 and "utterances[0].entities[0]" in response.json()["error"]["message"]
    old = dict(app, luis_schema_version="2.1.0")
    response = httpx.post(f"{luis_server.url}/language/authoring/analyze-conversations/projects/Bad/:import",
                          params={"api-version": "2023-04-01", "format": "luis"}, json=old)
    assert response.status_code == 400 and "luis_schema_version" in response.json()["error"]["message"]
    assert "Traceback" not in luis_server.log_text()
