"""Rule classes added in the second issue-20 pass: licence numbers by their label, age forms, names
by given name or cue, dates with a month's name, whole addresses, places and acronyms that are not
personal data. Small examples written for these tests, not rows of the evaluation sets."""

from __future__ import annotations

import pytest

from airgap.engines import entity_lexicon as lexicon
from airgap.engines import entity_patterns as patterns
from airgap.services.language.engines.pii import PresidioPiiEngine


def _texts(text: str, spans) -> list[str]:
    return [text[s[0]:s[1]] for s in spans]


@pytest.fixture(scope="module")
def engine() -> PresidioPiiEngine:
    loaded = PresidioPiiEngine()
    loaded.load()
    return loaded


def _found(engine: PresidioPiiEngine, text: str) -> list[tuple[str, str]]:
    return [(s.category, text[s.start:s.end]) for s in engine.recognize([text], phi=True)[0]]


@pytest.mark.parametrize(("text", "number"), [
    ("Her driving licence, number S530-4417-9921-07, was scanned.", "S530-4417-9921-07"),
    ("NY driver license: 123 456 789 on file", "123 456 789"),
    ("DL# TX 12345678 expired", "12345678"),
    ("License No. A123-4567-8901 issued in Illinois", "A123-4567-8901"),
    ("license WDLJ7K2L9X4B", "WDLJ7K2L9X4B"),
])
def test_licence_number_after_its_label_in_state_formats(text, number):
    assert _texts(text, patterns.find_driver_licenses(text)) == [number]


@pytest.mark.parametrize("text", [
    "the license holder can call 555-123-4567",   # words between label and number are not fillers
    "medical license 1234567",                    # not a driver's licence
    "Software license key 4F7A-22B9-9C1D-77E0",
    "License plate 7ABC123 was seen",
    "Please renew the licence by 03/04/2025.",
])
def test_no_licence_without_its_label_right_before(text):
    assert patterns.find_driver_licenses(text) == []


@pytest.mark.parametrize(("text", "age"), [
    ("A 54 yo man with a cough.", "54 yo"),
    ("54 y/o female", "54 y/o"),
    ("She is 33 years of age.", "33 years of age"),
    ("a forty-year-old driver", "forty-year-old"),
    ("The defendant, aged seventy-two, was absent.", "seventy-two"),
    ("He turns 40 next week.", "40"),
])
def test_age_forms(engine, text, age):
    assert ("Quantity", age) in _found(engine, text)


@pytest.mark.parametrize(("text", "age"), [
    ("Desmond Achebe, 47, was treated.", "47"),
    ("Gilberto Mendes (43) asked for a transfer.", "43"),
    ("The tenant, Mr. Kowalczyk, is 67 and lives alone.", "67"),
])
def test_age_written_right_after_the_person(engine, text, age):
    assert ("Quantity", age) in _found(engine, text)


def test_counts_after_a_person_are_not_ages(engine):
    found = _found(engine, "Desmond Achebe ordered 3 items; Sarah, 2 boxes.")
    assert not [f for f in found if f[0] == "Quantity"]


def test_given_names_with_surnames():
    text = "Noah Fischer met Ingrid Solberg-Hale at Logan Airport on Emma Street."
    assert _texts(text, lexicon.find_people(text)) == ["Noah Fischer", "Ingrid Solberg-Hale"]


@pytest.mark.parametrize(("text", "name"), [
    ("Dear Anneliese, your appointment is confirmed.", "Anneliese"),
    ("Attn: Rosalind Achterberg, Accounts Payable", "Rosalind Achterberg"),
    ("hey its Marguerite, call me", "Marguerite"),
    ("Patient: Ezekiel Thornbury, admitted today.", "Ezekiel Thornbury"),
    ("The policyholder Yolanda Briggs called.", "Yolanda Briggs"),
])
def test_names_after_a_cue_or_a_role(text, name):
    assert _texts(text, lexicon.find_named_people(text)) == [name]


@pytest.mark.parametrize("text", ["Dear Valued Customer,", "Hi Team, see below.", "It's Friday again.",
                                  "This is Microsoft calling.", "Our customer Service Desk is closed."])
def test_cue_followed_by_no_name(text):
    assert list(lexicon.find_named_people(text)) == []


def test_name_the_model_takes_for_a_company_is_a_person(engine):
    assert ("Person", "Noah Fischer") in _found(engine, "California license B7731942 belongs to Noah Fischer.")


def test_possessive_before_an_identifier_keeps_the_owner(engine):
    assert ("Person", "Nina") in _found(engine, "Nina's number is +33 6 12 34 56 78")


@pytest.mark.parametrize(("text", "date"), [
    ("Invoice sent on Wed, Mar 5.", "Wed, Mar 5"),
    ("Starting Tues. Sept 9 the office closes.", "Tues. Sept 9"),
    ("Arrives Friday, 03/14/2025 around noon.", "Friday, 03/14/2025"),
    ("Paid on the 3rd of June, 2023 by check.", "3rd of June, 2023"),
    ("Pay by 31 May.", "31 May"),
])
def test_named_dates_whole_with_their_weekday(engine, text, date):
    assert ("DateTime", date) in _found(engine, text)


@pytest.mark.parametrize(("text", "address"), [
    ("Mail it to PO Box 4410, Springfield, IL 62704 please.", "PO Box 4410, Springfield, IL 62704"),
    ("Ship to Apt 4B, 17 Harbour Road, Dublin.", "Apt 4B, 17 Harbour Road, Dublin"),
    ("It is at 1600 Pennsylvania Ave NW, Washington, DC 20500.", "1600 Pennsylvania Ave NW, Washington, DC 20500"),
    ("She moved to 42 Oak Street, Portland, Oregon 97205 last year.", "42 Oak Street, Portland, Oregon 97205"),
    ("Send it to Unit 5, 40 Main St., Burlington, VT 05401, USA.", "Unit 5, 40 Main St., Burlington, VT 05401, USA"),
])
def test_addresses_whole(engine, text, address):
    assert ("Address", address) in _found(engine, text)


def test_place_naming_a_site_is_not_an_address(engine):
    assert not [f for f in _found(engine, "Our Denver office approved it.") if f[0] == "Address"]


def test_everyday_acronyms_are_not_organisations(engine):
    assert not [f for f in _found(engine, "The CCTV recorder and the HR team were checked.")
                if f[0] == "Organization"]


def test_roles_before_a_noun_and_new_roles():
    text = "The physiotherapist booked a child ticket for the cardholder and her grandson."
    assert _texts(text, lexicon.find_roles(text)) == ["physiotherapist", "cardholder", "grandson"]


def test_organisation_heads_but_not_a_form_label():
    text = "Northwind Bakery paid Pinecrest Credit Union. Department: Finance"
    assert _texts(text, [(s, e) for s, e, _ in lexicon.find_organizations(text)]) == [
        "Northwind Bakery", "Pinecrest Credit Union"]
