"""Word tokens with their code-point spans, the unit the entity labeller tags."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+(?:'\w+)?|[^\w\s]")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _shape(word: str) -> str:
    shape = re.sub(r"[A-Z]", "A", word)
    shape = re.sub(r"[a-z]", "a", shape)
    shape = re.sub(r"\d", "9", shape)
    return re.sub(r"(.)\1+", r"\1\1", shape)


def token_features(tokens: list[Token], i: int, flags: list[set[str]]) -> dict[str, float | str]:
    """CRF features of token ``i``: the word, its shape and affixes, its neighbours, and the
    dictionary ``flags`` (list and prebuilt components that cover it)."""
    word = tokens[i].text
    lower = word.lower()
    feats: dict[str, float | str] = {
        "bias": 1.0, "w": lower, "suf3": lower[-3:], "suf2": lower[-2:], "pre3": lower[:3], "shape": _shape(word),
        "title": float(word.istitle()), "upper": float(word.isupper()), "digit": float(word.isdigit()),
    }
    for flag in flags[i]:
        feats["in:" + flag] = 1.0
    for d in (-2, -1, 1, 2):
        j = i + d
        if 0 <= j < len(tokens):
            other = tokens[j].text
            feats[f"w{d}"] = other.lower()
            feats[f"title{d}"] = float(other.istitle())
            for flag in flags[j]:
                feats[f"in{d}:" + flag] = 1.0
        else:
            feats[f"w{d}"] = "<s>" if j < 0 else "</s>"
    if i > 0:
        feats["bigram-1"] = tokens[i - 1].text.lower() + "|" + lower
    if i + 1 < len(tokens):
        feats["bigram+1"] = lower + "|" + tokens[i + 1].text.lower()
    return feats
