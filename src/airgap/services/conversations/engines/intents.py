"""The intent classifier: TF-IDF over word 1-2-grams and character 2-5-grams, multinomial
logistic regression (scikit-learn), chosen on the dev split of tests/data/quality/clu_intents.jsonl
(docs/models.md). Saved without pickle: the vocabularies, IDF weights and coefficients as JSON
and ``.npy`` arrays, so a model file can never run code when it is loaded."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

WORD = {"analyzer": "word", "ngram_range": (1, 2), "lowercase": True, "sublinear_tf": True,
        "token_pattern": r"(?u)\b\w+\b"}
CHAR = {"analyzer": "char_wb", "ngram_range": (2, 5), "lowercase": True, "sublinear_tf": True}
C = 20.0


class IntentClassifier:
    def __init__(self, vectorizers: list[TfidfVectorizer], coef: np.ndarray, intercept: np.ndarray,
                 classes: list[str]) -> None:
        self.vectorizers = vectorizers
        self.coef = coef
        self.intercept = intercept
        self.classes = classes

    @classmethod
    def fit(cls, texts: list[str], labels: list[str]) -> IntentClassifier:
        classes = sorted(set(labels))
        vectorizers = [TfidfVectorizer(**WORD), TfidfVectorizer(**CHAR)]
        if len(classes) < 2:
            # One intent with utterances: nothing to tell apart, it scores 1 on every query.
            for v in vectorizers:
                v.fit(texts)
            return cls(vectorizers, np.zeros((1, 0)), np.zeros(1), classes)
        x = hstack([v.fit_transform(texts) for v in vectorizers]).tocsr()
        model = LogisticRegression(C=C, max_iter=2000, solver="lbfgs")
        model.fit(x, labels)
        return cls(vectorizers, model.coef_, model.intercept_, [str(c) for c in model.classes_])

    def scores(self, text: str) -> dict[str, float]:
        if len(self.classes) < 2:
            return {c: 1.0 for c in self.classes}
        x = hstack([v.transform([text]) for v in self.vectorizers]).tocsr()
        logits = np.asarray(x @ self.coef.T).ravel() + self.intercept
        if len(self.classes) == 2:  # binary: one column of logits for the second class
            p = 1.0 / (1.0 + np.exp(-logits[0]))
            return {self.classes[0]: float(1 - p), self.classes[1]: float(p)}
        e = np.exp(logits - logits.max())
        probs = e / e.sum()
        return {c: float(p) for c, p in zip(self.classes, probs)}

    def save(self, folder: Path) -> None:
        meta = {"classes": self.classes, "vectorizers": []}
        for i, v in enumerate(self.vectorizers):
            vocab = {k: int(n) for k, n in v.vocabulary_.items()}
            meta["vectorizers"].append({"params": {**(WORD if i == 0 else CHAR)}, "vocabulary": vocab})
            np.save(folder / f"idf{i}.npy", v.idf_, allow_pickle=False)
        np.save(folder / "coef.npy", self.coef, allow_pickle=False)
        np.save(folder / "intercept.npy", self.intercept, allow_pickle=False)
        (folder / "intents.json").write_text(json.dumps(meta, sort_keys=True))

    @classmethod
    def load(cls, folder: Path) -> IntentClassifier:
        meta = json.loads((folder / "intents.json").read_text())
        vectorizers = []
        for i, spec in enumerate(meta["vectorizers"]):
            params = dict(spec["params"])
            params["ngram_range"] = tuple(params["ngram_range"])
            v = TfidfVectorizer(**params, vocabulary=spec["vocabulary"])
            v.idf_ = np.load(folder / f"idf{i}.npy", allow_pickle=False)
            vectorizers.append(v)
        return cls(vectorizers, np.load(folder / "coef.npy", allow_pickle=False),
                   np.load(folder / "intercept.npy", allow_pickle=False), list(meta["classes"]))
