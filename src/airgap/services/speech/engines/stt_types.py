"""What recognition produces: utterances and words, times in Azure's 100-ns ticks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Word:
    text: str          # as spoken, lower case, no punctuation ("don't")
    offset: int        # ticks from the start of the stream
    duration: int      # ticks
    confidence: float  # 0..1


@dataclass(frozen=True)
class Utterance:
    """One phrase: what Azure answers as one ``speech.phrase`` / one REST result."""

    offset: int                 # ticks from the start of the stream
    duration: int               # ticks
    display: str                # punctuated and cased, as the model wrote it ("Hello, world.")
    lexical: str                # lower case, no punctuation ("hello world")
    words: tuple[Word, ...]
    confidence: float           # 0..1
    language: str               # the model's language code ("en", "de")
    language_confidence: float  # 0..1; 1.0 when the language was given, not detected

    @property
    def empty(self) -> bool:
        return not self.lexical
