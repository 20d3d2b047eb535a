"""The official CLU SDK (azure-ai-language-conversations 1.1.0) against a real server: import,
train (a job), deploy, list, predict; entities with exact offsets; Azure's errors on bad input."""

from __future__ import annotations

import copy

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from tests.conversations import project_data
from tests.conversations.conftest import DEPLOYMENT, LABEL, PROJECT, predict


def _entity(result: dict, category: str) -> dict:
    found = [e for e in result["result"]["prediction"]["entities"] if e["category"] == category]
    assert found, result["result"]["prediction"]["entities"]
    return found[0]


def test_train_job_result(clu_server, deployed: dict) -> None:  # noqa: ANN001
    assert deployed["status"] == "succeeded"
    assert "Traceback" not in clu_server.log_text()
    assert deployed["result"]["modelLabel"] == LABEL
    assert deployed["result"]["trainingStatus"]["percentComplete"] == 100


def test_listing(authoring, deployed) -> None:  # noqa: ANN001
    names = [p["projectName"] for p in authoring.list_projects()]
    assert PROJECT in names
    project = authoring.get_project(PROJECT)
    assert project["projectKind"] == "Conversation" and "lastTrainedDateTime" in project
    deployments = list(authoring.list_deployments(PROJECT))
    assert [d["deploymentName"] for d in deployments] == [DEPLOYMENT]
    assert authoring.get_deployment(PROJECT, DEPLOYMENT)["modelId"].startswith(LABEL)
    assert [m["label"] for m in authoring.list_trained_models(PROJECT)] == [LABEL]


def test_intent_and_learned_entities(runtime, deployed) -> None:  # noqa: ANN001
    text = "book a flight from Lisbon to Oslo tomorrow"
    result = predict(runtime, text)
    prediction = result["result"]["prediction"]
    assert result["kind"] == "ConversationResult" and result["result"]["query"] == text
    assert prediction["projectKind"] == "Conversation"
    assert prediction["topIntent"] == "BookFlight"
    assert prediction["intents"][0]["category"] == "BookFlight"
    assert len(prediction["intents"]) == 17  # every intent, best first
    scores = [i["confidenceScore"] for i in prediction["intents"]]
    assert scores == sorted(scores, reverse=True)
    destination = _entity(result, "Destination")
    assert (destination["text"], destination["offset"], destination["length"]) == ("Oslo", 29, 4)
    assert destination["confidenceScore"] == 1


def test_list_entity_key_and_offsets(runtime, deployed) -> None:  # noqa: ANN001
    result = predict(runtime, "switch on the television in the lounge")
    assert result["result"]["prediction"]["topIntent"] == "TurnOn"
    device = _entity(result, "Device")
    assert (device["offset"], device["length"], device["text"]) == (14, 10, "television")
    assert {"extraInformationKind": "ListKey", "key": "tv"} in device["extraInformation"]
    room = _entity(result, "Room")
    assert (room["offset"], room["length"]) == (32, 6)
    assert {"extraInformationKind": "ListKey", "key": "living room"} in room["extraInformation"]


def test_regex_and_prebuilt_entities(runtime, deployed) -> None:  # noqa: ANN001
    result = predict(runtime, "is flight LH1234 delayed")
    flight = _entity(result, "FlightNumber")
    assert (flight["offset"], flight["length"]) == (10, 6)
    assert flight["extraInformation"][0]["extraInformationKind"] == "RegexKey"
    result = predict(runtime, "book a hotel in Rome for 4 nights")
    number = _entity(result, "Number")
    assert (number["text"], number["offset"]) == ("4", 25)
    assert number["resolutions"] == [{"resolutionKind": "NumberResolution", "numberKind": "Integer", "value": 4}]
    assert {"extraInformationKind": "EntitySubtype", "value": "quantity.number"} in number["extraInformation"]
    result = predict(runtime, "set an alarm for 7 am")
    when = _entity(result, "DateTime")
    assert when["text"] == "7 am"
    assert when["resolutions"][0]["resolutionKind"] == "DateTimeResolution"
    assert when["resolutions"][0]["dateTimeSubKind"] == "Time"


@pytest.mark.parametrize(("index_type", "offset", "length"), [
    ("Utf16CodeUnit", 32, 4), ("UnicodeCodePoint", 31, 4), ("TextElements_v8", 31, 4), ("TextElement_V8", 31, 4)])
def test_string_index_types(runtime, deployed, index_type: str, offset: int, length: int) -> None:  # noqa: ANN001
    text = "🎵 book a flight from Berlin to Rome"  # one astral code point: two UTF-16 units
    result = predict(runtime, text, stringIndexType=index_type)
    destination = _entity(result, "Destination")
    assert (destination["offset"], destination["length"]) == (offset, length)


def test_api_version_2022(clu_server, deployed) -> None:  # noqa: ANN001
    from azure.ai.language.conversations import ConversationAnalysisClient
    from azure.core.credentials import AzureKeyCredential

    client = ConversationAnalysisClient(clu_server.url, AzureKeyCredential("k"), api_version="2022-05-01")
    result = predict(client, "turn off the lights in the kitchen")
    assert result["result"]["prediction"]["topIntent"] == "TurnOff"


def test_unknown_project_and_deployment(runtime, deployed) -> None:  # noqa: ANN001
    task = {"kind": "Conversation",
            "analysisInput": {"conversationItem": {"id": "1", "participantId": "1", "text": "hi"}},
            "parameters": {"projectName": "NoSuchProject", "deploymentName": DEPLOYMENT}}
    with pytest.raises(ResourceNotFoundError) as caught:
        runtime.analyze_conversation(task)
    assert caught.value.error.code == "ProjectNotFound" and "NoSuchProject" in caught.value.error.message
    task["parameters"] = {"projectName": PROJECT, "deploymentName": "staging"}
    with pytest.raises(ResourceNotFoundError) as caught:
        runtime.analyze_conversation(task)
    assert "staging" in caught.value.error.message


def test_bad_exports_are_refused(authoring) -> None:  # noqa: ANN001
    bad_version = project_data.project("Bad1")
    bad_version["projectFileVersion"] = "2019-01-01"
    with pytest.raises(HttpResponseError) as caught:
        authoring.begin_import_project("Bad1", bad_version)
    assert caught.value.status_code == 400 and "projectFileVersion" in caught.value.error.message

    bad_offset = project_data.project("Bad2")
    utterance = bad_offset["assets"]["utterances"][0]
    utterance["entities"] = [{"category": "Destination", "offset": len(utterance["text"]) - 2, "length": 5}]
    with pytest.raises(HttpResponseError) as caught:
        authoring.begin_import_project("Bad2", bad_offset)
    assert caught.value.status_code == 400 and "outside the utterance" in caught.value.error.message
    names = [p["projectName"] for p in authoring.list_projects()]
    assert "Bad1" not in names and "Bad2" not in names


def test_none_intent_without_utterances_is_accepted(authoring) -> None:  # noqa: ANN001
    doc = copy.deepcopy(project_data.project("Small"))
    doc["assets"]["utterances"] = [u for u in doc["assets"]["utterances"] if u["intent"] != "None"]
    assert {"category": "None"} in doc["assets"]["intents"]
    result = authoring.begin_import_project("Small", doc, polling_interval=0.2).result()
    assert result["status"] == "succeeded"
