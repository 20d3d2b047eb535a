"""USP framing (services/speech/usp.py), checked against frames captured from the Speech SDK 1.53."""

from __future__ import annotations

import json
import re
import struct

import pytest

from airgap.services.speech import usp

# As the SDK sent them (sdk-wire-facts.md): headers without a space after the colon.
CONTEXT = ("Path:speech.context\r\nX-RequestId:4ae9929013d944e1aac589039ad0fafa\r\nX-Timestamp:2026-12-04T19:15:46.646Z"
           "\r\nContent-Type:application/json\r\n\r\n"
           '{"phraseDetection":{"language":"en-US"},"audio":{"streams":{"1":null}}}')
AUDIO_HEADERS = (b"X-Timestamp:2026-12-04T19:15:46.646Z\r\nPath:audio\r\nContent-Type:audio/x-wav\r\n"
                 b"X-RequestId:4ae9929013d944e1aac589039ad0fafa\r\nX-StreamId:1\r\n")
RIFF = bytes.fromhex("524946460000000057415645666d742010000000010001002256000044ac0000020010006461746100000000")


def test_a_text_message_from_the_sdk():
    message = usp.parse_text(CONTEXT)
    assert message.path == "speech.context"
    assert message.request_id == "4ae9929013d944e1aac589039ad0fafa"
    assert message.json()["phraseDetection"]["language"] == "en-US"
    assert not message.binary


def test_a_binary_audio_message_from_the_sdk_and_the_empty_end_of_audio():
    frame = struct.pack(">H", len(AUDIO_HEADERS)) + AUDIO_HEADERS + RIFF
    message = usp.parse_binary(frame)
    assert (message.path, message.request_id, message.content_type) == (
        "audio", "4ae9929013d944e1aac589039ad0fafa", "audio/x-wav")
    assert message.body == RIFF and message.headers["x-streamid"] == "1"
    end = usp.parse_binary(struct.pack(">H", len(AUDIO_HEADERS)) + AUDIO_HEADERS)
    assert end.body == b""


def test_built_messages_carry_path_request_id_timestamp_and_parse_back():
    text = usp.text_frame("speech.phrase", "ab" * 16, {"RecognitionStatus": "Success", "DisplayText": "Grüße."})
    head, body = text.split("\r\n\r\n", 1)
    assert head.splitlines()[:2] == ["Path:speech.phrase", "X-RequestId:" + "ab" * 16]
    assert re.search(r"^X-Timestamp:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\r?$", head, re.M)
    assert "Content-Type:application/json; charset=utf-8" in head
    assert json.loads(body)["DisplayText"] == "Grüße."
    binary = usp.binary_frame("audio", "cd" * 16, b"\x01\x02", content_type="audio/x-wav",
                              headers={"X-StreamId": "1"})
    parsed = usp.parse_binary(binary)
    assert (parsed.path, parsed.request_id, parsed.body, parsed.headers["x-streamid"]) == (
        "audio", "cd" * 16, b"\x01\x02", "1")
    assert usp.parse_text(usp.text_frame("turn.end", "ef" * 16, {})).json() == {}


@pytest.mark.parametrize("frame", [b"", b"\x00", b"\xff\xff" + b"Path:audio\r\n", b"\x00\x04\xff\xfe\xfd\xfc"])
def test_broken_binary_messages(frame):
    with pytest.raises(usp.UspError):
        usp.parse_binary(frame)


@pytest.mark.parametrize("frame", ["no headers here", "X-RequestId:abc\r\n\r\n{}", "Path:speech.context\r\n\r\n{nope"])
def test_broken_text_messages(frame):
    with pytest.raises(usp.UspError):
        usp.parse_text(frame).json()
