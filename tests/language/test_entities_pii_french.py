"""French NER and PII (fr_core_news_sm + language-independent patterns): quality floors and no network.

``tests/data/entities_fr.jsonl`` (56 sentences) and ``tests/data/pii_fr.jsonl`` (54)
were written for this project, gold spans in code points, scored exactly like the
English sets (exact span and category). The French model knows people, places and
organisations only, so the sets hold no dates or amounts for NER (French NER
produces none; see docs/models.md). The rules were written against these sets:
there is no held-out split.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from airgap.services.language.engines.entities import SpacyEntityEngine
from airgap.services.language.engines.pii import PresidioPiiEngine
from tests.language.test_entities_pii_quality import load, report, scores

# category -> (precision floor, recall floor); measured 2026-12-02 in the comments
NER_FLOORS = {
    "Person": (0.95, 0.9),         # 1.00 / 0.96
    "Location": (0.85, 0.88),      # 0.92 / 0.94
    "Organization": (0.9, 0.8),    # 0.96 / 0.88
    "Email": (1.0, 1.0),
    "URL": (1.0, 1.0),
    "IP": (1.0, 1.0),
    "PhoneNumber": (1.0, 1.0),
}
NER_MICRO = (0.92, 0.9)            # 0.955 / 0.938

PII_FLOORS = {
    "Person": (0.95, 0.95),        # 0.98 / 1.00
    "Organization": (0.9, 0.6),    # 1.00 / 0.67 (companies named like places or people: "Thales", "Orange")
    "Address": (0.7, 0.95),        # 0.79 / 1.00 (sentence-initial verbs taken for places: "Contactez")
    "DateTime": (1.0, 1.0),
    "Email": (1.0, 1.0),
    "PhoneNumber": (1.0, 1.0),
    "URL": (1.0, 1.0),
    "IPAddress": (1.0, 1.0),
    "CreditCardNumber": (1.0, 1.0),
    "InternationalBankingAccountNumber": (1.0, 1.0),
}
PII_MICRO = (0.92, 0.93)           # 0.945 / 0.963


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


def test_gold_data_is_consistent():
    for name in ("entities_fr.jsonl", "pii_fr.jsonl"):
        rows = load(name)
        assert len(rows) >= 50
        for row in rows:
            for entity in row["entities"]:
                assert row["text"][entity["offset"]:entity["offset"] + entity["length"]] == entity["text"], row


def _check(name, per, micro, floors, micro_floor):
    report(name, per, micro)
    below = {c: per.get(c, (0.0, 0.0)) for c, (pf, rf) in floors.items()
             if per.get(c, (0.0, 0.0))[0] < pf or per.get(c, (0.0, 0.0))[1] < rf}
    assert not below, f"below the floor: {below}"
    assert micro[0] >= micro_floor[0] and micro[1] >= micro_floor[1], micro


def test_ner_quality_floors(ner):
    rows = load("entities_fr.jsonl")
    per, micro = scores(rows, ner.recognize([r["text"] for r in rows], "fr"))
    _check("entities_fr.jsonl", per, micro, NER_FLOORS, NER_MICRO)


def test_pii_quality_floors(pii):
    rows = load("pii_fr.jsonl")
    per, micro = scores(rows, pii.recognize([r["text"] for r in rows], language="fr"))
    _check("pii_fr.jsonl", per, micro, PII_FLOORS, PII_MICRO)


def test_articles_are_not_part_of_french_names(ner):
    text = "La Seine traverse Paris avant de rejoindre la Manche. Lucie travaille chez L'Oréal."
    found = {(text[s.start:s.end], s.category) for s in ner.recognize([text], "fr-FR")[0]}
    assert ("Seine", "Location") in found and ("Manche", "Location") in found
    assert ("L'Oréal", "Organization") in found  # a capital "L'" belongs to the name


def test_english_rules_do_not_leak_into_french(pii):
    # A 9-digit US SSN pattern is English-only: in French the recognizer is not registered.
    [spans] = pii.recognize(["Mon numéro est 536-90-4399."], language="fr")
    assert all(s.category != "USSocialSecurityNumber" for s in spans)


SCRIPT = r"""
import json, sys
events = []
def hook(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.sendto",
                 "socket.sendmsg", "urllib.Request", "http.client.connect"):
        events.append(event)
sys.addaudithook(hook)
from airgap.services.language.engines.entities import SpacyEntityEngine
from airgap.services.language.engines.keyphrases import YakeKeyPhraseExtractor
from airgap.services.language.engines.pii import PresidioPiiEngine
texts = ["Écrivez à jean.dupont@orange.fr ou consultez https://www.exemple.fr/aide, Jean Dupont habite à Lyon."]
ner, pii, kp = SpacyEntityEngine(), PresidioPiiEngine(), YakeKeyPhraseExtractor()
ner.load(); pii.load(); kp.load()
found = [(texts[0][s.start:s.end], s.category)
         for s in ner.recognize(texts, "fr")[0] + pii.recognize(texts, language="fr")[0]]
print(json.dumps({"events": events, "found": found, "phrases": kp.extract(texts, "fr")[0]}))
"""


def test_french_makes_no_network_call():
    run = subprocess.run([sys.executable, "-c", SCRIPT], check=False, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    outcome = json.loads(run.stdout.strip().splitlines()[-1])
    assert outcome["events"] == []
    assert ["jean.dupont@orange.fr", "Email"] in outcome["found"]
    assert ["Jean Dupont", "Person"] in outcome["found"]
    assert "Jean Dupont" in outcome["phrases"]
