"""Result JSON (services/speech/stt_wire.py): the profanity options, which a spoken clip cannot test
reliably (a recognizer may or may not write the swear word), so they are checked on the writer
that both the websocket and REST paths call with the request's ``profanity=``."""

from __future__ import annotations

import pytest

from airgap.services.speech import stt_wire
from airgap.services.speech.engines.stt_types import Utterance, Word

SPOKEN = Utterance(offset=5_000_000, duration=20_000_000, display="Well, that was Bullshit, honestly.",
                   lexical="well that was bullshit honestly",
                   words=(Word("bullshit", 10_000_000, 4_000_000, 0.9),), confidence=0.91, language="en",
                   language_confidence=1.0)


@pytest.mark.parametrize(("option", "display", "masked_itn"), [
    ("masked", "Well, that was ********, honestly.", "well that was ******** honestly"),
    ("removed", "Well, that was, honestly.", "well that was honestly"),
    # MaskedITN is the masked form whatever the option, as its name says; raw only spares Display.
    ("raw", "Well, that was Bullshit, honestly.", "well that was ******** honestly"),
])
def test_profanity_options_in_a_detailed_phrase(option, display, masked_itn):
    body = stt_wire.phrase(SPOKEN, "detailed", profanity=option)
    (best,) = body["NBest"]
    assert body["DisplayText"] == best["Display"] == display
    assert best["MaskedITN"] == masked_itn
    assert best["Lexical"] == best["ITN"] == SPOKEN.lexical  # the unfiltered forms, as Azure writes them


def test_partials_are_filtered_like_phrases_and_clean_text_is_untouched():
    assert stt_wire.hypothesis("what the fuck", 0, 1, profanity="masked")["Text"] == "what the ****"
    assert stt_wire.hypothesis("what the fuck.", 0, 1, profanity="removed")["Text"] == "what the."
    clean = "Scunthorpe's dickens of a shitake mushroom."  # whole words only: no false hits inside words
    assert stt_wire.hypothesis(clean, 0, 1)["Text"] == clean


def test_simple_format_has_no_nbest():
    body = stt_wire.phrase(SPOKEN, "simple")
    assert set(body) == {"RecognitionStatus", "Offset", "Duration", "DisplayText"}
    assert body["RecognitionStatus"] == "Success" and body["Offset"] == SPOKEN.offset
