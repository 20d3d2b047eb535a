"""Property: entity offsets and lengths cut out exactly the entity text, in every string index type.

Random Unicode (emoji with modifiers and ZWJ sequences, combining marks, CJK,
astral-plane characters) surrounds an e-mail address and a phone number; the
NER and PII engines run for real and their spans go through the same wire
conversion the API uses.
"""

from __future__ import annotations

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from airgap.services.language.engines.entities import SpacyEntityEngine
from airgap.services.language.engines.pii import PresidioPiiEngine
from airgap.services.language.features.entities import entities_to_wire

INDEX_TYPES = ("TextElements_v8", "UnicodeCodePoint", "Utf16CodeUnit")
TRICKY = ["👩‍👩‍👧", "👍🏽", "🇫🇷", "e\u0301", "n\u0303o", "東京", "中文字", "𝄞", "한국어", "ﷺ", "\u200d", "🎉", "Å"]
EMAILS = ["jane@contoso.com", "j.doe+tag@mail.example.org", "ops@fabrikam.net"]
PHONES = ["(425) 555-0123", "+44 20 7946 0958", "206-555-0147"]


def cut(text: str, offset: int, length: int, index_type: str) -> str:
    if index_type == "UnicodeCodePoint":
        return text[offset:offset + length]
    if index_type == "Utf16CodeUnit":
        units = text.encode("utf-16-le")
        return units[2 * offset:2 * (offset + length)].decode("utf-16-le")
    return "".join(regex.findall(r"\X", text)[offset:offset + length])


noise = st.lists(
    st.one_of(st.sampled_from(TRICKY),
              st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=6)),
    max_size=6,
).map("".join)


@pytest.fixture(scope="module")
def ner() -> SpacyEntityEngine:
    engine = SpacyEntityEngine()
    engine.load()
    return engine


@pytest.fixture(scope="module")
def pii() -> PresidioPiiEngine:
    engine = PresidioPiiEngine()
    engine.load()
    return engine


def documents(prefix: str, email: str, middle: str, phone: str, suffix: str) -> str:
    return f"{prefix} mail {email} {middle} call {phone} {suffix}"


def check(text: str, entities: list[dict]) -> None:
    for index_type in INDEX_TYPES:
        for entity in entities_to_wire(text, entities, index_type):
            assert cut(text, entity["offset"], entity["length"], index_type) == entity["text"], (index_type, entity)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=noise, email=st.sampled_from(EMAILS), middle=noise, phone=st.sampled_from(PHONES), suffix=noise)
def test_ner_offsets_cut_out_the_entity_text(ner, prefix, email, middle, phone, suffix):
    text = documents(prefix, email, middle, phone, suffix)
    (spans,) = ner.recognize([text])
    assert email in {text[s.start:s.end] for s in spans if s.category == "Email"}
    check(text, spans)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=noise, email=st.sampled_from(EMAILS), middle=noise, phone=st.sampled_from(PHONES), suffix=noise)
def test_pii_offsets_and_redaction(pii, prefix, email, middle, phone, suffix):
    text = documents(prefix, email, middle, phone, suffix)
    (spans,) = pii.recognize([text])
    assert email in {text[s.start:s.end] for s in spans if s.category == "Email"}
    check(text, spans)
    redacted = pii.redact(text, spans)
    assert len(redacted) == len(text)
    for i, ch in enumerate(text):
        inside = any(s.start <= i < s.end for s in spans)
        assert redacted[i] == ("*" if inside else ch)
