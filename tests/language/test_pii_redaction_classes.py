"""Rule classes of the third issue-20 PII pass, aimed at what `redactedText` left readable: names the
model misses but its tagger reads as proper nouns, partial names and dates, compound roles, and a few
identifier shapes. Small examples written for these tests, not rows of the evaluation sets."""

from __future__ import annotations

import pytest

from airgap.engines import entity_lexicon as lexicon
from airgap.services.language.engines.pii import PresidioPiiEngine


@pytest.fixture(scope="module")
def engine() -> PresidioPiiEngine:
    loaded = PresidioPiiEngine()
    loaded.load()
    return loaded


def _found(engine: PresidioPiiEngine, text: str) -> list[tuple[str, str]]:
    return [(s.category, text[s.start:s.end]) for s in engine.recognize([text], phi=True)[0]]


def _redacted(engine: PresidioPiiEngine, text: str) -> str:
    return engine.redact(text, engine.recognize([text], phi=True)[0])


@pytest.mark.parametrize(("text", "name"), [
    ("Payment from Ezinne Chukwu to the landlord bounced.", "Ezinne Chukwu"),      # missed by the model
    ("Please confirm with Anastasios Papadakis before Friday.", "Anastasios Papadakis"),
    ("Mehmet Yilmaz works in the fraud team.", "Mehmet Yilmaz"),                    # model found the surname
    ("Yevgenia Morozova lives near the river.", "Yevgenia Morozova"),              # a place + a person
    ("Coho hired Fenna de Jong last week.", "Fenna de Jong"),                       # a particle inside
    ("We spoke to Lars-Erik Lindgren about the audit.", "Lars-Erik Lindgren"),      # the model said product
    ("Signed by J. Alvarez on behalf of the company.", "J. Alvarez"),               # an initial
    ("Dariusz from accounts reset the password.", "Dariusz"),                       # one name opening a sentence
])
def test_names_the_tagger_reads_as_proper_nouns(engine, text, name):
    assert ("Person", name) in _found(engine, text)
    assert name not in _redacted(engine, text)


@pytest.mark.parametrize("text", [
    "Revenue grew 12 percent in the third quarter.",     # a capitalised word opening a sentence
    "The Premium Plan renews automatically.",            # only dictionary words
    "A. Introduction and scope of the policy.",           # an outline's letter, not an initial
])
def test_capitalised_words_that_are_no_new_name(engine, text):
    assert [f for f in _found(engine, text) if f[0] == "Person"] == []


def test_form_label_after_a_name_is_not_part_of_it(engine):
    text = "Cardholder: Valentin Moreau Expiry: 08/27"
    assert ("Person", "Valentin Moreau") in _found(engine, text)
    text = "Next of kin for Ngozi Balogun: Ifeanyi Balogun"
    assert ("Person", "Ngozi Balogun") in _found(engine, text)  # a name before a colon is still a name


def test_a_model_name_that_is_a_cue_word_is_dropped(engine):
    assert ("Person", "Email") not in _found(engine, "Email Cordelia Ashdown or her assistant.")


@pytest.mark.parametrize(("text", "role"), [
    ("Kemal Arslan, a truck driver, was stopped.", "truck driver"),
    ("Percival left a voicemail for the claims adjuster.", "claims adjuster"),
    ("Our HR manager approved the leave.", "HR manager"),
    ("Barnaby and Ffion are co-owners of the flat.", "co-owners"),
    ("Cillian Brennan, head of procurement, approved it.", "head of procurement"),
    ("The retiree lives with her granddaughter.", "retiree"),
])
def test_roles_whole(engine, text, role):
    assert ("PersonType", role) in _found(engine, text)


def test_time_nouns_do_not_join_a_role(engine):
    assert ("PersonType", "tenants") in _found(engine, "Each month tenants pay the fee.")


def test_known_sample_companies_and_agencies():
    text = "Contoso and Woodgrove Bank wrote to the IRS; Northwind Bakery did not."
    found = [text[s:e] for s, e in sorted({(s, e) for s, e, _ in lexicon.find_organizations(text)})]
    assert found == ["Contoso", "Woodgrove Bank", "IRS", "Northwind Bakery"]


@pytest.mark.parametrize(("text", "date"), [
    ("The lease runs from 1 June 2024 to 31 May 2025.", "1 June 2024 to 31 May 2025"),  # the model cut it
    ("Please pay by the 15th.", "15th"),
    ("Seen 03.14.2025 in clinic.", "03.14.2025"),
    ("Appointment 2025/03/14 at 14:30.", "14:30"),
    ("Follow-up on 3/14.", "3/14"),
])
def test_dates_and_times(engine, text, date):
    assert ("DateTime", date) in _found(engine, text)


@pytest.mark.parametrize("text", [
    "The firmware update 4.2.17 failed.",   # a release, not a date
    "The screen is 16:9 and the case 2:23-cv-01887.",
    "She finished on the 3rd attempt.",
])
def test_no_dates_in_versions_ratios_and_ordinals(engine, text):
    assert [f for f in _found(engine, text) if f[0] == "DateTime"] == []


@pytest.mark.parametrize(("text", "age"), [
    ("34F presents with a rash.", "34"),
    ("The boy, seven, was accompanied by his aunt.", "seven"),
    ("The 7-year-old's cast comes off soon.", "7-year-old"),
    ("Lucinda Featherstone was 81 when she moved.", "81"),
])
def test_more_age_forms(engine, text, age):
    assert ("Quantity", age) in _found(engine, text)


@pytest.mark.parametrize(("text", "phone"), [
    ("Reach the front desk at 555-0142.", "555-0142"),
    ("Dublin office: 01 555 0134", "01 555 0134"),
])
def test_local_and_irish_phone_numbers(engine, text, phone):
    assert ("PhoneNumber", phone) in _found(engine, text)


@pytest.mark.parametrize("text", [
    "The printer model LX-4410 jams on heavy paper.",   # the model's "organisation"
    "Part 555-0199-A is out of stock.",
])
def test_codes_are_not_names_or_phones(engine, text):
    assert _found(engine, text) == []
