"""The learned entity component: a linear-chain CRF (CRFsuite through python-crfsuite) over word
tokens with BIO tags, trained on the project's labelled spans. CRFsuite keeps its model in its
own binary file (no pickle); L-BFGS from zero weights makes training deterministic."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pycrfsuite

from airgap.services.conversations.engines.tokens import Token

OUTSIDE = "O"
# L1 + L2 (elastic net): the usual CRFsuite setting for small labelled sets.
PARAMS = {"c1": 0.05, "c2": 0.05, "max_iterations": 150, "feature.possible_transitions": True}


def bio_tags(tokens: list[Token], spans: list[tuple[int, int, str]]) -> list[str]:
    tags = [OUTSIDE] * len(tokens)
    for start, end, category in spans:
        inside = [i for i, t in enumerate(tokens) if t.start >= start and t.end <= end]
        for n, i in enumerate(inside):
            tags[i] = ("B-" if n == 0 else "I-") + category
    return tags


def train(sequences: list[tuple[list[dict], list[str]]], path: Path) -> bool:
    """Train on ``(features, tags)`` sequences into ``path``; False when no span is labelled."""
    if not any(tag != OUTSIDE for _, tags in sequences for tag in tags):
        return False
    trainer = pycrfsuite.Trainer(verbose=False)
    for features, tags in sequences:
        trainer.append([{k: v for k, v in f.items()} for f in features], tags)
    trainer.set_params(PARAMS)
    trainer.train(str(path))
    return True


class Labeller:
    def __init__(self, path: Path | None) -> None:
        self._tagger = None
        self._lock = threading.Lock()  # a CRFsuite tagger holds the sequence it is tagging
        if path is not None and path.exists():
            self._tagger = pycrfsuite.Tagger()
            self._tagger.open(str(path))

    def spans(self, tokens: list[Token], features: list[dict]) -> list[tuple[int, int, str]]:
        """``(start, end, category)`` code-point spans of the tagged entities."""
        return [(start, end, category) for start, end, category, _ in self.scored_spans(tokens, features)]

    def scored_spans(self, tokens: list[Token], features: list[dict]) -> list[tuple[int, int, str, float]]:
        """The tagged spans with a score each: the lowest marginal probability of its tokens' tags
        (LUIS reports one per machine-learned entity)."""
        if self._tagger is None or not tokens:
            return []
        with self._lock:
            tags = self._tagger.tag(features)
            marginals = [self._tagger.marginal(tag, i) for i, tag in enumerate(tags)]
        out: list[tuple[int, int, str, float]] = []
        current: list[Any] | None = None  # [start, end, lowest marginal]
        category = ""
        for i, (token, tag) in enumerate(zip(tokens, tags)):
            kind, _, name = tag.partition("-")
            if kind == "B" or (kind == "I" and (current is None or name != category)):
                if current is not None:
                    out.append((current[0], current[1], category, current[2]))
                current, category = [token.start, token.end, marginals[i]], name
            elif kind == "I" and current is not None:
                current[1] = token.end
                current[2] = min(current[2], marginals[i])
            else:
                if current is not None:
                    out.append((current[0], current[1], category, current[2]))
                current = None
        if current is not None:
            out.append((current[0], current[1], category, current[2]))
        return out

    def close(self) -> None:
        if self._tagger is not None:
            self._tagger.close()
            self._tagger = None
