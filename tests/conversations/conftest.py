"""One real server hosting the conversations service per test module, and SDK clients for it.

The project (tests/conversations/project_data.py) is imported, trained and deployed once through
the authoring SDK by ``deployed``; tests that predict share it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from azure.ai.language.conversations import ConversationAnalysisClient
from azure.ai.language.conversations.authoring import ConversationAuthoringClient
from azure.core.credentials import AzureKeyCredential

from tests.conversations import project_data
from tests.support.server import ServerProcess

PROJECT, DEPLOYMENT, LABEL = "HomeTravel", "production", "v1"


@pytest.fixture(scope="module")
def clu_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("conversations-server")
    with ServerProcess(settings=["Services=conversations", f"Mounts:Shared={folder / 'shared'}"],
                       log_path=folder / "server.log") as server:
        yield server


@pytest.fixture(scope="module")
def authoring(clu_server: ServerProcess) -> ConversationAuthoringClient:
    return ConversationAuthoringClient(clu_server.url, AzureKeyCredential("unused"))


@pytest.fixture(scope="module")
def runtime(clu_server: ServerProcess) -> ConversationAnalysisClient:
    return ConversationAnalysisClient(clu_server.url, AzureKeyCredential("unused"))


@pytest.fixture(scope="module")
def deployed(authoring: ConversationAuthoringClient) -> dict:
    """Import, train and deploy the test project with the authoring SDK; the train job's state."""
    authoring.begin_import_project(PROJECT, project_data.project(PROJECT), polling_interval=0.2).result()
    trained = authoring.begin_train(PROJECT, {"modelLabel": LABEL, "trainingMode": "standard"},
                                    polling_interval=0.5).result()
    authoring.begin_deploy_project(PROJECT, DEPLOYMENT, {"trainedModelLabel": LABEL}, polling_interval=0.2).result()
    return trained


def predict(runtime: ConversationAnalysisClient, text: str, **parameters: object) -> dict:
    task = {"kind": "Conversation",
            "analysisInput": {"conversationItem": {"id": "1", "participantId": "1", "text": text}},
            "parameters": {"projectName": PROJECT, "deploymentName": DEPLOYMENT, **parameters}}
    return runtime.analyze_conversation(task)
