"""The rule classes added for issue 20 (roles, known names, units, clock dots, numeric dates, ITIN).

Small examples written for these tests, not rows of the evaluation sets.
"""

from __future__ import annotations

import pytest

from airgap.engines import entity_lexicon as lexicon
from airgap.engines.entity_patterns import AGE_REGEX, EMAIL_REGEX, URL_REGEX
from airgap.services.language.engines.pii import _is_date, _qualifies_identifier


def _texts(text: str, spans) -> list[str]:
    return [text[s[0]:s[1]] for s in spans]


def test_roles_with_plurals_modifiers_and_heads():
    text = "The retired pilots met two auditors and the Head of Finance; a lead architect joined."
    assert _texts(text, lexicon.find_roles(text)) == ["retired pilots", "auditors", "Head of Finance",
                                                        "lead architect"]


def test_role_word_naming_a_document_is_not_a_person():
    text = "Scan the driver's license and the user name."
    assert list(lexicon.find_roles(text)) == []


def test_organisations_by_name_and_by_suffix():
    text = "Deloitte audited Orchard Lane Foods Ltd. and Pay Kestrel Holdings for St. Mary's Hospital."
    found = {text[s:e]: sub for s, e, sub in lexicon.find_organizations(text)}
    assert found == {"Deloitte": None, "Orchard Lane Foods Ltd.": None, "Kestrel Holdings": None,
                     "St. Mary's Hospital": "Medical"}


def test_organisation_shape_does_not_swallow_a_person_before_of():
    text = "Dr. Omar Haddad of Hillcrest Cardiology called."
    assert _texts(text, lexicon.find_organizations(text)) == ["Hillcrest Cardiology"]


def test_products_keep_their_model_number():
    text = "She swapped her Xbox for a MacBook Pro and an iPad 10."
    assert _texts(text, lexicon.find_products(text)) == ["Xbox", "MacBook Pro", "iPad 10"]


def test_events_by_head_word():
    text = "After the Berlin Marathon she flew to the Australian Open."
    assert _texts(text, lexicon.find_events(text)) == ["Berlin Marathon", "Australian Open"]


@pytest.mark.parametrize(("name", "kind"), [("Lake Geneva", "Geographical"), ("Copacabana Beach", "Geographical"),
                                            ("Mount Fuji", "Geographical"), ("Tate Gallery", "Structural"),
                                            ("Ada Lovelace", None)])
def test_place_kind_from_the_head_word(name, kind):
    assert lexicon.place_kind(name) == kind


@pytest.mark.parametrize(("after", "kind", "unit"), [
    (" mcg daily", "Dimension", " mcg"), (" °F today", "Temperature", " °F"), (" basis points.", "Dimension",
                                                                              " basis points"),
    (" km/h on", "Dimension", " km/h"), ("-degree water", "Temperature", "-degree"), (" people", None, None),
])
def test_units_after_a_number(after, kind, unit):
    text = "12" + after
    found = lexicon.unit_after(text, 2)
    if kind is None:
        assert found is None
    else:
        assert found[1] == kind and text[2:found[0]] == unit


def test_set_phrases():
    text = "Take it three times a day and walk every morning, twice weekly."
    assert [m.group() for m in lexicon.SET_PHRASE.finditer(text)] == ["three times a day", "every morning",
                                                                     "twice weekly"]


def test_skills_need_a_context_word():
    assert _texts("Trained in copywriting and video editing.",
                  lexicon.find_skills("Trained in copywriting and video editing.")) == ["copywriting", "video editing"]
    assert list(lexicon.find_skills("The marketing team moved floors.")) == []


def test_e_mail_and_url_with_reserved_suffixes():
    import re

    text = "Mail ops.team@intranet.test or see https://wiki.corp.invalid/page."
    assert re.search(EMAIL_REGEX, text).group() == "ops.team@intranet.test"
    assert re.search(URL_REGEX, text).group() == "https://wiki.corp.invalid/page."  # url_end trims the dot


def test_age_is_the_number_after_its_cue():
    import re

    text = "Patient aged 58; her brother turned 61 and a 4-year-old joined."
    assert [m.group() for m in re.finditer(AGE_REGEX, text, re.IGNORECASE)] == ["58", "61", "4-year-old"]


@pytest.mark.parametrize(("text", "is_date"), [
    ("1987", True), ("04/11/1987", True), ("2024-02-29", True), ("09/27", True), ("Friday", True),
    ("6:45 p.m.", True), ("3317", False), ("176/95", False), ("88213", False), ("Z310-7781", False),
    ("6604 1180", False),
])
def test_numeric_dates_must_read_as_dates(text, is_date):
    assert _is_date(text) is is_date


def test_places_that_qualify_an_identifier():
    text = "Oregon license 7719302 (Oregon) for Maya Berg."
    assert _qualifies_identifier(text, 0, 6)
    assert _qualifies_identifier(text, 24, 30)
    assert not _qualifies_identifier(text, 36, 40)


@pytest.fixture(scope="module")
def pii_engine():
    from airgap.services.language.engines.pii import PresidioPiiEngine

    engine = PresidioPiiEngine()
    engine.load()
    return engine


@pytest.fixture(scope="module")
def ner_engine():
    from airgap.services.language.engines.entities import SpacyEntityEngine

    engine = SpacyEntityEngine()
    engine.load()
    return engine


def _found(text, spans):
    return {(text[s.start:s.end], s.category) for s in spans}


def test_pii_identifier_rules(pii_engine):
    texts = ["Her taxpayer number is 912-74-5530.",
             "Wire it to account 7712094458 today.",
             "The reader declined 5105 1051 0510 5101 at the till.",
             "Parcel 4471 2209 of order 88213 left Kestrel Holdings LLC on Wednesday, May 8."]
    found = [_found(t, s) for t, s in zip(texts, pii_engine.recognize(texts), strict=True)]
    assert ("912-74-5530", "USIndividualTaxpayerIdentification") in found[0]
    assert ("7712094458", "USBankAccountNumber") in found[1]
    assert not any(category in ("CreditCardNumber", "DateTime") for _, category in found[2])
    assert ("Kestrel Holdings LLC", "Organization") in found[3]
    assert ("Wednesday, May 8", "DateTime") in found[3]
    assert not any(text in ("4471 2209", "88213") for text, _ in found[3])


def test_pii_masks_whole_entities(pii_engine):
    text = "The pharmacist at Northgate Medical Center saw Ivo Petrov."
    masked = pii_engine.redact(text, pii_engine.recognize([text])[0])
    assert "Medical Center" not in masked and "pharmacist" not in masked


def test_ner_units_clock_dots_and_known_names(ner_engine):
    text = "Give 250 mg at 6 a.m. The Garmin Forerunner is sold by Decathlon; Nestlé shipped iPad 10 units."
    found = _found(text, ner_engine.recognize([text])[0])
    assert ("250 mg", "Quantity") in found
    assert ("6 a.m.", "DateTime") in found
    assert ("Nestlé", "Organization") in found
    assert ("iPad 10", "Product") in found
