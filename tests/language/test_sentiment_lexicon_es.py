"""The hand-written Spanish sentiment lexicon: the word forms derived from each lemma, and what the
Spanish scorer makes of them (inflection, accents, negation, names)."""

from __future__ import annotations

import pytest

from airgap.services.language.engines.sentiment_lexicon_es import forms, load, unaccented
from airgap.services.language.engines.sentiment_lexicons import LEXICONS


def test_adjectives_inflect_for_gender_number_degree_and_diminutive():
    derived = dict(forms("bueno", 1.9, "a"))
    assert {"bueno", "buena", "buenos", "buenas", "buenísimo", "buenísimas", "buenito"} <= set(derived)
    assert derived["buenísima"] > derived["buena"] == 1.9
    assert "riquísimo" in dict(forms("rico", 1.8, "a"))          # c -> qu before i
    assert "amabilísima" in dict(forms("amable", 2.1, "a"))      # -ble -> -bilísimo
    assert {"encantadora", "encantadores"} <= set(dict(forms("encantador", 2.5, "a")))
    assert dict(forms("feliz", 2.5, "a")).get("felices") == 2.5


def test_nouns_and_verbs():
    assert dict(forms("decepción", -2.5, "n")) == {"decepción": -2.5, "decepciones": -2.5}
    verb = dict(forms("encantar", 2.6, "v"))
    assert {"encanta", "encantan", "encantó", "encantaron", "encantado", "encantaría", "encantarlo"} <= set(verb)
    assert {"odio", "odias", "odiaba"} <= set(dict(forms("odiar", -2.7, "v")))
    assert dict(forms("mejor", 2.0, "w")) == {"mejor": 2.0}


def test_accents_are_dropped_but_not_the_tilde_of_n():
    assert unaccented("increíble") == "increible"
    assert unaccented("pésimo") == "pesimo"
    assert unaccented("añoranza") == "añoranza"


def test_the_shipped_file_loads_and_written_forms_win():
    table = load(LEXICONS / "es_hand_written_lexicon.txt")
    assert len(table) > 5000
    assert table["increible"] == table["increíble"] > 2
    assert table["pésimas"] < -2 and table["pesimo"] < -2
    # "gusto" is written as a noun; the verb "gustar" would derive it as "(yo) gusto".
    assert table["gusto"] == 1.5
    # Words of the clinical and legal register are written with no opinion.
    assert table["paciente"] == 0.0 and table["negativo"] == 0.0


@pytest.fixture(scope="module")
def analyzer():
    from airgap.services.language.engines.sentiment import VaderSentimentAnalyzer

    return VaderSentimentAnalyzer()


@pytest.mark.parametrize(("text", "sign"), [
    ("Las croquetas estaban buenísimas.", 1),
    ("El hotel nos encantó.", 1),
    ("No me gustó nada.", -1),
    ("No está nada mal.", 1),
    ("Una experiencia pesima, el personal fue maleducadisimo.", -1),
    ("Sin ningún problema.", 1),
])
def test_spanish_compound_has_the_expected_sign(analyzer, text, sign):
    [(compound, _)] = analyzer._compounds([text], "es")
    assert compound * sign > 0.25


def test_a_capitalised_name_inside_a_sentence_is_not_an_opinion(analyzer):
    [(compound, _)] = analyzer._compounds(["El vuelo a Buenos Aires sale a las ocho."], "es")
    assert compound == 0.0
