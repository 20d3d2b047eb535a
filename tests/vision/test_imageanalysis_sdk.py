"""The official azure-ai-vision-imageanalysis SDK, unchanged, against a real server."""

from __future__ import annotations

import pytest
from azure.ai.vision.imageanalysis import ImageAnalysisClient
from azure.ai.vision.imageanalysis.models import VisualFeatures
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import HttpResponseError

from tests.vision.pages import LINES, encode, printed


@pytest.fixture()
def client(vision_server):
    with ImageAnalysisClient(vision_server.url, AzureKeyCredential("unused")) as c:
        yield c


def test_read_feature(client):
    result = client.analyze(image_data=encode(printed(LINES[:3]), "PNG"), visual_features=[VisualFeatures.READ])
    assert result.metadata.width == 1100
    lines = [line.text for block in result.read.blocks for line in block.lines]
    assert lines == LINES[:3]
    word = result.read.blocks[0].lines[0].words[0]
    assert word.text == "Invoice" and 0 < word.confidence <= 1 and len(word.bounding_polygon) == 4


def test_features_that_are_not_bundled_are_refused_clearly(client):
    with pytest.raises(HttpResponseError) as caught:
        client.analyze(image_data=encode(printed(LINES[:1]), "PNG"), visual_features=[VisualFeatures.CAPTION])
    assert caught.value.status_code == 400
    assert "not bundled" in caught.value.message


def test_corrupt_image(client):
    with pytest.raises(HttpResponseError) as caught:
        client.analyze(image_data=b"\x89PNG\r\n\x1a\nbroken", visual_features=[VisualFeatures.READ])
    assert caught.value.status_code == 400
    assert caught.value.error.code == "InvalidRequest"
